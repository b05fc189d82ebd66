import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from './support/run';

// What other languages get of the package: the jsii assembly (.jsii, written by `npm run build`), the Python and
// Java sources jsii-pacmak generates from it, and API.md, which jsii-docgen renders from it.

const BIN = path.join(ROOT, 'node_modules', '.bin');

/**
 * Runs a jsii tool. jsii-pacmak embeds the npm tarball in the Python and Java packages and makes it with `npm pack`,
 * which would run `prepare` (a clean build of the package alone, wiping the tests' compiled fixtures under them):
 * the build is already done, so the package's scripts are skipped.
 */
function run(command: string, args: string[]) {
  const result = spawnSync(path.join(BIN, command), args, {
    cwd: ROOT, encoding: 'utf8', timeout: 300_000, env: { ...process.env, npm_config_ignore_scripts: 'true' },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function filesUnder(dir: string, ending: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith(ending)).map((f) => path.join(dir, f));
}

describe('the jsii assembly', () => {
  test('holds every declaration lib/index.ts exports: jsii drops functions, constants and type aliases without an error', () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'check-jsii-exports.js')], { cwd: ROOT, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^\d+ exports, \d+ assembly types, 0 dropped\n$/);
    const assembly = JSON.parse(fs.readFileSync(path.join(ROOT, '.jsii'), 'utf8'));
    for (const name of ['ClaimedNumbers', 'OutboundQueue', 'CallerIdChecks', 'ExportedFlow', 'FlowChecker', 'PhoneNumbers', 'RuleId']) {
      expect(assembly.types[`cdk-connect-caller-id.${name}`]).toBeDefined();
    }
  });

  test('jsii-pacmak generates the Python and Java sources without an error', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pacmak-'));
    try {
      const result = run('jsii-pacmak', ['--code-only', '--targets', 'python,java', '--outdir', out, '--no-npmignore']);
      expect(result.output).not.toMatch(/\berror\b/i);
      expect(result.status).toBe(0);

      const python = fs.readFileSync(path.join(out, 'python', 'src', 'cdk_connect_caller_id', '__init__.py'), 'utf8');
      expect(python).toMatch(/^class ClaimedNumbers\(/m);
      expect(python).toMatch(/^class RuleId\(enum\.Enum\)/m);
      const compiled = spawnSync('python3', ['-m', 'py_compile', ...filesUnder(path.join(out, 'python', 'src'), '.py')], { encoding: 'utf8' });
      expect(compiled.stderr).toBe('');
      expect(compiled.status).toBe(0);

      const java = filesUnder(path.join(out, 'java', 'src'), '.java').map((f) => path.basename(f));
      expect(java).toEqual(expect.arrayContaining(['ClaimedNumbers.java', 'OutboundQueue.java', 'PhoneNumbers.java', 'RuleId.java']));
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 300_000);

  test('API.md is what jsii-docgen renders from the assembly (run npm run docgen after changing the API)', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'docgen-')), 'API.md');
    const result = run('jsii-docgen', ['--output', out]);
    expect(result.status).toBe(0);
    expect(fs.readFileSync(path.join(ROOT, 'API.md'), 'utf8')).toBe(fs.readFileSync(out, 'utf8'));
  }, 120_000);
});
