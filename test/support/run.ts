import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..', '..');
export const CLI = path.join(ROOT, 'dist', 'bin', 'connect-caller-id.js');
const CDK = path.join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk');

/** Runs the built `connect-caller-id` binary, as users do. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, ...env } });
}

/** Runs the real CDK CLI. */
export function runCdk(args: string[], cwd: string = ROOT, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CDK, ...args], {
    encoding: 'utf8', cwd, env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CI: 'true', ...env }, timeout: 120_000,
  });
}
