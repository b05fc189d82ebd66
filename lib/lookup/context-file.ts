import * as fs from 'fs';
import * as path from 'path';
import { CallerIdInputError } from '../core/errors';
import { InventoryDocument, inventoryContextKey } from '../core/inventory';

/**
 * Writes an inventory into a CDK context file (`cdk.context.json`) under
 * `connect-caller-id:claimed-numbers:<instanceArn>`, where `ClaimedNumbers.fromLookup` reads it.
 *
 * Every other key is kept, in its order; an existing entry for the instance is replaced where it stands. The
 * file is replaced atomically (a temporary file in the same directory, flushed to disk, then renamed over
 * it), so a crash or a full disk mid-write leaves the old file whole. A missing file is created.
 *
 * @throws CallerIdInputError when the existing file is not a JSON object; the file is left untouched.
 */
export function writeInventoryToContextFile(file: string, doc: InventoryDocument): void {
  const context = readContextFile(file);
  context[inventoryContextKey(doc.instanceArn)] = doc;
  // The CDK CLI writes cdk.context.json with 2-space indentation and a trailing newline; matching it keeps
  // diffs of the committed file to the keys that changed.
  writeFileAtomically(file, JSON.stringify(context, undefined, 2) + '\n');
}

function readContextFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`Cannot read the context file ${file}: ${(e as Error).message}`, { cause: e });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new CallerIdInputError(
      `The context file ${file} is not valid JSON (${(e as Error).message}); it was left as it is. Fix or delete it, then run the lookup again.`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const got = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    throw new CallerIdInputError(
      `The context file ${file} must hold a JSON object of context keys, but holds ${got}; it was left as it is. Fix or delete it, then run the lookup again.`,
    );
  }
  return value as Record<string, unknown>;
}

function writeFileAtomically(file: string, content: string): void {
  const dir = path.dirname(path.resolve(file));
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const mode = existingMode(file);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, 'wx', mode);
    const bytes = Buffer.from(content, 'utf8');
    let written = 0;
    while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, file);
  } catch (e) {
    if (fd !== undefined) closeQuietly(fd);
    removeQuietly(temp);
    throw new Error(`Cannot write the context file ${file}: ${(e as Error).message}. The file was left as it was.`, { cause: e });
  }
  syncDirectory(dir);
}

function existingMode(file: string): number {
  try {
    return fs.statSync(file).mode & 0o777;
  } catch {
    return 0o666;
  }
}

/** Makes the rename itself durable, where the platform allows it. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows cannot fsync a directory; the rename is as durable as the platform makes it.
  } finally {
    if (fd !== undefined) closeQuietly(fd);
  }
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // Already failing; the original error is the one to report.
  }
}

function removeQuietly(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // The temporary file may never have been created.
  }
}
