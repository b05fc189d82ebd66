import * as fs from 'fs';
import * as path from 'path';

/** The version of cdk-connect-caller-id: from the package.json above this module, in the sources or in `dist/`. */
export function packageVersion(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return String(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version);
}
