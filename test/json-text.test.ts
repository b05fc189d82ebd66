import * as fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CallerIdInputError } from '../lib/core/errors';
import {
  decodeText, lineAndColumn, linesAndColumns, MAX_FLOW_FILE_BYTES, parseJsonText, readFlowFile, readInventoryFile, syntaxError,
} from '../lib/core/json-text';
import { printable, printableJson, printableLines } from '../lib/core/printable';
import { flowFixtureText } from './support/fixtures';

const SOURCE = { source: 'f.json', subject: 'is', expected: 'a flow' };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'json-text-'));

function inputError(fn: () => unknown): CallerIdInputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CallerIdInputError) return e;
    throw new Error(`threw ${String(e)} instead of CallerIdInputError`);
  }
  throw new Error('did not throw');
}

function write(name: string, bytes: Buffer | string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, bytes);
  return file;
}

describe('readFlowFile: a bound on what is read', () => {
  test('GIVEN a flow file of exactly the bound WHEN read THEN it is read whole', () => {
    // GIVEN a valid JSON text padded with spaces to the bound
    const text = '{}'.padEnd(MAX_FLOW_FILE_BYTES, ' ');
    const file = write('at-bound.json', text);

    // WHEN / THEN
    expect(readFlowFile(file)).toHaveLength(MAX_FLOW_FILE_BYTES);
  });

  test('GIVEN a file one byte over the bound WHEN read THEN it is refused, saying the bound and why', () => {
    const file = write('over.json', Buffer.alloc(MAX_FLOW_FILE_BYTES + 1, 0x20));
    expect(inputError(() => readFlowFile(file)).message).toBe(
      `${file}: is larger than 8 MiB (8,388,608 bytes), the most read of a flow file: Amazon Connect keeps at most 256,000 characters ` +
        'of flow content, so no flow export is this large. Check that it is the right file.',
    );
  });

  test('GIVEN a sparse 300 MB file WHEN read THEN it is refused from its size, without reading it', () => {
    const file = path.join(tmp, 'sparse.json');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, 300 * 1024 * 1024);
    const before = process.memoryUsage().rss;
    expect(inputError(() => readFlowFile(file)).message).toContain('is larger than 8 MiB');
    // Reading it would have taken 300 MB; a bound of the buffer proves nothing close to that was allocated.
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  test('GIVEN an endless device WHEN read THEN reading stops at the bound and the file is refused', () => {
    expect(inputError(() => readFlowFile('/dev/zero')).message).toMatch(/^\/dev\/zero: is larger than 8 MiB/);
  });

  test('GIVEN a missing file or a directory WHEN read THEN the error code is named', () => {
    expect(inputError(() => readFlowFile(path.join(tmp, 'missing.json'))).message).toMatch(/missing\.json: cannot read the file \(ENOENT\)$/);
    expect(inputError(() => readFlowFile(tmp)).message).toMatch(/: cannot read the file \(EISDIR\)$/);
  });

  test('GIVEN a file name with control characters WHEN refused THEN the name is printed escaped', () => {
    const file = path.join(tmp, 'a\nb\u001b[31m.json');
    expect(inputError(() => readFlowFile(file)).message).toContain('a\\nb\\u001b[31m.json: cannot read the file (ENOENT)');
  });

  test('GIVEN an inventory with a byte order mark WHEN read THEN it reads like one without', () => {
    const json = '{"instanceArn": "x", "numbers": []}';
    const file = write('inventory-bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]));
    expect(readInventoryFile(file)).toBe(json);
  });
});

describe('decodeText: the encodings Windows and other tools write', () => {
  const text = flowFixtureText('inbound-transfer-to-phone.json').replace('Step', 'Étape 日本 🎧');
  const le = Buffer.from(text, 'utf16le');
  const be = Buffer.from(le).swap16();

  test.each<[string, Buffer]>([
    ['UTF-8', Buffer.from(text)],
    ['UTF-8 with a byte order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
    ['UTF-16LE with a byte order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), le])],
    ['UTF-16BE with a byte order mark', Buffer.concat([Buffer.from([0xfe, 0xff]), be])],
    ['UTF-16LE without a byte order mark', le],
    ['UTF-16BE without a byte order mark', be],
  ])('GIVEN a flow in %s WHEN decoded THEN it is the same text', (_encoding, bytes) => {
    expect(decodeText(bytes, 'f.json')).toBe(text);
  });

  test.each<[string, Buffer, RegExp]>([
    ['UTF-32LE', Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from('{}', 'utf16le')]), /^f\.json: is UTF-32 text; save it as UTF-8\.$/],
    ['UTF-32BE without a mark', Buffer.from([0, 0, 0, 0x7b, 0, 0, 0, 0x7d]), /^f\.json: is UTF-32 text/],
    ['UTF-16 cut short', Buffer.from([0x7b, 0, 0x7d]), /^f\.json: looks like UTF-16LE text but has an odd number of bytes/],
    ['UTF-16 with a lone surrogate', Buffer.from([0x7b, 0, 0x00, 0xd8, 0x7d, 0]), /^f\.json: looks like UTF-16LE text but holds a broken surrogate pair/],
    ['Windows-1252', Buffer.from('{\n  "Text": "caf\xe9"\n}', 'latin1'), /^f\.json: is not UTF-8 text: byte 0xE9 at line 2, column 15 cannot start or continue a UTF-8 character/],
    ['an overlong UTF-8 form', Buffer.from([0x7b, 0xc0, 0xaf, 0x7d]), /byte 0xC0 at line 1, column 2/],
    ['a UTF-8 surrogate', Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]), /byte 0xED at line 1, column 2/],
  ])('GIVEN %s WHEN decoded THEN it is refused, saying what it is and what to do', (_what, bytes, message) => {
    expect(inputError(() => decodeText(bytes, 'f.json')).message).toMatch(message);
  });

  // readFlowFile decodes a regular file in one call and keeps that text only when it shows the bytes were plain
  // UTF-8; every other file must read exactly as decodeText reads its bytes.
  test.each<[string, Buffer]>([
    ['UTF-8', Buffer.from(text)],
    ['UTF-8 with a byte order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
    ['UTF-8 with two byte order marks', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]), Buffer.from(text)])],
    ['UTF-8 holding U+FFFD itself', Buffer.from(text.replace('Step', 'Step \ufffd'))],
    ['UTF-16LE with a byte order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), le])],
    ['UTF-16BE with a byte order mark', Buffer.concat([Buffer.from([0xfe, 0xff]), be])],
    ['UTF-16LE without a byte order mark', le],
    ['UTF-16BE without a byte order mark', be],
    ['zero bytes', Buffer.alloc(64)],
    ['one byte', Buffer.from('7')],
    ['no bytes', Buffer.alloc(0)],
  ])('GIVEN a file in %s WHEN read from disk THEN it is the text decodeText makes of its bytes', (what, bytes) => {
    expect(readFlowFile(write(`${what}.json`, bytes))).toBe(decodeText(bytes, 'f.json'));
  });

  test.each<[string, Buffer, RegExp]>([
    ['UTF-32LE', Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from('{}', 'utf16le')]), /: is UTF-32 text; save it as UTF-8\.$/],
    ['Windows-1252', Buffer.from('{\n  "Text": "caf\xe9"\n}', 'latin1'), /: is not UTF-8 text: byte 0xE9 at line 2, column 15/],
    ['a UTF-8 surrogate', Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]), /: is not UTF-8 text: byte 0xED at line 1, column 2/],
  ])('GIVEN a file in %s WHEN read from disk THEN it is refused as decodeText refuses its bytes', (what, bytes, message) => {
    expect(inputError(() => readFlowFile(write(`${what}.json`, bytes))).message).toMatch(message);
  });

  test('GIVEN zero bytes WHEN decoded and parsed THEN the message says the file is binary, with no NUL in it', () => {
    const decoded = decodeText(Buffer.alloc(64), 'f.json');
    const message = inputError(() => parseJsonText(decoded, SOURCE)).message;
    expect(message).toBe('f.json: is not valid JSON at line 1, column 1 (Unexpected character U+0000 (NUL): the file is binary, not JSON text); expected a flow.');
  });
});

describe('parseJsonText: syntax errors', () => {
  test('GIVEN an error after many lines WHEN parsed THEN line and column are counted over LF, CRLF and CR line breaks', () => {
    const text = '{\n"a": 1,\r\n"b": 2,\r"c": x}';
    expect(inputError(() => parseJsonText(text, SOURCE)).message).toBe(
      "f.json: is not valid JSON at line 4, column 6 (Unexpected token 'x'); expected a flow.",
    );
  });

  test('GIVEN a text with a byte order mark WHEN it has an error THEN the column does not count the mark', () => {
    expect(inputError(() => parseJsonText('\ufeff{]', SOURCE)).message).toContain('at line 1, column 2 (Expected double-quoted property name)');
  });

  test.each<[string, string, string]>([
    ['{"a" 1}', 'line 1, column 6', "Expected ':' after property name"],
    ['[1 2]', 'line 1, column 4', "Expected ',' or ']' after array element"],
    ['{} {}', 'line 1, column 4', 'Unexpected non-whitespace character after JSON'],
    ['"a\tb"', 'line 1, column 3', 'Bad control character in string literal'],
    ['"\\x"', 'line 1, column 3', 'Bad escaped character'],
    ['"\\u12G4"', 'line 1, column 6', 'Bad Unicode escape'],
    ['-x', 'line 1, column 2', 'No number after minus sign'],
    ['1.', 'line 1, column 3', 'Unexpected end of JSON input'],
    ['1.e', 'line 1, column 3', 'Unterminated fractional number'],
    ['1e+', 'line 1, column 4', 'Unexpected end of JSON input'],
    ['tru', 'line 1, column 4', 'Unexpected end of JSON input'],
    ['nul1', 'line 1, column 4', "Unexpected token '1'"],
    ['{"a": "\u202e"} x', 'line 1, column 12', 'Unexpected non-whitespace character after JSON'],
    ['\u202e{}', 'line 1, column 1', 'Unexpected character U+202E'],
  ])('GIVEN %j WHEN parsed THEN the error is at %s: %s', (text, where, reason) => {
    expect(inputError(() => parseJsonText(text, SOURCE)).message).toBe(`f.json: is not valid JSON at ${where} (${reason}); expected a flow.`);
  });

  test('GIVEN whitespace only WHEN parsed THEN it is empty', () => {
    expect(inputError(() => parseJsonText(' \r\n\t', SOURCE)).message).toBe('f.json: is empty; expected a flow.');
  });

  test('GIVEN a million line breaks before the error WHEN located THEN the position is right', () => {
    const text = `{${'\n'.repeat(1_000_000)}x`;
    expect(syntaxError(text)).toEqual({ offset: 1_000_001, reason: 'Expected double-quoted property name' });
    expect(lineAndColumn(text, 1_000_001)).toEqual({ line: 1_000_001, column: 1 });
  });
});

describe('parseJsonText: duplicate keys', () => {
  const flow = (parameters: string) =>
    `{\n  "Version": "2019-10-30",\n  "StartAction": "a",\n  "Actions": [\n    {"Identifier": "t", "Type": "X", "Parameters": {"Text": "hi"}},\n` +
    `    {"Identifier": "a", "Type": "TransferParticipantToThirdParty",\n     "Parameters": ${parameters}}\n  ]\n}`;

  test('GIVEN a caller ID number given twice WHEN parsed THEN the key, both places, the action and why are named', () => {
    const text = flow('{"CallerId": {"Number": "+81368001234",\n       "Number": "+81368009999"}}');
    expect(inputError(() => parseJsonText(text, SOURCE)).message).toBe(
      'f.json: is JSON with a duplicate key: "Number" appears twice in Actions[1] ("a").Parameters.CallerId, ' +
        'at line 7, column 34 and at line 8, column 8. Which value Amazon Connect uses is not documented ' +
        '(JSON parsers differ: most keep the last, some the first, some refuse the object), so the flow cannot be checked ' +
        'as Connect would run it; keep only one.',
    );
  });

  test('GIVEN a key written once plainly and once with escapes WHEN parsed THEN it is one key given twice', () => {
    const text = flow('{"CallerId": {"Number": "+81368001234", "\\u004eumber": "+81368009999"}}');
    expect(inputError(() => parseJsonText(text, SOURCE)).message).toContain('"Number" appears twice in Actions[1] ("a").Parameters.CallerId');
  });

  test('GIVEN duplicates in a large object, at the top and several in one text WHEN parsed THEN each is found and counted', () => {
    const keys = Array.from({ length: 40 }, (_, i) => `"k${i}": ${i}`).join(', ');
    expect(inputError(() => parseJsonText(`{"m": {${keys}, "k7": 0}}`, SOURCE)).message).toContain('"k7" appears twice in m, at line 1, column 71 and at line 1, column 428.');
    expect(inputError(() => parseJsonText('{"a": 1, "a": 2, "b": 1, "b": 2, "c": [{"d": 1, "d": 1}]}', SOURCE)).message)
      .toContain('"a" appears twice in the top-level object, at line 1, column 2 and at line 1, column 10 (and 2 more duplicate keys after it)');
  });

  test('GIVEN a one-line text whose raw lone surrogates would make JSON.stringify longer WHEN a duplicate key is beside them THEN it is still refused', () => {
    // JSON.stringify writes each lone surrogate as six characters; counted that way, five of them would hide the
    // five characters of "":0, so the length proof must count them as the one unit they are in the text.
    const lone = '\ud800'.repeat(5);
    const text = `{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a","Parameters":{"Text":"${lone}","":0,"":4e3}}]}`;
    expect(inputError(() => parseJsonText(text, SOURCE)).message).toContain('"" appears twice in Actions[0] ("a").Parameters');
  });

  test('GIVEN keys that need quoting in a path WHEN a duplicate is below them THEN the path quotes them', () => {
    const text = '{"Metadata": {"ActionMetadata": {"a-1": {"position": {"x": 1, "x": 2}}}}}';
    expect(inputError(() => parseJsonText(text, SOURCE)).message).toContain('"x" appears twice in Metadata.ActionMetadata["a-1"].position');
  });

  test.each([
    ['equal keys in different objects', '[{"a": 1}, {"a": 2}, {"b": {"a": 3}}]'],
    ['keys equal to string values', '{"a": "a", "b": ["a", "b"]}'],
    ['escaped quotes and backslashes in values', '{"a": "x\\"y\\\\", "b": "\\\\\\"", "c": "\\\\"}'],
    ['"__proto__" once', '{"__proto__": 1, "proto": 2}'],
    ['keys that differ only in case', '{"Number": 1, "number": 2}'],
  ])('GIVEN %s WHEN parsed THEN nothing is a duplicate and the value is what JSON.parse gives', (_what, text) => {
    expect(parseJsonText(text, SOURCE).value).toEqual(JSON.parse(text));
  });

  test('GIVEN 100,000 levels of nesting WHEN parsed THEN the scan neither recurses nor misses a duplicate at the bottom', () => {
    const deep = `${'{"a": '.repeat(100_000)}{"b": 1, "b": 2}${'}'.repeat(100_000)}`;
    expect(inputError(() => parseJsonText(deep, SOURCE)).message)
      .toContain('"b" appears twice in a.a.a.a.a.a.a.a ... 99984 levels ... .a.a.a.a.a.a.a.a, at line 1, column 600002 and at line 1, column 600010');
  });

  test('GIVEN a duplicate key at each of 50,000 levels WHEN parsed THEN the first is described and the others counted', () => {
    // Describing every one would cost the depth each time: quadratic.
    const deep = `${'{"x": 1, "x": 2, "a": '.repeat(50_000)}1${'}'.repeat(50_000)}`;
    expect(inputError(() => parseJsonText(deep, SOURCE)).message)
      .toContain('"x" appears twice in the top-level object, at line 1, column 2 and at line 1, column 10 (and 49999 more duplicate keys after it)');
  });
});

describe('parseJsonText: where the actions are', () => {
  test('GIVEN a pretty-printed export WHEN parsed THEN each action offset points at its opening brace, and lines and columns follow', () => {
    const text = flowFixtureText('inbound-transfer-to-phone.json');
    const { value, actionOffsets } = parseJsonText(text, SOURCE);
    const actions = (value as { Actions: unknown[] }).Actions;
    expect(actionOffsets).toHaveLength(actions.length);
    actionOffsets.forEach((offset, i) => {
      const end = i + 1 < actionOffsets.length ? actionOffsets[i + 1] : text.lastIndexOf(']');
      expect(JSON.parse(text.slice(offset, end).replace(/,\s*$/, '').trim())).toEqual(actions[i]);
    });
    const positions = linesAndColumns(text, actionOffsets);
    positions.forEach((p, i) => expect(p).toEqual(lineAndColumn(text, actionOffsets[i])));
    const lines = text.split('\n');
    positions.forEach((p) => expect(lines[p.line - 1][p.column - 1]).toBe('{'));
  });

  test('GIVEN one-line exports, some with numbers written short (4e3) WHEN parsed THEN every offset is where the same text indented by a space has it', () => {
    const number = fc.oneof(fc.constantFrom(4000, -10000, 0.001, 1e6, 160), fc.jsonValue());
    fc.assert(fc.property(fc.dictionary(fc.string(), number), fc.array(fc.dictionary(fc.string(), number)), (top, actions) => {
      // Written as the console writes it, then with one round number in the exponent form JSON allows.
      const text = JSON.stringify({ ...top, Actions: actions }).replace(/(?<=[:,[])(-?[1-9])000(?=[,\]}])/, '$1e3');
      const scanned = parseJsonText(` ${text}`, SOURCE).actionOffsets.map((o) => o - 1);
      expect(parseJsonText(text, SOURCE).actionOffsets).toEqual(scanned);
    }), { numRuns: 2000 });
  });

  test('GIVEN a key twice in one-line text, even where numbers written short make up for its length WHEN parsed THEN it is refused', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.string(), fc.jsonValue(), fc.jsonValue(), (a, key, first, last) => {
      const text = `{${JSON.stringify(key)}:${JSON.stringify(first)},${JSON.stringify({ a, [key]: last }).slice(1)}`;
      expect(inputError(() => parseJsonText(text, SOURCE)).message).toContain(`${JSON.stringify(key)} appears twice`);
    }), { numRuns: 2000 });
    for (const text of ['{"x":[1e3,1e3,1e3,1e3,1e3],"x":0}', '{"":0,"":0}', '{"a":1e6,"a":1,"Actions":[]}', '{"a":4e3,"b":{"c":1,"c":2}}']) {
      expect(inputError(() => parseJsonText(text, SOURCE)).message).toContain('appears twice');
    }
  });

  test('GIVEN Actions nested below the top or a non-flow WHEN parsed THEN no offsets are given', () => {
    expect(parseJsonText('{"x": {"Actions": [{}]}, "y": [{}]}', SOURCE).actionOffsets).toEqual([]);
    expect(parseJsonText('[{"Actions": [{}]}]', SOURCE).actionOffsets).toEqual([]);
  });
});

describe('printable: what may reach a terminal', () => {
  test.each<[string, string, string]>([
    ['a line break', 'a\nflows/x.json: error FAKE', 'a\\nflows/x.json: error FAKE'],
    ['a carriage return', 'ok\rFAKE', 'ok\\rFAKE'],
    ['an ANSI colour', '\u001b[31mred\u001b[0m', '\\u001b[31mred\\u001b[0m'],
    ['an 8-bit CSI and DEL', 'a\u009b2Jb\u007f', 'a\\u009b2Jb\\u007f'],
    ['a right-to-left override', '+81368001234\u202e4321', '+81368001234\\u202e4321'],
    ['a zero-width space inside a number', '+8136800\u200b1234', '+8136800\\u200b1234'],
    ['a line separator', 'a\u2028b', 'a\\u2028b'],
    ['a lone surrogate', 'a\ud800b', 'a\\ud800b'],
  ])('GIVEN %s WHEN made printable THEN it is escaped', (_what, raw, shown) => {
    expect(printable(raw)).toBe(shown);
  });

  test('GIVEN ordinary text in any script WHEN made printable THEN it is unchanged', () => {
    const text = 'Étape 日本語 العربية 🎧 C:\\flows\\x.json "quoted" tab-free';
    expect(printable(text)).toBe(text);
  });

  test('GIVEN a multi-line message WHEN its lines are kept THEN only the line feeds survive', () => {
    expect(printableLines('head:\n  - "a\u001b"\r')).toBe('head:\n  - "a\\u001b"\\r');
  });

  test('GIVEN JSON with characters JSON.stringify leaves raw WHEN made printable THEN it is valid JSON of the same values', () => {
    const value = { id: 'a\u202eb\u0085c\u2028', n: ['\u001b'] };
    const json = JSON.stringify(value, undefined, 2);
    const shown = printableJson(json);
    expect(shown).not.toMatch(/[\u0080-\u009f\u2028\u202e\u001b]/);
    expect(shown.split('\n')).toHaveLength(json.split('\n').length);
    expect(JSON.parse(shown)).toEqual(value);
  });
});
