import * as fs from 'fs';
import * as path from 'path';

/**
 * The folder holding the bundled deploy-time check handler (`dist/handler/index.js`, built by `npm run build`).
 * Found from the package root so it works both from the compiled package and from the TypeScript sources.
 */
export function handlerAssetPath(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const asset = path.join(dir, 'dist', 'handler');
  if (!fs.existsSync(path.join(asset, 'index.js'))) {
    throw new Error(`The deploy-time check handler bundle is missing at ${asset}; run \`npm run build\` in cdk-connect-caller-id`);
  }
  return asset;
}
