import * as fs from 'fs';
import { CallerIdInputError } from './errors';
import { printable } from './printable';

/**
 * The most bytes read of one flow file. Connect keeps at most 256,000 characters of flow content; a
 * DescribeContactFlow response escapes that content into a JSON string (at most six bytes a character, as
 * `\uXXXX`) and adds a few hundred bytes of metadata, so even a maximal flow written entirely in escapes
 * (1,536,000 bytes) and pretty-printed fits five times over. Anything larger is not a flow export, and reading
 * it whole (an endless device such as /dev/zero, a misnamed disk image) would only exhaust memory.
 */
export const MAX_FLOW_FILE_BYTES = 8 * 1024 * 1024;

/**
 * The most bytes read of an inventory file. One number as `lookup` writes it is about 200 bytes of indented
 * JSON, so this holds some 300,000 numbers: far beyond what an instance is allowed to claim.
 */
export const MAX_INVENTORY_FILE_BYTES = 64 * 1024 * 1024;

/** A text file to read, and how large it may be. */
export interface TextFileRead {
  /** The path to read. */
  readonly file: string;
  /** What the file should be, for messages, e.g. `flow file`. */
  readonly what: string;
  /** The most bytes read; a larger file is refused. */
  readonly maxBytes: number;
  /** Why no file of the kind is larger, for the message that refuses one. */
  readonly whyBounded: string;
}

/**
 * Reads a text file of at most `maxBytes` bytes and decodes it (UTF-8, with or without a byte order mark, or
 * UTF-16 in either byte order, as Windows tools write it). Throws CallerIdInputError, naming the file, for a
 * file that cannot be read, is larger than the bound (or endless), or is not text in one of those encodings.
 * The byte order mark is removed.
 */
export function readTextFile({ file, what, maxBytes, whyBounded }: TextFileRead): string {
  const label = printable(file);
  let read: Buffer | string;
  try {
    read = readBounded(file, maxBytes);
  } catch (e) {
    throw new CallerIdInputError(`${label}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (typeof read === 'string') return read;
  if (read.length > maxBytes) {
    throw new CallerIdInputError(`${label}: is larger than ${formatBytes(maxBytes)}, the most read of a ${what}: ${whyBounded}. Check that it is the right file.`);
  }
  return decodeText(read, label);
}

/** Reads a flow file (a console export or a DescribeContactFlow response) with the bound flows have. */
export function readFlowFile(file: string): string {
  return readTextFile({
    file, what: 'flow file', maxBytes: MAX_FLOW_FILE_BYTES,
    whyBounded: 'Amazon Connect keeps at most 256,000 characters of flow content, so no flow export is this large',
  });
}

/** Reads an inventory file (what `lookup` writes) with the bound inventories have. */
export function readInventoryFile(file: string): string {
  return readTextFile({
    file, what: 'inventory file', maxBytes: MAX_INVENTORY_FILE_BYTES,
    whyBounded: 'that would be some 300,000 numbers, far more than an instance can claim',
  });
}

/**
 * Reads up to `maxBytes + 1` bytes: one more than allowed is enough to know the file is too large. A regular file
 * within the bound that is UTF-8 text is read and decoded in one call, as `fs.readFileSync(file, 'utf8')` does,
 * and returned as text (less its byte order mark): most files are, and the bytes are then never copied into a
 * buffer of our own. Anything else is returned as bytes for `decodeText`.
 */
function readBounded(file: string, maxBytes: number): Buffer | string {
  const fd = fs.openSync(file, 'r');
  try {
    const stat = fs.fstatSync(fd);
    // A regular file says its size: one that is too large is refused without reading a byte of it.
    if (stat.isFile() && stat.size > maxBytes) return Buffer.alloc(maxBytes + 1);
    if (stat.isFile()) {
      const text = fs.readFileSync(fd, 'utf8');
      if (isPlainUtf8(text, maxBytes)) return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
      return readBytes(fd, maxBytes, Buffer.allocUnsafe(stat.size + 1), 0);
    }
    // Devices, pipes and /proc files report no useful size; they are read in growing chunks up to the bound.
    return readBytes(fd, maxBytes, Buffer.allocUnsafe(Math.min(maxBytes + 1, 64 * 1024)), null);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Whether text decoded leniently (every invalid sequence becomes U+FFFD) is what `decodeText` gives for the same
 * bytes: no U+FFFD, so the bytes were valid UTF-8, and no U+0000 among the first four characters, which would
 * come from a zero byte among the first four bytes (UTF-16 or UTF-32, which `decodeText` tells apart). A file
 * that is really longer than the bound (it grew after its size was read) is left to the bounded read.
 */
function isPlainUtf8(text: string, maxBytes: number): boolean {
  if (text.length > maxBytes || text.includes('\ufffd')) return false;
  for (let i = 0; i < 4 && i < text.length; i++) if (text.charCodeAt(i) === 0) return false;
  return true;
}

/** Reads from `position` (null: where the file stands, for what cannot seek) up to the bound, growing `buffer`. */
function readBytes(fd: number, maxBytes: number, initial: Buffer, position: number | null): Buffer {
  let buffer = initial;
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (length > maxBytes) break;
      const grown = Buffer.allocUnsafe(Math.min(maxBytes + 1, buffer.length * 2));
      buffer.copy(grown, 0, 0, length);
      buffer = grown;
    }
    const read = fs.readSync(fd, buffer, length, buffer.length - length, position === null ? null : position + length);
    if (read === 0) break;
    length += read;
  }
  return buffer.subarray(0, length);
}

function formatBytes(bytes: number): string {
  return `${bytes / (1024 * 1024)} MiB (${bytes.toLocaleString('en-US')} bytes)`;
}

/**
 * Decodes the bytes of a JSON file. JSON text begins with an ASCII character, so without a byte order mark the
 * zero bytes among the first two tell UTF-16 from UTF-8 (RFC 4627, section 3). UTF-32 is refused: no tool
 * that writes flows uses it. Throws CallerIdInputError, its message starting with `label`, for bytes that are
 * not valid text in the encoding they are in.
 */
export function decodeText(bytes: Uint8Array, label: string): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const [b0, b1, b2, b3] = [buffer[0], buffer[1], buffer[2], buffer[3]];
  if ((b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) || (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) ||
      (buffer.length >= 4 && b0 !== 0 && b1 === 0 && b2 === 0 && b3 === 0) || (buffer.length >= 4 && b0 === 0 && b1 === 0 && b2 === 0 && b3 !== 0)) {
    throw new CallerIdInputError(`${label}: is UTF-32 text; save it as UTF-8.`);
  }
  if (b0 === 0xff && b1 === 0xfe) return decodeUtf16(buffer.subarray(2), 'le', label);
  if (b0 === 0xfe && b1 === 0xff) return decodeUtf16(buffer.subarray(2), 'be', label);
  if (buffer.length >= 2 && b0 !== 0 && b1 === 0) return decodeUtf16(buffer, 'le', label);
  if (buffer.length >= 2 && b0 === 0 && b1 !== 0) return decodeUtf16(buffer, 'be', label);
  const body = b0 === 0xef && b1 === 0xbb && b2 === 0xbf ? buffer.subarray(3) : buffer;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    const { offset, line, column } = firstInvalidUtf8(body);
    const what = offset < body.length
      ? `byte 0x${body[offset].toString(16).toUpperCase().padStart(2, '0')} at line ${line}, column ${column} cannot start or continue a UTF-8 character`
      : `the file ends inside a character at line ${line}, column ${column}`;
    throw new CallerIdInputError(
      `${label}: is not UTF-8 text: ${what} (a file saved as Windows-1252 or Latin-1 does this); save it as UTF-8.`,
    );
  }
}

function decodeUtf16(body: Buffer, order: 'le' | 'be', label: string): string {
  const name = order === 'le' ? 'UTF-16LE' : 'UTF-16BE';
  if (body.length % 2 !== 0) {
    throw new CallerIdInputError(`${label}: looks like ${name} text but has an odd number of bytes, so it is cut short or not text; save it as UTF-8.`);
  }
  // Node's TextDecoder knows little-endian UTF-16 in every build; big-endian is swapped into it on a copy.
  const units = order === 'le' ? body : Buffer.from(body).swap16();
  try {
    return new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true }).decode(units);
  } catch {
    throw new CallerIdInputError(`${label}: looks like ${name} text but holds a broken surrogate pair, so it is not text; save it as UTF-8.`);
  }
}

/** Where the character that breaks UTF-8 starts; only called once the decoder found there is one. */
function firstInvalidUtf8(bytes: Buffer): { offset: number; line: number; column: number } {
  let line = 1;
  let column = 1;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return { offset: i, line, column };
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      // The second byte's range is narrower after E0, ED, F0 and F4 (no overlong forms, surrogates or code points past U+10FFFF).
      const low = k === 1 && b === 0xe0 ? 0xa0 : k === 1 && b === 0xf0 ? 0x90 : 0x80;
      const high = k === 1 && b === 0xed ? 0x9f : k === 1 && b === 0xf4 ? 0x8f : 0xbf;
      if (c === undefined || c < low || c > high) return { offset: i, line, column };
    }
    if (b === 0x0a) {
      line++;
      column = 1;
    } else {
      column++;
    }
    i += length;
  }
  return { offset: i, line, column };
}

/** What JSON text was read as, and where its actions start. */
export interface JsonText {
  readonly value: unknown;
  /**
   * The offset (in the text less its byte order mark) of each object in the top-level `Actions` array, in
   * order (empty when there is none): what a report that points at actions (SARIF, editor annotations) turns into lines and columns with
   * `linesAndColumns`. Found by what looks for duplicate keys, not by another pass.
   */
  readonly actionOffsets: readonly number[];
}

/** How a message names the text being parsed. */
export interface JsonTextSource {
  /** Starts every message, e.g. the file name. */
  readonly source: string;
  /** The subject and verb after the source: `is`, or `ContactFlow.Content is` for an embedded text. */
  readonly subject: string;
  /** What would be accepted, for messages. */
  readonly expected: string;
  /**
   * Why a key twice is refused, for the message.
   * @default - that Amazon Connect does not document which value a flow runs with
   */
  readonly whyNoDuplicates?: string;
}

/**
 * Parses JSON text, with a leading byte order mark allowed. Throws CallerIdInputError for text that is empty,
 * not JSON (naming the line and column of the first error, found by scanning so the cost stays linear and
 * memory does not grow with the text), or JSON with a key twice in one object.
 *
 * A duplicate key is refused rather than resolved: RFC 8259 (section 4) says names SHOULD be unique and that
 * software receiving duplicates behaves unpredictably, and parsers do differ (JavaScript and most keep the
 * last value, some keep the first, some refuse the object). Amazon Connect does not document what it does, so
 * a check of the last value could pass a flow that Connect runs with the first; refusing is the safe choice.
 */
export function parseJsonText(text: string, { source, subject, expected, whyNoDuplicates }: JsonTextSource): JsonText {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    if (isBlank(body)) throw new CallerIdInputError(`${source}: ${subject} empty; expected ${expected}.`);
    const error = syntaxError(body);
    // JSON.parse and the scanner agree on what is valid (a test holds them to it); the fallback is for engines that do not.
    const where = error ? lineAndColumn(body, error.offset) : undefined;
    const at = where ? ` at line ${where.line}, column ${where.column}` : '';
    throw new CallerIdInputError(`${source}: ${subject} not valid JSON${at} (${error?.reason ?? 'not accepted by JSON.parse'}); expected ${expected}.`);
  }
  const canonical = canonicalActionOffsets(body, value);
  if (canonical !== undefined) return { value, actionOffsets: canonical };
  const scan = scanKeys(body);
  if (scan.duplicate) throw new CallerIdInputError(duplicateMessage(body, value, scan.duplicate, scan.duplicateCount, source, subject, whyNoDuplicates));
  return { value, actionOffsets: scan.actionOffsets };
}

/**
 * When the text is as short as any text of its value can be (one line, as the console exports flows), it holds no
 * duplicate key, and where each action starts follows from the lengths of the values before it: both are found
 * from the parsed value, without looking at the text again. Undefined when that cannot be shown; the text is
 * then scanned (`scanKeys`).
 *
 * Why the lengths prove it. The length computed is a lower bound on every text that parses to the value, not
 * JSON.stringify's length: each string and key counts as its UTF-16 units plus two quotes (JSON.stringify would
 * escape a lone surrogate to six characters; a raw one in the text is one unit, and counted as one), each number
 * as JavaScript writes it. A text is never shorter than that bound except by numbers written shorter than
 * JavaScript writes them (`4e3` for 4000), and each number says how much shorter it can be (its slack). Every other
 * difference makes the text longer: whitespace, escapes (`\u0041` for `A`), numbers written longer (`1.50`, `-0`),
 * and a duplicate key, whose first member (at least `"":0,`, five characters) the value does not hold. So when
 * the text is exactly as long as the bound and the slack is under five, there is no duplicate key. With no slack every token is as serialized, so the computed
 * offsets are exact; with some (at most four), each action is found at its computed offset or refused, as its
 * opening (`,{"Key":`) cannot also fit within four characters of where it truly starts.
 */
function canonicalActionOffsets(text: string, value: unknown): number[] | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  // An indented text shows it at its second character; it is not walked only to find out at the end.
  if (text.charCodeAt(0) !== 0x7b || text.charCodeAt(1) !== 0x22) return undefined;
  // Keys are enumerated with for-in, which would also list enumerable members added to Object.prototype.
  for (const _inherited in Object.prototype) return undefined;
  const walk: LengthWalk = { stack: [], slack: 0 };
  // The top-level members in text order: an object's keys come in the order first written, except array indexes
  // ("0", "1"), which come first; with one of those the order is not known.
  let length = 1;
  let count = 0;
  let offsets: number[] | undefined;
  let actions: unknown[] = [];
  for (const key in value) {
    if (isArrayIndex(key)) return undefined;
    if (count++ > 0) length++;
    length += key.length + 3;
    const member = (value as Record<string, unknown>)[key];
    if (offsets === undefined && key === 'Actions' && Array.isArray(member)) {
      offsets = [];
      actions = member;
      length++;
      for (let i = 0; i < member.length; i++) {
        if (i > 0) length++;
        const action: unknown = member[i];
        if (typeof action === 'object' && action !== null) offsets.push(length);
        const n = serializedLength(action, walk);
        if (n < 0) return undefined;
        length += n;
      }
      length++;
    } else {
      const n = serializedLength(member, walk);
      if (n < 0) return undefined;
      length += n;
    }
  }
  if (length + 1 !== text.length || walk.slack >= 5) return undefined;
  if (offsets === undefined) return [];
  if (walk.slack > 0) {
    let k = 0;
    for (let i = 0; i < actions.length; i++) {
      const action = actions[i];
      if (typeof action !== 'object' || action === null) continue;
      if (!opensAt(text, offsets[k++], action, i === 0 ? 0x5b : 0x2c)) return undefined;
    }
  }
  return offsets;
}

/** Whether the text at `offset` opens the action as serialized: `{"Key":` with the character before it. */
function opensAt(text: string, offset: number, action: object, before: number): boolean {
  if (Array.isArray(action) || text.charCodeAt(offset - 1) !== before || text.charCodeAt(offset) !== 0x7b) return false;
  let key: string | undefined;
  for (key in action) break;
  // A key of letters, digits and underscores holds no `{`, so its opening cannot be found anywhere else nearby.
  if (key === undefined || !isWord(key)) return false;
  return text.charCodeAt(offset + 1) === 0x22 && text.startsWith(key, offset + 2) &&
    text.charCodeAt(offset + 2 + key.length) === 0x22 && text.charCodeAt(offset + 3 + key.length) === 0x3a;
}

/** Whether the key is letters, digits and underscores only (`/^\w+$/`, without a regular expression per action). */
function isWord(key: string): boolean {
  if (key.length === 0) return false;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f)) return false;
  }
  return true;
}

interface LengthWalk {
  /** The containers still to measure. */
  readonly stack: object[];
  /** How many characters shorter than serialized the numbers met so far could be written. */
  slack: number;
}

/**
 * The shortest length of a text of the value (strings as their units plus quotes, numbers as JavaScript writes them), adding its numbers' slack to
 * the walk's; -1 for a value with an array index key or a number written with an exponent. Iterative, so deep
 * nesting cannot overflow the stack.
 */
function serializedLength(root: unknown, walk: LengthWalk): number {
  const stack = walk.stack;
  let length = leafLength(root, walk);
  while (stack.length > 0 && length >= 0) {
    const container = stack.pop()!;
    if (Array.isArray(container)) {
      length += container.length > 0 ? container.length + 1 : 2;
      for (let i = 0; i < container.length; i++) {
        const member: unknown = container[i];
        // Strings are most of the leaves: measured here rather than through leafLength.
        const n = typeof member === 'string' ? member.length + 2 : leafLength(member, walk);
        if (n < 0) return -1;
        length += n;
      }
    } else {
      let count = 0;
      for (const key in container) {
        if (isArrayIndex(key)) return -1;
        count++;
        const member: unknown = (container as Record<string, unknown>)[key];
        const n = typeof member === 'string' ? member.length + 2 : leafLength(member, walk);
        if (n < 0) return -1;
        length += key.length + 3 + n;
      }
      length += count > 0 ? count + 1 : 2;
    }
  }
  return length;
}

/** The serialized length of a string, number, boolean or null (-1 for a number to refuse); a container is pushed, for 0. */
function leafLength(value: unknown, walk: LengthWalk): number {
  switch (typeof value) {
    case 'string': return value.length + 2;
    case 'number': return numberLength(value, walk);
    case 'boolean': return value ? 4 : 5;
    case 'object':
      if (value === null) return 4;
      walk.stack.push(value);
      return 0;
    default: return -1;
  }
}

/**
 * The length of the number as JavaScript writes it, adding to the walk's slack how much shorter an exponent form
 * could be (`4e3` for 4000, `1e-3` for 0.001); -1 for a number JavaScript writes with an exponent.
 */
function numberLength(n: number, walk: LengthWalk): number {
  if (n >= 0 && n < 1000 && Number.isInteger(n)) return n < 10 ? 1 : n < 100 ? 2 : 3;
  if (!Number.isFinite(n)) return -1;
  const written = String(n);
  const sign = n < 0 ? 1 : 0;
  if (Number.isInteger(n) && n > -1e21 && n < 1e21) {
    // Its shortest exponent form: the digits before the trailing zeros, `e`, and the count of zeros.
    let zeros = 0;
    while (zeros < written.length - 1 && written.charCodeAt(written.length - 1 - zeros) === 0x30) zeros++;
    if (zeros >= 3) walk.slack += Math.max(0, written.length - (written.length - zeros + 1 + String(zeros).length));
    return written.length;
  }
  if (written.includes('e')) return -1;
  // A fraction's exponent forms have its significant digits, `e` and at least two more characters (`-` and a
  // digit, or a point and a digit).
  let significant = 0;
  let leading = true;
  for (let i = 0; i < written.length; i++) {
    const c = written.charCodeAt(i);
    if (c < 0x30 || c > 0x39 || (leading && c === 0x30)) continue;
    leading = false;
    significant++;
  }
  walk.slack += Math.max(0, written.length - (significant + sign + 3));
  return written.length;
}

/** Whether a key is one an object lists before its other keys: a canonical array index. */
function isArrayIndex(key: string): boolean {
  const c = key.charCodeAt(0);
  if (c < 0x30 || c > 0x39) return false;
  if (key.length > 10 || (c === 0x30 && key.length > 1)) return false;
  for (let i = 1; i < key.length; i++) {
    const d = key.charCodeAt(i);
    if (d < 0x30 || d > 0x39) return false;
  }
  return Number(key) < 4294967295;
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
  }
  return true;
}

interface DuplicateKey {
  readonly key: string;
  readonly firstOffset: number;
  readonly offset: number;
  /** Where the object is: keys and indexes from the top. */
  readonly path: readonly (string | number)[];
}

const OBJECT = 1;
const ARRAY = 2;
/** `actionsDepth` before the top-level Actions array is seen, and after it is closed. */
const ACTIONS_NOT_SEEN = -2;
const ACTIONS_DONE = -3;
/** Up to this many keys, an object's keys are compared with each other where they stand; beyond, they go into a Map. */
const SMALL_OBJECT = 12;

/**
 * One pass over text JSON.parse accepted: finds every key that occurs twice in one object, and where the
 * top-level `Actions` elements start. Strings are skipped with `indexOf` and whitespace in a tight loop; the keys
 * of a small object are compared where they stand in the text, without copying them out; containers are tracked
 * on explicit stacks whose per-level arrays are reused, so deep nesting costs no recursion and most objects cost
 * no allocation. It takes about as long as JSON.parse itself on the same console exports
 * (`jsonTextToJsonParseRatio` in bench/results.json is the two together over JSON.parse alone).
 */
function scanKeys(text: string): { duplicate?: DuplicateKey; duplicateCount: number; actionOffsets: number[] } {
  // Only the first duplicate is described (its path costs time in the depth); the others are counted.
  let duplicate: DuplicateKey | undefined;
  let duplicateCount = 0;
  const actionOffsets: number[] = [];
  // Per nesting level: object or array, the keys so far (offsets and lengths of the distinct ones, or a Map
  // once there are many or one is escaped), the offset of the last key, the index of the current element.
  const kinds: number[] = [];
  const keyCounts: number[] = [];
  const keyStarts: number[][] = [];
  const keyLengths: number[][] = [];
  const keyMaps: (Map<string, number> | undefined)[] = [];
  const lastKeyAt: number[] = [];
  const indexes: number[] = [];
  let depth = -1;
  let expectKey = false;
  let actionsDepth = ACTIONS_NOT_SEEN;
  const n = text.length;
  let nextBackslash = text.indexOf('\\');
  if (nextBackslash < 0) nextBackslash = n;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c <= 0x20) {
      // Outside strings of valid JSON, nothing at or below U+0020 but whitespace: skip indentation in a tight loop.
      do i++; while (text.charCodeAt(i) <= 0x20);
      continue;
    }
    if (c === 0x22) {
      // The closing quote: the next one that no odd run of backslashes escapes.
      let j = text.indexOf('"', i + 1);
      const escaped = nextBackslash < j;
      if (escaped) {
        for (;;) {
          let backslashes = 0;
          while (text.charCodeAt(j - 1 - backslashes) === 0x5c) backslashes++;
          if (backslashes % 2 === 0) break;
          j = text.indexOf('"', j + 1);
        }
      }
      if (expectKey) {
        const count = keyCounts[depth];
        let first = -1;
        let map = keyMaps[depth];
        if (map === undefined && !escaped && count < SMALL_OBJECT) {
          // Unescaped keys are equal exactly when their text is.
          const length = j - i - 1;
          const starts = keyStarts[depth];
          const lengths = keyLengths[depth];
          for (let k = 0; k < count && first < 0; k++) {
            if (lengths[k] === length && sameText(text, starts[k] + 1, i + 1, length)) first = starts[k];
          }
          if (first < 0) {
            starts[count] = i;
            lengths[count] = length;
          }
        } else {
          // Compared as JSON.parse reads them, so "a" and "\u0061" are one key.
          if (map === undefined) {
            map = new Map();
            for (let k = 0; k < count; k++) map.set(text.slice(keyStarts[depth][k] + 1, keyStarts[depth][k] + 1 + keyLengths[depth][k]), keyStarts[depth][k]);
            keyMaps[depth] = map;
          }
          const key: string = escaped ? JSON.parse(text.slice(i, j + 1)) : text.slice(i + 1, j);
          first = map.get(key) ?? -1;
          if (first < 0) map.set(key, i);
        }
        if (first < 0) {
          keyCounts[depth] = count + 1;
        } else if (duplicateCount++ === 0) {
          duplicate = { key: keyAt(text, i), firstOffset: first, offset: i, path: pathTo(text, depth, kinds, lastKeyAt, indexes) };
        }
        lastKeyAt[depth] = i;
        expectKey = false;
      }
      i = j + 1;
      // Backslashes occur only in strings, and most texts hold few: knowing where the next one is tells
      // whether a string holds any without looking at its characters.
      if (nextBackslash < i) {
        nextBackslash = text.indexOf('\\', i);
        if (nextBackslash < 0) nextBackslash = n;
      }
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      if (depth === actionsDepth) actionOffsets.push(i);
      // The top-level "Actions" array: its elements are the flow's actions.
      if (c === 0x5b && depth === 0 && actionsDepth === ACTIONS_NOT_SEEN && kinds[0] === OBJECT && text.startsWith('"Actions"', lastKeyAt[0])) actionsDepth = 1;
      depth++;
      if (c === 0x7b) {
        kinds[depth] = OBJECT;
        keyCounts[depth] = 0;
        keyMaps[depth] = undefined;
        if (keyStarts[depth] === undefined) {
          keyStarts[depth] = [];
          keyLengths[depth] = [];
        }
        expectKey = true;
      } else {
        kinds[depth] = ARRAY;
        indexes[depth] = 0;
      }
    } else if (c === 0x7d || c === 0x5d) {
      if (depth === actionsDepth) actionsDepth = ACTIONS_DONE;
      depth--;
      expectKey = false;
    } else if (c === 0x2c) {
      if (kinds[depth] === OBJECT) expectKey = true;
      else indexes[depth]++;
    }
    i++;
  }
  return { ...(duplicate ? { duplicate } : {}), duplicateCount, actionOffsets };
}

function sameText(text: string, a: number, b: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (text.charCodeAt(a + k) !== text.charCodeAt(b + k)) return false;
  return true;
}

/** The key whose opening quote is at `offset`, as JSON.parse reads it. */
function keyAt(text: string, offset: number): string {
  let j = offset + 1;
  for (let c = text.charCodeAt(j); c !== 0x22; c = text.charCodeAt(j)) j += c === 0x5c ? 2 : 1;
  return JSON.parse(text.slice(offset, j + 1));
}

function pathTo(text: string, depth: number, kinds: readonly number[], lastKeyAt: readonly number[], indexes: readonly number[]): (string | number)[] {
  const path: (string | number)[] = [];
  for (let d = 0; d < depth; d++) path.push(kinds[d] === OBJECT ? keyAt(text, lastKeyAt[d]) : indexes[d]);
  return path;
}

function duplicateMessage(
  text: string, value: unknown, first: DuplicateKey, count: number, source: string, subject: string, whyNoDuplicates = CONNECT_DUPLICATES,
): string {
  const a = lineAndColumn(text, first.firstOffset);
  const b = lineAndColumn(text, first.offset);
  const more = count > 1 ? ` (and ${count - 1} more duplicate key${count > 2 ? 's' : ''} after it)` : '';
  return `${source}: ${subject} JSON with a duplicate key: ${quote(first.key)} appears twice in ${describePath(value, first.path)}, ` +
    `at line ${a.line}, column ${a.column} and at line ${b.line}, column ${b.column}${more}. ${whyNoDuplicates}; keep only one.`;
}

const CONNECT_DUPLICATES = 'Which value Amazon Connect uses is not documented '
  + '(JSON parsers differ: most keep the last, some the first, some refuse the object), so the flow cannot be checked as Connect would run it';

/**
 * `Actions[3] ("id").Parameters.CallerId`, like the reader's messages; `the top-level object` for the root. A path
 * deeper than any flow shows its first and last levels only.
 */
function describePath(value: unknown, path: readonly (string | number)[]): string {
  if (path.length === 0) return 'the top-level object';
  const parts: string[] = [];
  let node: unknown = value;
  for (const [i, segment] of path.entries()) {
    node = typeof node === 'object' && node !== null ? (node as Record<string | number, unknown>)[segment] : undefined;
    if (typeof segment === 'number') {
      const id = (node as { Identifier?: unknown } | undefined)?.Identifier;
      parts.push(`[${segment}]${i === 1 && path[0] === 'Actions' && typeof id === 'string' ? ` (${quote(id)})` : ''}`);
    } else {
      parts.push(/^[A-Za-z_$][\w$]{0,59}$/.test(segment) ? `${i === 0 ? '' : '.'}${segment}` : `[${quote(segment)}]`);
    }
  }
  const shown = parts.length <= MAX_PATH_SHOWN ? parts
    : [...parts.slice(0, MAX_PATH_SHOWN / 2), ` ... ${parts.length - MAX_PATH_SHOWN} levels ... `, ...parts.slice(-MAX_PATH_SHOWN / 2)];
  return shown.join('');
}

const MAX_PATH_SHOWN = 16;

/** A value from the text for a message: quoted, escaped, and cut to 60 characters like the reader's. */
function quote(value: string): string {
  return printable(JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value));
}

/**
 * Line and column (both from 1; columns count UTF-16 code units, as SARIF's default does) of an offset, found by
 * counting line breaks (LF, CRLF or CR) up to it: no copy of the text is made.
 */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  return linesAndColumns(text, [offset])[0];
}

/** Lines and columns of several offsets in one pass; `offsets` must be in increasing order. */
export function linesAndColumns(text: string, offsets: readonly number[]): { line: number; column: number }[] {
  const last = Math.min(offsets.length > 0 ? offsets[offsets.length - 1] : 0, text.length);
  // Finding line feeds with indexOf is several times faster than a loop over every character (the difference
  // between a report with positions costing a second parse and costing little); only a lone CR, an old Mac line
  // end, needs the loop.
  return hasLoneCarriageReturn(text, last) ? linesAndColumnsByCharacter(text, offsets) : linesAndColumnsByLineFeed(text, offsets);
}

function hasLoneCarriageReturn(text: string, end: number): boolean {
  for (let i = text.indexOf('\r'); i !== -1 && i < end; i = text.indexOf('\r', i + 1)) {
    if (text.charCodeAt(i + 1) !== 0x0a) return true;
  }
  return false;
}

function linesAndColumnsByLineFeed(text: string, offsets: readonly number[]): { line: number; column: number }[] {
  const out: { line: number; column: number }[] = [];
  let line = 1;
  let lineStart = 0;
  // The next line feed is looked for once and kept: searching again for each offset would scan the rest of a
  // one-line text once per offset, quadratic in a large export.
  let next = text.indexOf('\n');
  for (const offset of offsets) {
    const end = Math.min(offset, text.length);
    while (next !== -1 && next < end) {
      line++;
      lineStart = next + 1;
      next = text.indexOf('\n', lineStart);
    }
    out.push({ line, column: end - lineStart + 1 });
  }
  return out;
}

function linesAndColumnsByCharacter(text: string, offsets: readonly number[]): { line: number; column: number }[] {
  const out: { line: number; column: number }[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  for (const offset of offsets) {
    const end = Math.min(offset, text.length);
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
        line++;
        lineStart = i + 1;
      }
    }
    out.push({ line, column: end - lineStart + 1 });
  }
  return out;
}

/** The first syntax error of a text and what was expected there, or undefined when it is valid JSON. */
export interface JsonSyntaxError {
  /** The offset of the first character that makes the text invalid; its length when the text ends too early. */
  readonly offset: number;
  readonly reason: string;
}

/**
 * The offset of the first character that makes `text` invalid JSON (its length when the text ends too early),
 * or undefined when it is valid.
 */
export function syntaxErrorOffset(text: string): number | undefined {
  return syntaxError(text)?.offset;
}

/**
 * Finds the first syntax error by scanning, with the reasons worded as V8's JSON.parse words them. Iterative,
 * so deep nesting cannot overflow the stack; linear in the text.
 */
export function syntaxError(text: string): JsonSyntaxError | undefined {
  const n = text.length;
  const open: number[] = [];
  let i = 0;
  let state: 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'after' = 'value';
  const fail = (offset: number, reason: string): JsonSyntaxError => ({ offset, reason: offset >= n ? 'Unexpected end of JSON input' : reason });
  const skipWhitespace = (): void => {
    for (let c = text.charCodeAt(i); c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d; c = text.charCodeAt(i)) i++;
  };
  for (;;) {
    skipWhitespace();
    if (state === 'after') {
      if (open.length === 0) return i < n ? fail(i, 'Unexpected non-whitespace character after JSON') : undefined;
      const top = open[open.length - 1];
      const c = text.charCodeAt(i);
      if (c === 0x2c) {
        i++;
        state = top === 0x7b ? 'key' : 'value';
      } else if ((c === 0x7d && top === 0x7b) || (c === 0x5d && top === 0x5b)) {
        i++;
        open.pop();
      } else {
        return fail(i, top === 0x7b ? "Expected ',' or '}' after property value" : "Expected ',' or ']' after array element");
      }
      continue;
    }
    if (i >= n) return fail(n, '');
    const c = text.charCodeAt(i);
    if (state === 'key' || state === 'keyOrClose') {
      if (state === 'keyOrClose' && c === 0x7d) {
        i++;
        open.pop();
        state = 'after';
        continue;
      }
      if (c !== 0x22) return fail(i, 'Expected double-quoted property name');
      const end = stringEnd(text, i);
      if (typeof end !== 'number') return fail(end.offset, end.reason);
      i = end;
      skipWhitespace();
      if (text.charCodeAt(i) !== 0x3a) return fail(i, "Expected ':' after property name");
      i++;
      state = 'value';
      continue;
    }
    if (state === 'valueOrClose' && c === 0x5d) {
      i++;
      open.pop();
      state = 'after';
    } else if (c === 0x7b || c === 0x5b) {
      open.push(c);
      i++;
      state = c === 0x7b ? 'keyOrClose' : 'valueOrClose';
    } else if (c === 0x22) {
      const end = stringEnd(text, i);
      if (typeof end !== 'number') return fail(end.offset, end.reason);
      i = end;
      state = 'after';
    } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
      const literal = c === 0x74 ? 'true' : c === 0x66 ? 'false' : 'null';
      let k = 0;
      while (k < literal.length && text.charCodeAt(i + k) === literal.charCodeAt(k)) k++;
      if (k < literal.length) return fail(i + k, unexpected(text, i + k));
      i += k;
      state = 'after';
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      const end = numberEnd(text, i);
      if (typeof end !== 'number') return fail(end.offset, end.reason);
      i = end;
      state = 'after';
    } else {
      return fail(i, unexpected(text, i));
    }
  }
}

function unexpected(text: string, offset: number): string {
  if (offset >= text.length) return '';
  const c = text.codePointAt(offset)!;
  if (c === 0) return 'Unexpected character U+0000 (NUL): the file is binary, not JSON text';
  const char = String.fromCodePoint(c);
  const shown = printable(char);
  return shown === char && c !== 0xfffd ? `Unexpected token '${char}'` : `Unexpected character U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

function numberEnd(text: string, start: number): number | { offset: number; reason: string } {
  let i = start;
  if (text.charCodeAt(i) === 0x2d) {
    i++;
    if (!isDigit(text.charCodeAt(i))) return { offset: i, reason: 'No number after minus sign' };
  }
  if (text.charCodeAt(i) === 0x30) i++;
  else while (isDigit(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) === 0x2e) {
    i++;
    if (!isDigit(text.charCodeAt(i))) return { offset: i, reason: 'Unterminated fractional number' };
    while (isDigit(text.charCodeAt(i))) i++;
  }
  if (text.charCodeAt(i) === 0x65 || text.charCodeAt(i) === 0x45) {
    i++;
    if (text.charCodeAt(i) === 0x2b || text.charCodeAt(i) === 0x2d) i++;
    if (!isDigit(text.charCodeAt(i))) return { offset: i, reason: 'Exponent part is missing a number' };
    while (isDigit(text.charCodeAt(i))) i++;
  }
  return i;
}

const isHex = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

/** The offset after the closing quote of the string starting at `start`, or where and why it is broken. */
function stringEnd(text: string, start: number): number | { offset: number; reason: string } {
  for (let j = start + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x22) return j + 1;
    if (c < 0x20) return { offset: j, reason: 'Bad control character in string literal' };
    if (c === 0x5c) {
      const escaped = text.charCodeAt(j + 1);
      if (escaped === 0x75) {
        for (let h = 2; h < 6; h++) {
          if (!isHex(text.charCodeAt(j + h))) return { offset: j + h, reason: 'Bad Unicode escape' };
        }
        j += 5;
      } else if (escaped === 0x22 || escaped === 0x5c || escaped === 0x2f || escaped === 0x62 || escaped === 0x66 ||
        escaped === 0x6e || escaped === 0x72 || escaped === 0x74) {
        j += 1;
      } else {
        return { offset: j + 1, reason: 'Bad escaped character' };
      }
    }
  }
  return { offset: text.length, reason: 'Unterminated string in JSON' };
}
