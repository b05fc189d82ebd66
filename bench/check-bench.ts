/**
 * What `check` costs beside reading the same files with JSON.parse, side by side in this one process and thread.
 *
 * `node dist/bench/check-bench.js` runs only this figure and merges it into bench/results.json;
 * `npm run bench` runs it with everything else.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { CheckRequest, FileResult, fileChecker } from '../lib/cli/check-files';
import { buildCheckReport } from '../lib/cli/check-report';
import { renderReport, ReportFormat } from '../lib/cli/report-formats';
import { claimedNumbers, INSTANCE_ARN } from './inventory-fixture';
import { writeExportedFlows } from './export-flows';

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Files timed at a time: about 25 ms of work, short against the swings in this machine's speed. */
const BATCH = 100;

/**
 * `check` of every file as the command does it in one thread (read from disk, decode, parse with duplicate keys
 * refused and action offsets found, every rule, the report with acknowledgements applied, rendered as SARIF with
 * positions) against `fs.readFileSync` and `JSON.parse` of the same files.
 *
 * The two are timed side by side in batches of `BATCH` files: each batch is checked and then parsed (or parsed
 * and then checked, alternately, so neither always runs on a warmer cache), and each figure is the sum over the
 * batches. Machine speed that drifts over seconds then affects both alike, which alternating whole runs of
 * seconds each does not. The report is built and rendered once over all files, as the command does, and its
 * time is added to check's. Each figure is the median of `repeats` such runs.
 *
 * Run it in a process of its own (as `npm run bench` does): `check` never loads aws-cdk-lib, and aws-cdk-lib
 * wraps every `fs` function in a timer when it loads, which would charge check's four calls per file (open,
 * stat, read, close) against parse's one.
 *
 * The warm-up run leaves the 5,000 caller IDs in the parsed-number cache (`parseE164`), as a second file using a
 * number finds it in one `check` run: the timed runs leave out one libphonenumber-js parse per distinct number.
 */
export function checkVsParseFigures(work: string, count = 5000, repeats = 7) {
  const numbers = claimedNumbers(count);
  const files = writeExportedFlows(path.join(work, 'check-vs-parse'), count, numbers.map((n) => n.number));
  const request: CheckRequest = { inventory: { instanceArn: INSTANCE_ARN, numbers }, approvedExternalNumbers: {} };
  const cwd = process.cwd();
  const batches = Array.from({ length: Math.ceil(files.length / BATCH) }, (_, i) => files.slice(i * BATCH, (i + 1) * BATCH));
  let findings = 0;
  const run = (alternate: number): { check: number; parse: number } => {
    let checkMs = 0;
    let parseMs = 0;
    let start = performance.now();
    const checkOne = fileChecker(request);
    checkMs += performance.now() - start;
    const checked: FileResult[] = [];
    for (const [i, batch] of batches.entries()) {
      for (const parseFirst of (i + alternate) % 2 === 0 ? [false, true] : [true, false]) {
        start = performance.now();
        if (parseFirst) {
          for (const file of batch) JSON.parse(fs.readFileSync(file, 'utf8'));
          parseMs += performance.now() - start;
        } else {
          for (const file of batch) checked.push(checkOne(file));
          checkMs += performance.now() - start;
        }
      }
    }
    start = performance.now();
    const report = buildCheckReport(checked, request.inventory, [], cwd);
    renderReport(report, ReportFormat.SARIF, { cwd, toolVersion: 'bench' });
    checkMs += performance.now() - start;
    findings = checked.reduce((n, f) => n + f.findings.length + (f.unreadable !== undefined ? 1 : 0), 0);
    return { check: checkMs, parse: parseMs };
  };
  // One run first, so module loading and the first compilation are in neither figure.
  run(0);
  const runs: { check: number[]; parse: number[]; ratio: number[] } = { check: [], parse: [], ratio: [] };
  for (let r = 0; r < repeats; r++) {
    (globalThis as { gc?: () => void }).gc?.();
    const { check, parse } = run(r);
    runs.check.push(check);
    runs.parse.push(parse);
    runs.ratio.push(parse / check);
  }
  fs.rmSync(path.join(work, 'check-vs-parse'), { recursive: true, force: true });
  const checkMs = median(runs.check);
  const parseMs = median(runs.parse);
  return {
    checkInProcessMs: round(checkMs),
    jsonParseFilesMs: round(parseMs),
    checkInProcessFlowsPerSecond: round(count / (checkMs / 1000)),
    checkVsParseRatio: round(median(runs.ratio)),
    checkVsParseRatioRange: [round(Math.min(...runs.ratio)), round(Math.max(...runs.ratio))],
    checkVsParseFindings: findings,
  };
}

function main(): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-check-'));
  const [count, repeats] = process.argv.slice(2).map(Number);
  const figures = checkVsParseFigures(work, count || undefined, repeats || undefined);
  fs.rmSync(work, { recursive: true, force: true });
  if (!count) {
    const file = path.join(__dirname, '..', '..', 'bench', 'results.json');
    const results = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
    fs.writeFileSync(file, `${JSON.stringify({ ...results, ...figures }, undefined, 2)}\n`);
  }
  console.log(JSON.stringify(figures, undefined, 2));
}

if (require.main === module) main();
