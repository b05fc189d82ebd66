/**
 * The example's first `cdk synth` as a new clone runs it: the real CDK CLI with the repository's cdk.json, from a
 * copy of the sources with no dist/ (so nothing built earlier helps), then a second synth of the same copy.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { median } from './stats';

const ROOT = path.join(__dirname, '..', '..');
const SOURCES = ['package.json', 'cdk.json', 'cdk.context.json', 'tsconfig.json', 'lib', 'bin', 'scripts'];
const CDK = path.join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk');

function timedSynth(dir: string): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, [CDK, 'synth', '--quiet', '--output', path.join(dir, 'cdk.out')], {
    cwd: dir, encoding: 'utf8', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CI: 'true' },
  });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`cdk synth of the example exited ${result.status}: ${result.stderr}`);
  return ms;
}

/** The first synth of a fresh copy of the sources, and the synth after it. */
function firstAndSecondSynth(): [number, number] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-first-synth-'));
  try {
    for (const entry of SOURCES) fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
    fs.symlinkSync(fs.realpathSync(path.join(ROOT, 'node_modules')), path.join(dir, 'node_modules'));
    const first = timedSynth(dir);
    return [first, timedSynth(dir)];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The copies timed: one sample swung from 5.3 to 11.9 s between runs minutes apart on a shared machine. */
const COPIES = 3;

/**
 * Milliseconds of the example's first synth from a clean checkout and of the synth after it: the medians over
 * `COPIES` fresh copies, with the slowest first synth.
 */
export function exampleSynthFigures(): { exampleFirstSynthMs: number; exampleSecondSynthMs: number; exampleFirstSynthMaxMs: number } {
  const runs = Array.from({ length: COPIES }, firstAndSecondSynth);
  return {
    exampleFirstSynthMs: median(runs.map(([first]) => first)),
    exampleSecondSynthMs: median(runs.map(([, second]) => second)),
    exampleFirstSynthMaxMs: Math.max(...runs.map(([first]) => first)),
  };
}

if (require.main === module) {
  process.stdout.write(`${JSON.stringify(exampleSynthFigures())}\n`);
}
