import { spawnSync } from 'child_process';
import { ROOT } from './support/run';

// `cdk-connect-caller-id/lookup`, resolved through package.json `exports` as a user's tooling resolves it (Node's
// self-reference of a package by its name), in a fresh process so what it loads is seen.
test('cdk-connect-caller-id/lookup gives the lookup, and loading it does not load the STS client', () => {
  const script = `
    const lookup = require('cdk-connect-caller-id/lookup');
    const loaded = Object.keys(require.cache);
    console.log(JSON.stringify({
      exports: Object.keys(lookup).sort(),
      file: require.resolve('cdk-connect-caller-id/lookup'),
      sts: loaded.some((f) => f.includes('@aws-sdk/client-sts')),
      connect: loaded.some((f) => f.includes('@aws-sdk/client-connect')),
    }));`;
  const run = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(JSON.parse(run.stdout)).toEqual({
    exports: ['DEFAULT_CALL_TIMEOUT_MS', 'DEFAULT_CONNECT_TIMEOUT_MS', 'LookupError', 'MAX_NUMBERS_PER_TARGET', 'createConnectClient',
      'listClaimedNumbers', 'listedNumbersToInventory', 'writeInventoriesToContextFile'],
    file: `${ROOT}/dist/lib/lookup/index.js`,
    sts: false,
    connect: true,
  });
});
