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
import { readFlowExport } from '../lib/core/flow/reader';
import { readFlowFile } from '../lib/core/json-text';
import { printable } from '../lib/core/printable';
import { claimedNumbers, INSTANCE_ARN } from './inventory-fixture';
import { writeExportedFlows } from './export-flows';
import { median } from './stats';

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

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
 * time is added to check's. `checkVsParseRatio` is the median over `repeats` runs of each run's ratio, with the
 * lowest and highest beside it.
 *
 * `readingVsParseRatio` is measured the same way for what check does before any rule (read, decode, parse with
 * duplicate keys refused and action offsets found, read the actions): what the positions and the refusal of
 * duplicate keys cost, apart from the rules.
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
  let findings = 0;
  const check: Stage<{ checkOne: (file: string) => FileResult; checked: FileResult[] }> = {
    start: () => ({ checkOne: fileChecker(request), checked: [] }),
    file: (state, file) => { state.checked.push(state.checkOne(file)); },
    end: (state) => {
      renderReport(buildCheckReport(state.checked, request.inventory, [], cwd), ReportFormat.SARIF, { cwd, toolVersion: 'bench' });
      findings = state.checked.reduce((n, f) => n + f.findings.length + (f.unreadable !== undefined ? 1 : 0), 0);
    },
  };
  // What check does before any rule: read and decode the file, parse it refusing duplicate keys and finding
  // where each action starts (the positions SARIF reports), and read the actions.
  const reading: Stage<undefined> = {
    start: () => undefined,
    file: (_, file) => { readFlowExport(readFlowFile(file), printable(file), { actionOffsets: true, inPlace: true }); },
    end: () => undefined,
  };
  const checkRuns = pairedRuns(files, check, repeats);
  const readingRuns = pairedRuns(files, reading, repeats);
  fs.rmSync(path.join(work, 'check-vs-parse'), { recursive: true, force: true });
  const checkMs = median(checkRuns.stage);
  return {
    checkInProcessMs: round(checkMs),
    jsonParseFilesMs: round(median(checkRuns.parse)),
    checkInProcessFlowsPerSecond: round(count / (checkMs / 1000)),
    checkVsParseRatio: round(median(checkRuns.ratio)),
    checkVsParseRatioRange: [round(Math.min(...checkRuns.ratio)), round(Math.max(...checkRuns.ratio))],
    readingVsParseRatio: round(median(readingRuns.ratio)),
    readingVsParseRatioRange: [round(Math.min(...readingRuns.ratio)), round(Math.max(...readingRuns.ratio))],
    checkVsParseFindings: findings,
  };
}

/** Work done file by file, with what it sets up before the first file and finishes after the last. */
interface Stage<S> {
  readonly start: () => S;
  readonly file: (state: S, file: string) => void;
  readonly end: (state: S) => void;
}

/**
 * The stage's milliseconds and `readFileSync` + `JSON.parse`'s over the same files, timed side by side in
 * batches of `BATCH` files (the stage first in one batch, the parse first in the next), and their ratio, for a
 * warm-up run and then each of `repeats` runs.
 */
function pairedRuns<S>(files: readonly string[], stage: Stage<S>, repeats: number): { stage: number[]; parse: number[]; ratio: number[] } {
  const runs = { stage: [] as number[], parse: [] as number[], ratio: [] as number[] };
  for (let r = -1; r < repeats; r++) {
    (globalThis as { gc?: () => void }).gc?.();
    let stageMs = 0;
    let parseMs = 0;
    let started = performance.now();
    const state = stage.start();
    stageMs += performance.now() - started;
    for (let b = 0; b * BATCH < files.length; b++) {
      const batch = files.slice(b * BATCH, (b + 1) * BATCH);
      for (const parseFirst of (b + r) % 2 === 0 ? [false, true] : [true, false]) {
        started = performance.now();
        if (parseFirst) {
          for (const file of batch) JSON.parse(fs.readFileSync(file, 'utf8'));
          parseMs += performance.now() - started;
        } else {
          for (const file of batch) stage.file(state, file);
          stageMs += performance.now() - started;
        }
      }
    }
    started = performance.now();
    stage.end(state);
    stageMs += performance.now() - started;
    // The first run, for module loading and the first compilation, is in no figure.
    if (r < 0) continue;
    runs.stage.push(stageMs);
    runs.parse.push(parseMs);
    runs.ratio.push(parseMs / stageMs);
  }
  return runs;
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
