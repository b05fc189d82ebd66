import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { setTimeout as sleep } from 'timers/promises';
import { CallerIdInputError } from '../core/errors';
import { parseInventoryContextKey } from '../core/context-key';
import { InventoryDocument, inventoryContextKey, parseInventoryDocument } from '../core/inventory';
import { MAX_INVENTORY_FILE_BYTES, parseJsonText, readTextFile } from '../core/json-text';

export interface ContextFileWriteOptions {
  /** How long to wait for another writer of the same file to finish, in milliseconds. @default 30000 */
  readonly lockTimeoutMs?: number;
  /**
   * How old a lock taken on another host must be to be judged abandoned, in milliseconds. A lock taken on
   * this host is abandoned as soon as its process is gone; a write takes well under a second.
   * @default 60000
   */
  readonly staleLockMs?: number;
}

/**
 * Writes inventories into a CDK context file (`cdk.context.json`), each under
 * `connect-caller-id:claimed-numbers:<targetArn>`, where `ClaimedNumbers.fromLookup` reads them.
 *
 * Every other key is kept, in its order; an existing entry for a target is replaced where it stands. Each
 * document is checked with the inventory rules synth applies first, so nothing synth would refuse is
 * written. Writers of the same file take turns through a lock file (`<file>.lock`), so two lookups at once
 * keep each other's keys. The file is replaced atomically (a temporary file in the same directory, flushed
 * to disk, then renamed over it), so a crash or a full disk mid-write leaves the old file whole; temporary
 * files a killed writer left are removed by the next one. A missing file is created.
 *
 * @throws CallerIdInputError when a document is not a valid inventory, when the existing file is not a JSON
 *   object, or when another writer holds the lock for longer than `lockTimeoutMs`; the file is left untouched.
 */
export async function writeInventoriesToContextFile(
  file: string,
  docs: readonly InventoryDocument[],
  options: ContextFileWriteOptions = {},
): Promise<void> {
  const entries = docs.map((doc) => [checkContextInventory(doc), doc] as const);
  const release = await acquireLock(file, options);
  try {
    removeOrphans(file);
    const context = readContextFile(file);
    for (const [key, doc] of entries) context[key] = doc;
    // The CDK CLI writes cdk.context.json with 2-space indentation and a trailing newline; matching it keeps
    // diffs of the committed file to the keys that changed.
    writeFileAtomically(file, JSON.stringify(context, undefined, 2) + '\n');
  } finally {
    release();
  }
}

/**
 * Checks an inventory, as JSON will hold it, with the parser `ClaimedNumbers.fromLookup` reads it with, so that
 * nothing synth would refuse is written to the context, by `lookup` or by the CDK CLI plugin. Returns its key.
 *
 * @throws CallerIdInputError when it is not a valid inventory
 */
export function checkContextInventory(doc: InventoryDocument): string {
  const checked = parseInventoryDocument(JSON.parse(JSON.stringify(doc)), `the inventory of ${String(doc.instanceArn)}`);
  return inventoryContextKey(checked.instanceArn);
}

/** The target ARNs that have an inventory in the context file, in the file's order; none when there is no file. */
export function inventoryTargetsInContextFile(file: string): string[] {
  return Object.keys(readContextFile(file)).flatMap((key) => parseInventoryContextKey(key) ?? []);
}

function readContextFile(file: string): Record<string, unknown> {
  try {
    fs.statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`Cannot read the context file ${file}: ${(e as Error).message}`, { cause: e });
  }
  const leftAsItIs = 'it was left as it is. Fix or delete it, then run the lookup again';
  let value: unknown;
  try {
    // The reading every input file gets: bounded, a byte order mark or UTF-16 (as Windows editors save) accepted, a key
    // twice refused (JSON.parse would keep the last, silently dropping an inventory written under the first).
    const text = readTextFile({
      file, what: 'context file', maxBytes: MAX_INVENTORY_FILE_BYTES,
      whyBounded: 'that would be an inventory of some 300,000 numbers, far more than an instance can claim',
    });
    value = parseJsonText(text, {
      source: file, subject: 'is', expected: 'a JSON object of context keys, as cdk.context.json holds',
      whyNoDuplicates: 'The CDK reads only the last of them, so anything under the first is lost, and the lookup cannot tell which one is meant',
    }).value;
  } catch (e) {
    if (!(e instanceof CallerIdInputError)) throw e;
    throw new CallerIdInputError(`The context file ${e.message.replace(/\.$/, '')}; ${leftAsItIs}.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const got = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    throw new CallerIdInputError(`The context file ${file} must hold a JSON object of context keys, but holds ${got}; ${leftAsItIs}.`);
  }
  return value as Record<string, unknown>;
}

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  readonly token: string;
}

/**
 * Takes `<file>.lock`, created exclusively (O_EXCL), holding who took it. A lock whose process is gone
 * (same host), or that is older than `staleLockMs` (another host sharing the directory), is abandoned and
 * taken over. Returns the release.
 */
async function acquireLock(file: string, options: ContextFileWriteOptions): Promise<() => void> {
  const lockTimeoutMs = options.lockTimeoutMs ?? 30_000;
  const staleLockMs = options.staleLockMs ?? 60_000;
  const lock = lockPath(file);
  const owner: LockOwner = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), token: randomUUID() };
  const started = Date.now();
  for (;;) {
    if (createExclusively(lock, JSON.stringify(owner))) return () => releaseLock(lock, owner.token);
    const holder = readLock(lock);
    if (holder !== 'gone') {
      if (isAbandoned(lock, holder, staleLockMs)) {
        removeAbandonedLock(lock, holder);
        continue;
      }
      if (Date.now() - started >= lockTimeoutMs) {
        const who = holder ? `process ${holder.pid} on ${JSON.stringify(holder.host)} since ${holder.since}` : 'a writer that has not said who it is';
        throw new CallerIdInputError(
          `The context file ${file} is being written by ${who}, and was still locked after ${lockTimeoutMs} ms; it was left as it is. ` +
            `Retry when that lookup has ended; if none is running, delete ${lock}.`,
        );
      }
    }
    await sleep(20 + Math.random() * 30);
  }
}

function lockPath(file: string): string {
  return `${path.resolve(file)}.lock`;
}

/** Creates `file` with `content` if it does not exist; false if it does. */
function createExclusively(file: string, content: string): boolean {
  try {
    fs.writeFileSync(file, content, { flag: 'wx', mode: 0o644 });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new Error(`Cannot lock the context file: cannot create ${file}: ${(e as Error).message}`, { cause: e });
  }
}

/** The lock's owner; undefined when the lock exists but cannot be read (being written, or written by a crashed writer). */
function readLock(lock: string): LockOwner | undefined | 'gone' {
  let text: string;
  try {
    text = fs.readFileSync(lock, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    return undefined;
  }
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.token === 'string') return value as LockOwner;
  } catch {
    // Half written: judged by its age below.
  }
  return undefined;
}

function isAbandoned(lock: string, holder: LockOwner | undefined, staleLockMs: number): boolean {
  if (holder && holder.host === os.hostname()) return !isProcessAlive(holder.pid);
  try {
    return Date.now() - fs.statSync(lock).mtimeMs > staleLockMs;
  } catch {
    return false;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes an abandoned lock without ever removing a live one: the lock is first renamed aside, which only
 * one remover can do; if what was renamed is not the abandoned lock (another writer took the lock meanwhile),
 * it is linked back, which fails harmlessly if yet another writer has taken the name since.
 */
function removeAbandonedLock(lock: string, holder: LockOwner | undefined): void {
  const aside = `${lock}.${process.pid}.${randomUUID()}.abandoned`;
  try {
    fs.renameSync(lock, aside);
  } catch {
    return;
  }
  const moved = readLock(aside);
  const same = moved === 'gone' || (holder === undefined ? moved === undefined : moved !== undefined && moved.token === holder.token);
  if (!same) {
    try {
      fs.linkSync(aside, lock);
    } catch {
      // The name was taken again; that writer holds the lock now.
    }
  }
  removeQuietly(aside);
}

function releaseLock(lock: string, token: string): void {
  const holder = readLock(lock);
  if (holder !== 'gone' && holder !== undefined && holder.token === token) removeQuietly(lock);
}

/**
 * Temporary files are only written while the lock is held, so any left when the lock is taken belong to a
 * writer that was killed mid-write; without this they pile up, one per kill, each the size of the file.
 */
function removeOrphans(file: string): void {
  const dir = path.dirname(path.resolve(file));
  const temp = `.${path.basename(file)}.`;
  const aside = `${path.basename(file)}.lock.`;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if ((name.startsWith(temp) && name.endsWith('.tmp')) || (name.startsWith(aside) && name.endsWith('.abandoned'))) {
      removeQuietly(path.join(dir, name));
    }
  }
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
    // The file may never have been created, or is already gone.
  }
}
