/**
 * One timed synth of one variant of the bench contact centre, in a process of its own, as `cdk synth` runs an app
 * once per process: `node --expose-gc synth-sample.js <variant> <queues> <numbers>` prints a JSON line with the
 * milliseconds of the synth and the heap in use before it.
 *
 * The modules are loaded and one small synth of the same variant runs first, outside the timing, so module loading,
 * the first compilation of aws-cdk-lib's code and the start of its template validation engine are in no figure;
 * then garbage is collected, so the timed synth does not pay for the warm-up's heap. A fourth argument names a
 * file to write the CPU profile of the timed synth to (`.cpuprofile`).
 */
import * as fs from 'fs';
import { Session } from 'inspector';
import { performance } from 'perf_hooks';
import { App } from 'aws-cdk-lib';
import {
  CentreSize, checkedNumbersByStack, claimedNumbers, rawFlows, synthSameTemplateWithL1, synthWithConstructs, synthWithL1,
} from './contact-centre';
import { addCallerIdChecks } from './checks';
import type { ClaimedNumber } from '../lib';

/** The apps compared: what each synthesizes, over numbers and flow JSON computed before the timing. */
export const SYNTH_VARIANTS = {
  /** The contact centre built with this library's constructs. */
  ours: (size: CentreSize, numbers: ClaimedNumber[]) => () => synthWithConstructs(size, numbers),
  /** The same, with `deployTimeCheck: false`. */
  oursSynthOnly: (size: CentreSize, numbers: ClaimedNumber[]) => () => synthWithConstructs(size, numbers, false),
  /** The same centre from raw L1 resources. */
  raw: (size: CentreSize, numbers: ClaimedNumber[]) => {
    const flows = rawFlows(size, numbers);
    return () => synthWithL1(size, numbers, flows);
  },
  /** The constructs' own templates and construct paths from L1 resources, every value computed before the timing. */
  sameTemplate: (size: CentreSize, numbers: ClaimedNumber[]) => {
    const flows = rawFlows(size, numbers);
    const checked = checkedNumbersByStack(size, numbers);
    return () => synthSameTemplateWithL1(size, numbers, flows, checked);
  },
  /** The raw L1 centre with `CallerIdChecks` on the app. */
  rawChecked: (size: CentreSize, numbers: ClaimedNumber[]) => {
    const flows = rawFlows(size, numbers);
    return () => synthWithL1(size, numbers, flows, (app: App) => addCallerIdChecks(app, numbers));
  },
  /** The same, with `deployTimeCheck: false`. */
  rawCheckedSynthOnly: (size: CentreSize, numbers: ClaimedNumber[]) => {
    const flows = rawFlows(size, numbers);
    return () => synthWithL1(size, numbers, flows, (app: App) => addCallerIdChecks(app, numbers, false));
  },
} as const;

export type SynthVariant = keyof typeof SYNTH_VARIANTS;

/** What one sample prints. */
export interface SynthSample {
  readonly ms: number;
  /** V8's heap in use just before the timed synth, after the warm-up and a collection (MiB). */
  readonly heapBeforeMiB: number;
  /** The heap in use just after it, before any collection (MiB). */
  readonly heapAfterMiB: number;
}

const WARM_UP: CentreSize = { queues: 10, numbers: 100 };

/** Runs `fn` under V8's CPU profiler, writing the profile (for Chrome DevTools or speedscope) to `file`. */
function profiled<T>(file: string, fn: () => T): T {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  try {
    return fn();
  } finally {
    session.post('Profiler.stop', (error, result) => {
      if (!error) fs.writeFileSync(file, JSON.stringify(result.profile));
      session.disconnect();
    });
  }
}

function sample(variant: SynthVariant, size: CentreSize, profileFile?: string): SynthSample {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc, so the warm-up\'s heap is collected before the timing');
  const warmUp = SYNTH_VARIANTS[variant](WARM_UP, claimedNumbers(WARM_UP.numbers));
  fs.rmSync(warmUp(), { recursive: true, force: true });
  const synth = SYNTH_VARIANTS[variant](size, claimedNumbers(size.numbers));
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const start = performance.now();
  const directory = profileFile ? profiled(profileFile, synth) : synth();
  const ms = performance.now() - start;
  const heapAfter = process.memoryUsage().heapUsed;
  fs.rmSync(directory, { recursive: true, force: true });
  return { ms, heapBeforeMiB: heapBefore / 2 ** 20, heapAfterMiB: heapAfter / 2 ** 20 };
}

if (require.main === module) {
  const [variant, queues, numbers, profileFile] = process.argv.slice(2);
  if (!(variant in SYNTH_VARIANTS)) throw new Error(`variant ${variant} is not one of ${Object.keys(SYNTH_VARIANTS).join(', ')}`);
  process.stdout.write(`${JSON.stringify(sample(variant as SynthVariant, { queues: Number(queues), numbers: Number(numbers) }, profileFile))}\n`);
}
