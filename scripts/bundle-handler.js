// Bundles the deploy-time check handler with its dependencies (the Connect client included, so the version
// that ran the tests is the version that runs in Lambda) into dist/handler/index.js.
const path = require('path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');
esbuild.buildSync({
  entryPoints: [path.join(root, 'lib', 'handler', 'index.ts')],
  outfile: path.join(root, 'dist', 'handler', 'index.js'),
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
});
