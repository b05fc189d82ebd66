/**
 * `npm run bench`: measures what the guard costs at contact-centre scale and writes bench/results.json.
 * Every figure is the median of repeated runs; every comparison is measured side by side, its variants interleaved.
 * Each synth sample runs in a Node.js process of its own, as `cdk synth` runs an app once per process.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { createConnectClient } from '../lib/lookup/connect-client';
import { listClaimedNumbers } from '../lib/lookup/list-claimed-numbers';
import { generateNumbers, startConnectEndpoint } from '../test/support/connect-endpoint';
import { CentreSize, claimedNumbers, INSTANCE_ARN } from './contact-centre';
import { writeExportedFlows } from './export-flows';
import { exampleSynthFigures } from './synth-bench';
import { deployCheckFigures } from './deploy-check-bench';
import { badInputFigures, parseFigures } from './input-bench';
import type { checkVsParseFigures } from './check-bench';
import type { SynthSample, SynthVariant } from './synth-sample';
import { median } from './stats';

const ROOT = path.join(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
const CLI = path.join(DIST, 'bin', 'connect-caller-id.js');
const RSS_PRELOAD = path.join(DIST, 'bench', 'max-rss.js');
const SYNTH_SAMPLE = path.join(DIST, 'bench', 'synth-sample.js');

export interface Scale extends CentreSize {
  readonly name: string;
  readonly flows: number;
  readonly lookupNumbers: number;
  /** Synth samples per variant, each in a process of its own. */
  readonly synthRepeats: number;
}

const SCALES: Scale[] = [
  { name: 'full', queues: 1000, numbers: 5000, flows: 5000, lookupNumbers: 10_000, synthRepeats: 5 },
  { name: 'tenth', queues: 100, numbers: 500, flows: 500, lookupNumbers: 1000, synthRepeats: 5 },
];

const AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDLOCALBENCH00000', AWS_SECRET_ACCESS_KEY: 'local-bench-secret', AWS_REGION: 'ap-northeast-1',
  AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true',
};

async function timeAsyncMs<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

interface ProcessRun { readonly ms: number; readonly code: number | null; readonly maxRssKiB: number; readonly stderr: string }

/**
 * Lets this process's garbage be collected before a child process is timed: on two cores,
 * V8's background collection would otherwise compete with the child.
 */
async function settle(): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((resolve) => setTimeout(resolve, 1000));
}

/** Runs a Node.js process to completion without blocking this one (the local endpoint lives here). */
function runNode(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ProcessRun> {
  const rssFile = path.join(os.tmpdir(), `bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['-r', RSS_PRELOAD, ...args], {
      cwd: ROOT, env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - start;
      const maxRssKiB = fs.existsSync(rssFile) ? Number(fs.readFileSync(rssFile, 'utf8')) : NaN;
      fs.rmSync(rssFile, { force: true });
      resolve({ ms, code, maxRssKiB, stderr });
    });
  });
}

/**
 * One timed synth of `variant` at `scale`, in a Node.js process of its own (bench/synth-sample.ts): as `cdk synth`
 * runs an app, once per process. In one process, aws-cdk-lib keeps every synthesized app reachable (its global
 * token map), so each sample would start with the heaps of all before it (hundreds of MB after a few) and pay
 * the collections of them, and with code that earlier samples compiled and optimized, which no real synth has.
 */
function synthSample(variant: SynthVariant, scale: Scale): SynthSample {
  return runJsonChild(SYNTH_SAMPLE, [variant, String(scale.queues), String(scale.numbers)], `the ${variant} synth at ${scale.queues} queues`);
}

/** Runs a bench script in a Node.js process of its own, to completion, and returns the JSON it prints. */
function runJsonChild<T>(script: string, args: string[], what: string): T {
  const child = spawnSync(process.execPath, ['--expose-gc', script, ...args], { cwd: ROOT, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`${what} exited ${child.status}: ${child.stderr}`);
  return JSON.parse(child.stdout);
}

/** The median of `values` with their smallest and largest. */
function spread(values: number[]): { median: number; min: number; max: number } {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/**
 * The synth comparisons. Each sample is one synth in a fresh process; the variants are interleaved within each
 * repeat, so drift in the machine's speed affects every variant alike. The ratios are of the medians; beside
 * them, the ratios of each repeat's samples (taken seconds apart) give their spread.
 */
export async function synthFigures(scale: Scale) {
  const variants: SynthVariant[] = ['ours', 'oursSynthOnly', 'raw', 'sameTemplate', 'rawChecked', 'rawCheckedSynthOnly'];
  const runs = Object.fromEntries(variants.map((v) => [v, [] as SynthSample[]])) as Record<SynthVariant, SynthSample[]>;
  for (let i = 0; i < scale.synthRepeats; i++) {
    for (const v of variants) runs[v].push(synthSample(v, scale));
  }
  const ms = (v: SynthVariant) => runs[v].map((r) => r.ms);
  const m = Object.fromEntries(variants.map((v) => [v, median(ms(v))])) as Record<SynthVariant, number>;
  const paired = (of: (i: number) => number) => spread(runs.raw.map((_, i) => of(i)));
  const ratio = paired((i) => runs.ours[i].ms / runs.raw[i].ms);
  const ratioSynthOnly = paired((i) => runs.oursSynthOnly[i].ms / runs.raw[i].ms);
  const floor = paired((i) => runs.sameTemplate[i].ms / runs.raw[i].ms);
  const logic = paired((i) => runs.ours[i].ms / runs.sameTemplate[i].ms);
  const checks = paired((i) => (runs.rawChecked[i].ms - runs.raw[i].ms) / runs.raw[i].ms);
  const checksSynthOnly = paired((i) => (runs.rawCheckedSynthOnly[i].ms - runs.raw[i].ms) / runs.raw[i].ms);
  return {
    constructsMs: m.ours, constructsSynthOnlyMs: m.oursSynthOnly, l1Ms: m.raw,
    synthOverheadRatio: m.ours / m.raw, synthOverheadRatioSynthOnly: m.oursSynthOnly / m.raw,
    l1WithChecksMs: m.rawChecked, l1WithChecksSynthOnlyMs: m.rawCheckedSynthOnly,
    checksOverheadFraction: (m.rawChecked - m.raw) / m.raw, checksOverheadFractionSynthOnly: (m.rawCheckedSynthOnly - m.raw) / m.raw,
    synthOverheadRatioPairedMedian: ratio.median, synthOverheadRatioPairedMin: ratio.min, synthOverheadRatioPairedMax: ratio.max,
    sameTemplateMs: m.sameTemplate,
    synthFloorRatio: m.sameTemplate / m.raw, synthFloorRatioPairedMedian: floor.median, synthFloorRatioPairedMin: floor.min, synthFloorRatioPairedMax: floor.max,
    synthLogicRatio: m.ours / m.sameTemplate, synthLogicRatioPairedMedian: logic.median, synthLogicRatioPairedMin: logic.min, synthLogicRatioPairedMax: logic.max,
    synthOverheadRatioSynthOnlyPairedMedian: ratioSynthOnly.median,
    synthOverheadRatioSynthOnlyPairedMin: ratioSynthOnly.min, synthOverheadRatioSynthOnlyPairedMax: ratioSynthOnly.max,
    checksOverheadFractionPairedMedian: checks.median, checksOverheadFractionPairedMin: checks.min, checksOverheadFractionPairedMax: checks.max,
    checksOverheadFractionSynthOnlyPairedMedian: checksSynthOnly.median,
    checksOverheadFractionSynthOnlyPairedMin: checksSynthOnly.min, checksOverheadFractionSynthOnlyPairedMax: checksSynthOnly.max,
    synthSamples: scale.synthRepeats,
    /** The largest heap in use when a timed synth started: what each sample carries in from before it. */
    synthHeapBeforeMaxMiB: Math.max(...variants.flatMap((v) => runs[v].map((r) => r.heapBeforeMiB))),
  };
}

async function checkFigures(scale: Scale, work: string) {
  const numbers = claimedNumbers(scale.numbers);
  const inventory = path.join(work, 'inventory.json');
  fs.writeFileSync(inventory, JSON.stringify({ instanceArn: INSTANCE_ARN, numbers }));
  const files = writeExportedFlows(path.join(work, 'flows'), scale.flows, numbers.map((n) => n.number));
  const actions = files.slice(0, 50).reduce((n, f) => n + JSON.parse(fs.readFileSync(f, 'utf8')).Actions.length, 0) / 50;
  await settle();
  const all: ProcessRun[] = [];
  for (let i = 0; i < 5; i++) {
    const run = await runNode([CLI, 'check', '--numbers', inventory, ...files]);
    if (run.code !== 0) throw new Error(`check of ${files.length} flows exited ${run.code}: ${run.stderr}`);
    all.push(run);
  }
  const one: ProcessRun[] = [];
  for (let i = 0; i < 9; i++) one.push(await runNode([CLI, 'check', '--numbers', inventory, files[0]]));
  const allMs = median(all.map((r) => r.ms));
  return {
    flows: files.length, meanActionsPerFlow: Math.round(actions),
    checkAllMs: allMs, checkFlowsPerSecond: files.length / (allMs / 1000), checkOneFileMs: median(one.map((r) => r.ms)),
    checkPeakRssMiB: Math.max(...all.map((r) => r.maxRssKiB)) / 1024,
  };
}

async function lookupFigures(scale: Scale, work: string) {
  Object.assign(process.env, AWS_ENV);
  const entries = generateNumbers(scale.lookupNumbers, { targetArn: INSTANCE_ARN });
  const measure = async (pageSize: number) => {
    const endpoint = await startConnectEndpoint({
      numbers: { [INSTANCE_ARN]: entries }, throttle: { kind: 'rate', requestsPerSecond: 2, burst: 5 },
    });
    const client = createConnectClient({ endpoint: endpoint.url, region: 'ap-northeast-1' });
    try {
      const { ms, value } = await timeAsyncMs(() => listClaimedNumbers({ targetArn: INSTANCE_ARN, client, pageSize }));
      if (value.numbers.length !== entries.length) throw new Error(`lookup listed ${value.numbers.length} of ${entries.length}`);
      return { calls: endpoint.calls, throttled: endpoint.throttled, ms };
    } finally {
      client.destroy();
      await endpoint.close();
    }
  };
  const page1000 = await measure(1000);
  const page100 = await measure(100);

  const endpoint = await startConnectEndpoint({ numbers: { [INSTANCE_ARN]: entries } });
  const contextFile = path.join(work, 'cdk.context.json');
  const cli = await runNode([CLI, 'lookup', '--instance-arn', INSTANCE_ARN, '--context-file', contextFile],
    { ...AWS_ENV, AWS_ENDPOINT_URL_CONNECT: endpoint.url });
  await endpoint.close();
  if (cli.code !== 0) throw new Error(`lookup exited ${cli.code}: ${cli.stderr}`);
  return {
    numbers: entries.length, minimumCalls: Math.ceil(entries.length / 1000),
    lookupCalls: page1000.calls, lookupThrottled: page1000.throttled, lookupMs: page1000.ms,
    lookupCallsPageSize100: page100.calls, lookupThrottledPageSize100: page100.throttled, lookupMsPageSize100: page100.ms,
    lookupCommandPeakRssMiB: cli.maxRssKiB / 1024,
  };
}

async function startupFigures() {
  const loads: number[] = [];
  let handlerRss = 0;
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(path.join(DIST, 'handler', 'index.js'))});` +
    'process.stderr.write(String(Number(process.hrtime.bigint()-t)/1e6))';
  for (let i = 0; i < 9; i++) {
    const run = await runNode(['-e', script]);
    loads.push(Number(run.stderr));
    handlerRss = Math.max(handlerRss, run.maxRssKiB);
  }
  const synth = await runNode([path.join(DIST, 'bin', 'example-app.js')], { CDK_OUTDIR: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-example-')) });
  return {
    handlerModuleLoadMs: median(loads), handlerBundleKiB: fs.statSync(path.join(DIST, 'handler', 'index.js')).size / 1024,
    handlerPeakRssMiB: handlerRss / 1024, exampleSynthMs: synth.ms, exampleSynthPeakRssMiB: synth.maxRssKiB / 1024,
  };
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** `figure`'s paired per-repeat median with its range, as the table shows it. */
function pairedSpread(figures: Record<string, number>, figure: string): string {
  return `${figures[`${figure}PairedMedian`]} (${figures[`${figure}PairedMin`]}-${figures[`${figure}PairedMax`]})`;
}

/** `bench/validation-bench.ts` at the full size, in a process of its own. */
function templateValidationFigures(): Record<string, number> {
  // The first stack of the full size holds its first 100 units: 100 queues give the same stack.
  const full = SCALES.find((s) => s.name === 'full')!;
  return runJsonChild(path.join(__dirname, 'validation-bench.js'), ['100', String(full.numbers), '7'], 'the template validation benchmark');
}

/**
 * `checkVsParseFigures` in a process of its own, as the `check` command runs: without aws-cdk-lib loaded (it wraps
 * every `fs` function in a timer) and without the heap this process keeps from its synth runs.
 */
function checkVsParseInItsOwnProcess(): ReturnType<typeof checkVsParseFigures> {
  return runJsonChild(path.join(__dirname, 'check-bench.js'), ['5000', '7'], 'the check benchmark');
}

async function main(): Promise<void> {
  const started = performance.now();
  const cpus = os.cpus();
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: { cpu: cpus[0]?.model, cores: cpus.length, memoryGiB: round(os.totalmem() / 2 ** 30, 1), node: process.version, platform: `${os.platform()} ${os.release()}` },
  };
  const byScale: Record<string, Record<string, number>> = {};
  for (const scale of SCALES) {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${scale.name}-`));
    process.stderr.write(`bench: ${scale.name} scale: synth...\n`);
    const synth = await synthFigures(scale);
    process.stderr.write(`bench: ${scale.name} scale: check...\n`);
    const check = await checkFigures(scale, work);
    process.stderr.write(`bench: ${scale.name} scale: lookup...\n`);
    const lookup = await lookupFigures(scale, work);
    fs.rmSync(work, { recursive: true, force: true });
    process.stderr.write(`bench: ${scale.name} scale: ${JSON.stringify({ ...synth, ...check, ...lookup })}\n`);
    byScale[scale.name] = Object.fromEntries(Object.entries({ ...synth, ...check, ...lookup }).map(([k, v]) => [k, round(v)]));
  }
  await settle();
  process.stderr.write('bench: the example\'s first cdk synth...\n');
  const startup = Object.fromEntries(Object.entries({ ...await startupFigures(), ...exampleSynthFigures() }).map(([k, v]) => [k, round(v)]));
  process.stderr.write('bench: deploy-time check...\n');
  const deployCheck = Object.fromEntries(Object.entries(await deployCheckFigures()).map(([k, v]) => [k, round(v)]));
  process.stderr.write('bench: template validation of one stack...\n');
  const validation = Object.fromEntries(Object.entries(templateValidationFigures()).map(([k, v]) => [k, round(v)]));
  process.stderr.write('bench: reading JSON text and bad input...\n');
  const inputWork = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-input-'));
  process.stderr.write('bench: check beside JSON.parse, in one thread...\n');
  const checkVsParse = checkVsParseInItsOwnProcess();
  const input = { ...parseFigures(inputWork), ...badInputFigures(inputWork) };
  fs.rmSync(inputWork, { recursive: true, force: true });
  const full = byScale.full;
  Object.assign(results, {
    synthOverheadRatio: full.synthOverheadRatio,
    checksOverheadFraction: full.checksOverheadFraction,
    synthFloorRatio: full.synthFloorRatio,
    synthLogicRatio: full.synthLogicRatio,
    synthOverheadRatioSynthOnly: full.synthOverheadRatioSynthOnly,
    checksOverheadFractionSynthOnly: full.checksOverheadFractionSynthOnly,
    checkFlowsPerSecond: full.checkFlowsPerSecond,
    checkOneFileMs: full.checkOneFileMs,
    ...checkVsParse,
    lookupCalls: full.lookupCalls,
    ...validation,
    ...deployCheck,
    ...startup,
    ...input,
    scales: Object.fromEntries(SCALES.map((s) => [s.name, { size: { queues: s.queues, whisperFlows: s.queues, transferFlows: s.queues, claimedNumbers: s.numbers, checkedFlows: s.flows, lookedUpNumbers: s.lookupNumbers }, ...byScale[s.name] }])),
    benchSeconds: round((performance.now() - started) / 1000, 1),
  });
  fs.writeFileSync(path.join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, undefined, 2)}\n`);

  const rows: [string, string | number, string | number, string][] = [
    ['synth, raw L1 (ms)', full.l1Ms, byScale.tenth.l1Ms, ''],
    ['synth, constructs (ms)', full.constructsMs, byScale.tenth.constructsMs, ''],
    ['synthOverheadRatio', full.synthOverheadRatio, byScale.tenth.synthOverheadRatio, '<= 1.3'],
    ['synthOverheadRatio of paired samples: median (min-max)', pairedSpread(full, 'synthOverheadRatio'), pairedSpread(byScale.tenth, 'synthOverheadRatio'), ''],
    ['synth, the constructs\' templates from L1 (ms)', full.sameTemplateMs, byScale.tenth.sameTemplateMs, ''],
    ['synthFloorRatio (those templates beside raw L1)', full.synthFloorRatio, byScale.tenth.synthFloorRatio, ''],
    ['synthFloorRatio of paired samples: median (min-max)', pairedSpread(full, 'synthFloorRatio'), pairedSpread(byScale.tenth, 'synthFloorRatio'), ''],
    ['synthLogicRatio (constructs beside those templates)', full.synthLogicRatio, byScale.tenth.synthLogicRatio, ''],
    ['synthLogicRatio of paired samples: median (min-max)', pairedSpread(full, 'synthLogicRatio'), pairedSpread(byScale.tenth, 'synthLogicRatio'), ''],
    ['aws-cdk-lib template validation of one stack: constructs / raw L1 / constructs without DependsOn and the check\'s numbers (ms)',
      `${validation.validateConstructsStackMs} / ${validation.validateRawStackMs} / ${validation.validateConstructsUngatedStackMs}`, '', ''],
    ['synth, constructs, deployTimeCheck off (ms)', full.constructsSynthOnlyMs, byScale.tenth.constructsSynthOnlyMs, ''],
    ['synthOverheadRatioSynthOnly', full.synthOverheadRatioSynthOnly, byScale.tenth.synthOverheadRatioSynthOnly, ''],
    ['synth, raw L1 + CallerIdChecks (ms)', full.l1WithChecksMs, byScale.tenth.l1WithChecksMs, ''],
    ['checksOverheadFraction', full.checksOverheadFraction, byScale.tenth.checksOverheadFraction, '<= 0.10'],
    ['checksOverheadFraction of paired samples: median (min-max)', pairedSpread(full, 'checksOverheadFraction'), pairedSpread(byScale.tenth, 'checksOverheadFraction'), ''],
    ['synth, raw L1 + CallerIdChecks, deployTimeCheck off (ms)', full.l1WithChecksSynthOnlyMs, byScale.tenth.l1WithChecksSynthOnlyMs, ''],
    ['checksOverheadFractionSynthOnly', full.checksOverheadFractionSynthOnly, byScale.tenth.checksOverheadFractionSynthOnly, ''],
    ['check, all flows (ms)', full.checkAllMs, byScale.tenth.checkAllMs, ''],
    ['checkFlowsPerSecond', full.checkFlowsPerSecond, byScale.tenth.checkFlowsPerSecond, '>= 5000'],
    ['checkOneFileMs', full.checkOneFileMs, byScale.tenth.checkOneFileMs, '< 500'],
    ['check in one thread, 5,000 files (ms)', checkVsParse.checkInProcessMs, '', ''],
    ['readFileSync + JSON.parse, the same files (ms)', checkVsParse.jsonParseFilesMs, '', ''],
    ['checkVsParseRatio', checkVsParse.checkVsParseRatio, '', '>= 0.8'],
    ['readingVsParseRatio (check with no rule run)', checkVsParse.readingVsParseRatio, '', ''],
    ['check peak RSS (MiB)', full.checkPeakRssMiB, byScale.tenth.checkPeakRssMiB, ''],
    ['lookupCalls (page 1000)', full.lookupCalls, byScale.tenth.lookupCalls, `= ${full.minimumCalls} / ${byScale.tenth.minimumCalls}`],
    ['lookup wall (ms, page 1000)', full.lookupMs, byScale.tenth.lookupMs, ''],
    ['lookup calls (page 100)', full.lookupCallsPageSize100, byScale.tenth.lookupCallsPageSize100, ''],
    ['lookup wall (ms, page 100)', full.lookupMsPageSize100, byScale.tenth.lookupMsPageSize100, ''],
    ['lookup command peak RSS (MiB)', full.lookupCommandPeakRssMiB, byScale.tenth.lookupCommandPeakRssMiB, ''],
    ['deployCheckCalls (300 of 5,000 numbers)', deployCheck.deployCheckCalls, '', `= ${deployCheck.deployCheckMinimumCalls}`],
  ];
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  console.log(line(['figure', 'full', 'tenth', 'target']));
  console.log(line(['---', '---', '---', '---']));
  for (const row of rows) console.log(line(row));
  console.log(`\nhandler module load ${startup.handlerModuleLoadMs} ms (bundle ${startup.handlerBundleKiB} KiB, peak RSS ${startup.handlerPeakRssMiB} MiB); ` +
    `example synth ${startup.exampleSynthMs} ms, peak RSS ${startup.exampleSynthPeakRssMiB} MiB; ` +
    `the example's first cdk synth from a clean checkout ${startup.exampleFirstSynthMs} ms (median of 3 copies, slowest ${startup.exampleFirstSynthMaxMs}; target under 10,000), the next ${startup.exampleSecondSynthMs} ms`);
  console.log(`written to bench/results.json in ${results.benchSeconds} s`);
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  });
}
