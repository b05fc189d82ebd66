import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { CallerIdInputError } from '../core/errors';
import { checkFlowExport, ExportCheck } from '../core/flow/check';
import { FlowKind, readFlowExport } from '../core/flow/reader';
import { Finding } from '../core/findings';
import { Inventory, InventoryDocument } from '../core/inventory';
import { readFlowFile } from '../core/json-text';
import { printable } from '../core/printable';
import { describeError } from './io';
import { withActionPositions } from './positions';

/** What every file is checked against; plain data, so it can be handed to worker threads. */
export interface CheckRequest {
  readonly inventory: InventoryDocument;
  readonly approvedExternalNumbers: Record<string, string>;
  /** The type of files that neither state one nor show one in their content. */
  readonly defaultType?: FlowKind;
}

export interface FileResult extends Partial<Omit<ExportCheck, 'findings'>> {
  readonly file: string;
  readonly findings: Finding[];
  /** Why the file could not be checked. */
  readonly unreadable?: string;
}

/** Below this many files per thread, starting a worker thread costs more than it saves. */
const FILES_PER_THREAD = 1000;
const MAX_THREADS = 8;
const WORKER = path.join(__dirname, 'check-worker.js');

/**
 * Checks the files, in order. Large batches (a repository's worth of exports in CI) are spread over threads,
 * one per core: reading and parsing the JSON is most of the work, and it parallelizes perfectly.
 */
export async function checkFiles(files: readonly string[], request: CheckRequest): Promise<FileResult[]> {
  const threads = Math.min(MAX_THREADS, os.availableParallelism(), Math.floor(files.length / FILES_PER_THREAD));
  // The worker script exists next to this module once compiled; run from TypeScript sources, check in-process.
  if (threads < 2 || !fs.existsSync(WORKER)) return checkFilesInProcess(files, request);
  // This thread takes the first share itself: its modules are loaded already, a new worker's are not.
  const size = Math.ceil(files.length / threads);
  const shares = Array.from({ length: threads }, (_, i) => files.slice(i * size, (i + 1) * size));
  const others = shares.slice(1).map((share) => runWorker(share, request));
  const own = checkFilesInProcess(shares[0], request);
  return [own, ...(await Promise.all(others))].flat();
}

export function checkFilesInProcess(files: readonly string[], request: CheckRequest): FileResult[] {
  return files.map(fileChecker(request));
}

/** Checks one file at a time against the request, its inventory indexed once for all of them. */
export function fileChecker(request: CheckRequest): (file: string) => FileResult {
  const inventory = new Inventory(request.inventory.instanceArn, request.inventory.numbers);
  return (file) => checkFile(file, inventory, request);
}

function runWorker(files: readonly string[], request: CheckRequest): Promise<FileResult[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: { files, request } });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`a check worker stopped with exit code ${code}`));
    });
  });
}

function checkFile(file: string, inventory: Inventory, request: CheckRequest): FileResult {
  try {
    const text = readFlowFile(file);
    const read = readFlowExport(text, printable(file), { actionOffsets: true, inPlace: true });
    const checked = checkFlowExport(read, { inventory, approvedExternalNumbers: request.approvedExternalNumbers, defaultType: request.defaultType });
    return { file, ...checked, findings: withActionPositions(checked.findings, read, text) };
  } catch (e) {
    if (e instanceof CallerIdInputError) return { file, findings: [], unreadable: e.message };
    // Not a problem of the input that a rule describes: the other files are still checked, and this one is
    // reported like an unreadable one (exit code 2) with what happened, rather than ending the run with a stack.
    return {
      file, findings: [],
      unreadable: `${printable(file)}: could not be checked: the check failed unexpectedly (${describeError(e)}). ` +
        'This is a fault in connect-caller-id, not a finding about the flow; please report it with the file.',
    };
  }
}
