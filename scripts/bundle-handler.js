// Bundles the deploy-time check handler with its dependencies (the Connect client included, so the version
// that ran the tests is the version that runs in Lambda) into dist/handler/index.js, for the Lambda runtime it
// runs on (nodejs24.x, set in lib/constructs/caller-id-verification.ts), with aws-cdk-lib's Node.js custom
// resource entry point beside it as __entrypoint__.js (the function's handler: it calls index.handler and
// answers CloudFormation's presigned URL, as in aws-cdk-lib's own CustomResourceProvider); and libphonenumber-js, vendored into the
// library (see lib/core/libphonenumber.ts). Each bundle ships beside it the licences of the packages it holds
// (THIRD-PARTY-NOTICES.txt), since minifying drops them from the code.
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');

/** The licence texts of every npm package whose files the bundle holds, as one text. */
function notices(metafile, extra = {}) {
  const packages = new Map(Object.entries(extra));
  for (const input of Object.keys(metafile.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input.replace(/\\/g, '/'));
    if (!match) continue;
    const dir = path.join(root, input.slice(0, match.index + 'node_modules/'.length + match[1].length));
    if (!packages.has(match[1])) packages.set(match[1], dir);
  }
  return [...packages.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, dir]) => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const texts = fs.readdirSync(dir).filter((f) => /^(licen[cs]e|notice|copying)/i.test(f)).sort()
      .map((f) => fs.readFileSync(path.join(dir, f), 'utf8').trim());
    const licence = typeof manifest.license === 'string' ? manifest.license : JSON.stringify(manifest.license);
    return `${name} ${manifest.version} (${licence})\n\n${texts.length ? texts.join('\n\n') : `Licensed under ${licence}; the package ships no licence file.`}\n`;
  }).join(`\n${'-'.repeat(78)}\n\n`);
}

function bundle(entry, outfile, target, extraPackages) {
  const result = esbuild.buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target,
    format: 'cjs',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    metafile: true,
    banner: { js: '/* Bundled third-party packages and their licences: THIRD-PARTY-NOTICES.txt beside this file. */' },
    logLevel: 'warning',
  });
  fs.writeFileSync(path.join(path.dirname(outfile), 'THIRD-PARTY-NOTICES.txt'), notices(result.metafile, extraPackages));
}

const cdkLib = path.dirname(require.resolve('aws-cdk-lib/package.json', { paths: [root] }));
const handlerDir = path.join(root, 'dist', 'handler');

bundle(path.join(root, 'lib', 'handler', 'index.ts'), path.join(handlerDir, 'index.js'), 'node24', { 'aws-cdk-lib': cdkLib });
fs.copyFileSync(path.join(cdkLib, 'custom-resource-handlers', 'dist', 'core', 'nodejs-entrypoint-handler', 'index.js'),
  path.join(handlerDir, '__entrypoint__.js'));
bundle(path.join(root, 'lib', 'core', 'libphonenumber.ts'), path.join(root, 'dist', 'lib', 'core', 'libphonenumber.js'), 'node20');
