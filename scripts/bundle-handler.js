// Bundles the deploy-time check handler with its dependencies (the Connect client included, so the version
// that ran the tests is the version that runs in Lambda) into dist/handler/index.js, for the Lambda runtime it
// runs on (nodejs24.x, set in lib/constructs/caller-id-verification.ts).
const path = require('path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');
esbuild.buildSync({
  entryPoints: [path.join(root, 'lib', 'handler', 'index.ts')],
  outfile: path.join(root, 'dist', 'handler', 'index.js'),
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
});

// libphonenumber-js, vendored into the library (see lib/core/libphonenumber.ts).
esbuild.buildSync({
  entryPoints: [path.join(root, 'lib', 'core', 'libphonenumber.ts')],
  outfile: path.join(root, 'dist', 'lib', 'core', 'libphonenumber.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'inline',
  logLevel: 'warning',
});
