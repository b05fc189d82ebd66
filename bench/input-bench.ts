/**
 * What `check` costs on input no console export has, and what reading JSON text costs beside JSON.parse.
 *
 * `node dist/bench/input-bench.js` runs only these figures and merges them into bench/results.json;
 * `npm run bench` runs them with everything else.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { runCli } from '../lib/cli/main';
import { parseJsonText } from '../lib/core/json-text';
import { writeExportedFlows } from './export-flows';

const MIB = 1024 * 1024;
const INSTANCE_ARN = 'arn:aws:connect:ap-northeast-1:123456789012:instance/0f3c7a52-6d1e-4b8a-9c57-1e2f3a4b5c6d';
const CLAIMED = ['+815010000000', '+815010000001', '+815010000002', '+815010000003'];
/** A case's process (a warm-up and up to three runs) may take this long before it counts as not finishing. */
const TIMEOUT_MS = 120_000;
/** A run slower than this is not repeated: it is far from linear already, and repeating it only costs time. */
const REPEAT_BELOW_MS = 10_000;
/** The sizes each case is measured at: linear work costs the same per megabyte at both. */
const SIZES = [1 * MIB, 4 * MIB];

/** A bad input of about `bytes` bytes. */
type BadInput = (bytes: number) => Buffer | string;

function filled(bytes: number, head: string, item: (i: number) => string, tail: string): string {
  const parts = [head];
  let length = head.length + tail.length;
  for (let i = 0; length < bytes; i++) {
    const part = `${i === 0 ? '' : ','}${item(i)}`;
    parts.push(part);
    length += part.length;
  }
  parts.push(tail);
  return parts.join('');
}

const FLOW_HEAD = '{"Version":"2019-10-30","StartAction":"a0","Actions":[';
const transfer = (id: string, number: string, next: string) =>
  `{"Identifier":"${id}","Type":"TransferParticipantToThirdParty","Parameters":{"ThirdPartyPhoneNumber":"+81368009999",` +
  `"ThirdPartyConnectionTimeLimitSeconds":"30","ContinueFlowExecution":"True","CallerId":{"Number":"${number}"}},` +
  `"Transitions":{"NextAction":"${next}","Errors":[{"NextAction":"${next}","ErrorType":"CallFailed"},` +
  `{"NextAction":"${next}","ErrorType":"ConnectionTimeLimitExceeded"},{"NextAction":"${next}","ErrorType":"NoMatchingError"}]}}`;

/** The bad inputs found by attacking `check`; every one must cost time linear in its size. */
export const BAD_INPUTS: Readonly<Record<string, BadInput>> = {
  /** What /dev/zero or a disk image gives: NUL bytes, within the size bound. */
  nulBytes: (bytes) => Buffer.alloc(bytes),
  /** An export whose last character breaks it: the error is located by scanning the whole text. */
  brokenExport: (bytes) => filled(bytes, FLOW_HEAD, (i) => transfer(`a${i}`, CLAIMED[i % 4], `a${i + 1}`), ']x'),
  /** Caller IDs that are long dotted references with a trailing space, which a backtracking pattern explodes on. */
  dottedReferences: (bytes) => filled(bytes, FLOW_HEAD, (i) => transfer(`a${i}`, `$.Attributes${'.b'.repeat(40)} `, `a${i + 1}`), ']}'),
  /** Transfers whose dynamic caller ID is guarded by a Compare on the claimed numbers, as the constructs build them. */
  guardedTransfers: (bytes) => filled(bytes, FLOW_HEAD, (i) =>
    `{"Identifier":"a${i}","Type":"Compare","Parameters":{"ComparisonValue":"$.Attributes.cid"},"Transitions":{"NextAction":"f${i}",` +
    `"Conditions":[${CLAIMED.map((n) => `{"NextAction":"t${i}","Condition":{"Operator":"Equals","Operands":["${n}"]}}`).join(',')}],` +
    `"Errors":[{"NextAction":"f${i}","ErrorType":"NoMatchingCondition"}]}},` +
    `${transfer(`t${i}`, '$.Attributes.cid', `a${i + 1}`)},${transfer(`f${i}`, CLAIMED[0], `a${i + 1}`)}`, ']}'),
};

/**
 * In a child process: times `check` on one file (best of three, after a warm-up run that loads every module),
 * prints milliseconds.
 */
async function timeOneFile(inventory: string, file: string): Promise<void> {
  const io = { out: () => undefined, err: () => undefined };
  await runCli(['check', '--numbers', inventory, '--type', 'CONTACT_FLOW', inventory], io);
  let best = Infinity;
  for (let i = 0; i < 3 && (i === 0 || best < REPEAT_BELOW_MS); i++) {
    const start = performance.now();
    await runCli(['check', '--numbers', inventory, '--type', 'CONTACT_FLOW', file], io);
    best = Math.min(best, performance.now() - start);
  }
  process.stdout.write(String(best));
}

/** Milliseconds `check` takes on the file, or undefined when it does not finish within the timeout. */
function timeCheck(inventory: string, file: string): number | undefined {
  const run = spawnSync(process.execPath, [__filename, '--time', inventory, file], { encoding: 'utf8', timeout: TIMEOUT_MS });
  if (run.status !== 0) return undefined;
  return Number(run.stdout);
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Time per megabyte of `check` on each bad input at 1 MiB and 4 MiB, in a fresh process each (best of three
 * runs after a warm-up); `linearity` is the 4 MiB figure over the 1 MiB one: 1 for linear work, 4 for quadratic.
 * `/dev/zero` itself is timed once: it is read up to the bound whatever its size.
 */
export function badInputFigures(work: string) {
  fs.mkdirSync(work, { recursive: true });
  const inventory = path.join(work, 'inventory.json');
  fs.writeFileSync(inventory, JSON.stringify({
    instanceArn: INSTANCE_ARN,
    numbers: CLAIMED.map((number, i) => ({ number, type: 'DID', countryCode: 'JP', arn: `arn:aws:connect:ap-northeast-1:123456789012:phone-number/5e1f0000-0000-4000-8000-${String(i).padStart(12, '0')}` })),
  }));
  const cases: Record<string, { msPerMB: Record<string, number>; linearity?: number; unfinishedAt?: string }> = {};
  for (const [name, make] of Object.entries(BAD_INPUTS)) {
    const msPerMB: Record<string, number> = {};
    let unfinishedAt: string | undefined;
    for (const size of SIZES) {
      const file = path.join(work, `${name}-${size / MIB}MiB.json`);
      fs.writeFileSync(file, make(size));
      const bytes = fs.statSync(file).size;
      process.stderr.write(`bench: bad input ${name}, ${round(bytes / MIB)} MiB...\n`);
      const ms = timeCheck(inventory, file);
      fs.rmSync(file);
      if (ms === undefined) {
        unfinishedAt = `${size / MIB}MiB`;
        break;
      }
      msPerMB[`${size / MIB}MiB`] = round(ms / (bytes / MIB));
    }
    const [small, large] = SIZES.map((s) => msPerMB[`${s / MIB}MiB`]);
    cases[name] = { msPerMB, ...(small && large ? { linearity: round(large / small) } : {}), ...(unfinishedAt ? { unfinishedAt } : {}) };
  }
  // The worst case is the slowest per megabyte at the larger size among those that finished; those that did not
  // are listed apart, since no figure describes them.
  const finished = Object.entries(cases).filter(([, c]) => c.linearity !== undefined);
  const worst = finished.reduce<[string, (typeof cases)[string]] | undefined>(
    (w, c) => (w === undefined || c[1].msPerMB['4MiB'] > w[1].msPerMB['4MiB'] ? c : w), undefined);
  const devZeroMs = timeCheck(inventory, '/dev/zero');
  return {
    badInputWorstCase: worst?.[0] ?? null,
    badInputWorstMsPerMB: worst?.[1].msPerMB['4MiB'] ?? null,
    badInputLinearity: worst?.[1].linearity ?? null,
    badInputUnfinished: Object.entries(cases).filter(([, c]) => c.unfinishedAt).map(([n, c]) => `${n} at ${c.unfinishedAt}`),
    badInputDevZeroMs: devZeroMs === undefined ? null : round(devZeroMs),
    badInput: cases,
  };
}

/**
 * parseJsonText (JSON.parse, then the duplicate-key check that also finds action positions) against JSON.parse alone on
 * the same 2,000 console exports, as written (one line) and indented; CPU time, best of interleaved runs.
 */
export function parseFigures(work: string) {
  const files = writeExportedFlows(path.join(work, 'parse'), 2000, CLAIMED);
  const oneLine = files.map((f) => fs.readFileSync(f, 'utf8'));
  // Through a Buffer, so the indented texts are flat strings as read from files, not the parts JSON.stringify joins.
  const indented = oneLine.map((t) => Buffer.from(JSON.stringify(JSON.parse(t), undefined, 2)).toString());
  fs.rmSync(path.join(work, 'parse'), { recursive: true, force: true });
  const source = { source: 'f', subject: 'is', expected: 'a flow' };
  const best: Record<string, number> = {};
  const cpu = (name: string, texts: string[], parse: (t: string) => unknown) => {
    const start = process.cpuUsage();
    for (const t of texts) parse(t);
    const used = process.cpuUsage(start);
    best[name] = Math.min(best[name] ?? Infinity, (used.user + used.system) / 1000);
  };
  for (let r = 0; r < 15; r++) {
    cpu('jsonParse', oneLine, JSON.parse);
    cpu('jsonText', oneLine, (t) => parseJsonText(t, source));
    cpu('jsonParseIndented', indented, JSON.parse);
    cpu('jsonTextIndented', indented, (t) => parseJsonText(t, source));
  }
  const mib = (texts: string[]) => texts.reduce((n, t) => n + t.length, 0) / MIB;
  return {
    jsonTextToJsonParseRatio: round(best.jsonText / best.jsonParse),
    jsonTextToJsonParseRatioIndented: round(best.jsonTextIndented / best.jsonParseIndented),
    jsonTextMBPerSecond: round(mib(oneLine) / (best.jsonText / 1000)),
    jsonParseMBPerSecond: round(mib(oneLine) / (best.jsonParse / 1000)),
  };
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-input-'));
  const figures = { ...parseFigures(work), ...badInputFigures(work) };
  fs.rmSync(work, { recursive: true, force: true });
  const file = path.join(__dirname, '..', '..', 'bench', 'results.json');
  const results = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  fs.writeFileSync(file, `${JSON.stringify({ ...results, ...figures }, undefined, 2)}\n`);
  console.log(JSON.stringify(figures, undefined, 2));
}

if (require.main === module) {
  const [flag, inventory, file] = process.argv.slice(2);
  (flag === '--time' ? timeOneFile(inventory, file) : main()).catch((e) => {
    process.stderr.write(`input bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  });
}
