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
import { checkFilesInProcess, CheckRequest } from '../lib/cli/check-files';
import { buildCheckReport } from '../lib/cli/check-report';
import { renderReport, ReportFormat } from '../lib/cli/report-formats';
import { claimedNumbers, INSTANCE_ARN } from './contact-centre';
import { writeExportedFlows } from './export-flows';

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * `check` of every file as the command does it in one thread (read from disk, decode, parse with duplicate keys
 * refused and action offsets found, every rule, the report with acknowledgements applied, rendered as SARIF with
 * positions) against `fs.readFileSync` and `JSON.parse` of the same files. Runs alternate, so drift in the
 * machine's speed affects both alike; each figure is the median of `repeats` runs over all the files.
 * `checkVsParseRatio` is check's throughput over JSON.parse's: 1 would mean the rules and positions cost nothing.
 * The warm-up run leaves the 5,000 caller IDs in the parsed-number cache (`parseE164`), as a second file using a
 * number finds it in one `check` run: the timed runs leave out one libphonenumber-js parse per distinct number.
 */
export function checkVsParseFigures(work: string, count = 5000, repeats = 7) {
  const numbers = claimedNumbers(count);
  const files = writeExportedFlows(path.join(work, 'check-vs-parse'), count, numbers.map((n) => n.number));
  const request: CheckRequest = { inventory: { instanceArn: INSTANCE_ARN, numbers }, approvedExternalNumbers: {} };
  const cwd = process.cwd();
  let findings = 0;
  const check = () => {
    const checked = checkFilesInProcess(files, request);
    const report = buildCheckReport(checked, request.inventory, [], cwd);
    renderReport(report, ReportFormat.SARIF, { cwd, toolVersion: 'bench' });
    findings = checked.reduce((n, f) => n + f.findings.length + (f.unreadable !== undefined ? 1 : 0), 0);
  };
  const parse = () => {
    for (const file of files) JSON.parse(fs.readFileSync(file, 'utf8'));
  };
  // One run of each first, so module loading and the first compilation are in neither figure.
  check();
  parse();
  const runs: { check: number[]; parse: number[] } = { check: [], parse: [] };
  for (let r = 0; r < repeats; r++) {
    (globalThis as { gc?: () => void }).gc?.();
    let start = performance.now();
    check();
    runs.check.push(performance.now() - start);
    (globalThis as { gc?: () => void }).gc?.();
    start = performance.now();
    parse();
    runs.parse.push(performance.now() - start);
  }
  fs.rmSync(path.join(work, 'check-vs-parse'), { recursive: true, force: true });
  const checkMs = median(runs.check);
  const parseMs = median(runs.parse);
  return {
    checkInProcessMs: round(checkMs),
    jsonParseFilesMs: round(parseMs),
    checkInProcessFlowsPerSecond: round(count / (checkMs / 1000)),
    checkVsParseRatio: round(parseMs / checkMs),
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
