// Runs the project's TypeScript directly: `node -r ./scripts/ts-register.js bin/example-app.ts`. Each file is
// transpiled by esbuild when it is first required, without type checking (isolatedModules makes that safe), so
// `cdk synth` of the example does not wait for a type check of the whole project; `npm run build` and `npm test`
// type-check.
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');
const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8'));
const ownSources = new RegExp(`^${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\\\\/](lib|bin|test|bench)[\\\\/]`);

require.extensions['.ts'] = (module, filename) => {
  if (!ownSources.test(filename)) throw new Error(`scripts/ts-register.js runs only this project's sources, not ${filename}`);
  const { code } = esbuild.transformSync(fs.readFileSync(filename, 'utf8'), {
    loader: 'ts', format: 'cjs', target: 'node20', sourcefile: filename, sourcemap: 'inline',
    tsconfigRaw: { compilerOptions: { target: compilerOptions.target, esModuleInterop: compilerOptions.esModuleInterop } },
  });
  module._compile(code, filename);
};
