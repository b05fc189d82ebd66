import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { runCli } from '../lib/cli/main';
import { CallerIdInputError } from '../lib/core/errors';
import { decodeText, lineAndColumn, parseJsonText } from '../lib/core/json-text';
import { printable, printableJson } from '../lib/core/printable';
import { FLOW_FIXTURES, INVENTORY_FILE } from './support/fixtures';

// Property-based tests of the layer that turns bytes into JSON values and findings into printed lines: every
// input gets a result or a clear refusal, nothing is lost between encodings, and nothing printed is raw.
const SOURCE = { source: 'f.json', subject: 'is', expected: 'a flow' };
const RAW = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff]/;
const fixtures = fs.readdirSync(FLOW_FIXTURES).map((f) => fs.readFileSync(path.join(FLOW_FIXTURES, f), 'utf8'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'input-props-'));

/** Runs `check` in this process on bytes written to a file; every line it prints is collected. */
async function check(bytes: Uint8Array | string, extra: string[] = []): Promise<{ code: number; lines: string[] }> {
  const file = path.join(tmp, 'flow.json');
  fs.writeFileSync(file, bytes);
  const lines: string[] = [];
  const code = await runCli(['check', '--numbers', INVENTORY_FILE, '--type', 'CONTACT_FLOW', ...extra, file], {
    out: (l) => lines.push(l), err: (l) => lines.push(l),
  });
  return { code, lines };
}

function expectPrintable(lines: readonly string[]): void {
  for (const line of lines) expect(line).not.toMatch(RAW);
}

describe('check on random bytes and damaged exports', () => {
  test('GIVEN random bytes WHEN checked THEN the answer is an exit code with printable lines, never an exception', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (bytes) => {
      const { code, lines } = await check(bytes);
      expect([0, 1, 2]).toContain(code);
      expectPrintable(lines);
    }), { numRuns: 300 });
  });

  test('GIVEN an export with random code points spliced in WHEN checked as text and as JSON THEN nothing printed is raw', async () => {
    const spliced = fc.tuple(fc.constantFrom(...fixtures), fc.array(fc.tuple(fc.nat(), fc.string({ unit: 'binary', maxLength: 4 })), { minLength: 1, maxLength: 4 }))
      .map(([text, edits]) => edits.reduce((t, [at, s]) => { const i = at % t.length; return t.slice(0, i) + s + t.slice(i); }, text));
    await fc.assert(fc.asyncProperty(spliced, fc.boolean(), async (text, json) => {
      const { code, lines } = await check(text, json ? ['--json'] : []);
      expect([0, 1, 2]).toContain(code);
      if (json) JSON.parse(lines[0]);
      expectPrintable(json ? lines.flatMap((l) => l.split('\n')) : lines);
    }), { numRuns: 200 });
  });
});

describe('encodings', () => {
  const encodings: Record<string, (text: string) => Buffer> = {
    'utf-8': (t) => Buffer.from(t),
    'utf-8 with BOM': (t) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t)]),
    'utf-16le': (t) => Buffer.from(t, 'utf16le'),
    'utf-16le with BOM': (t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]),
    'utf-16be': (t) => Buffer.from(t, 'utf16le').swap16(),
    'utf-16be with BOM': (t) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(t, 'utf16le').swap16()]),
  };

  test('GIVEN any JSON text in any encoding editors write WHEN decoded THEN it is the same text', () => {
    // Well-formed strings only: a lone surrogate cannot be written in UTF-8 or UTF-16.
    const text = fc.json({ maxDepth: 4 }).chain((j) => fc.constantFrom(j, JSON.stringify(JSON.parse(j), undefined, 2)))
      .filter((t) => !/[\ud800-\udfff]/.test(t.replace(/[\ud800-\udbff][\udc00-\udfff]/g, '')));
    fc.assert(fc.property(text, fc.constantFrom(...Object.keys(encodings)), (t, encoding) => {
      expect(decodeText(encodings[encoding](t), 'f')).toBe(t);
    }), { numRuns: 1000 });
  });

  test('GIVEN random bytes WHEN decoded THEN they are text or refused with CallerIdInputError naming the file', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      try {
        expect(typeof decodeText(bytes, 'f.json')).toBe('string');
      } catch (e) {
        expect(e).toBeInstanceOf(CallerIdInputError);
        expect((e as Error).message.startsWith('f.json: ')).toBe(true);
      }
    }), { numRuns: 3000 });
  });
});

/** A JSON object written from entries as given, so a key can occur twice; keys are written with random escapes. */
type Written = { text: string; duplicate?: string };
const key = fc.string({ unit: fc.constantFrom('a', 'b', 'N', '"', '\\', '\n', 'é', '🎧', '\u0000'), maxLength: 3 });
function writeKey(k: string, escapeAll: boolean): string {
  if (!escapeAll) return JSON.stringify(k);
  return `"${Array.from({ length: k.length }, (_, i) => `\\u${k.charCodeAt(i).toString(16).padStart(4, '0')}`).join('')}"`;
}
const written: fc.Arbitrary<Written> = fc.letrec<{ node: Written }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.jsonValue({ maxDepth: 1 }).map((v) => ({ text: JSON.stringify(v) })),
    fc.array(tie('node'), { maxLength: 4 }).map((items) => ({
      text: `[${items.map((i) => i.text).join(',')}]`, duplicate: items.find((i) => i.duplicate !== undefined)?.duplicate,
    })),
    fc.array(fc.tuple(key, fc.boolean(), fc.constantFrom(' ', '', '\n  '), tie('node')), { maxLength: 5 }).map((entries) => {
      const seen = new Set<string>();
      let duplicate: string | undefined;
      for (const [k, , , value] of entries) {
        // The first problem in text order: a duplicate key of this object, or one inside the value before it.
        if (duplicate === undefined && seen.has(k)) duplicate = k;
        seen.add(k);
        if (duplicate === undefined) duplicate = value.duplicate;
      }
      return { text: `{${entries.map(([k, e, ws, v]) => `${ws}${writeKey(k, e)}${ws}:${ws}${v.text}`).join(',')}}`, duplicate };
    }),
  ),
})).node;

describe('duplicate keys', () => {
  test('GIVEN JSON written with repeated keys anywhere, escaped or not WHEN parsed THEN the first one is refused, and text without any reads as JSON.parse reads it', () => {
    fc.assert(fc.property(written, ({ text, duplicate }) => {
      try {
        const { value } = parseJsonText(text, SOURCE);
        expect(duplicate).toBeUndefined();
        expect(value).toEqual(JSON.parse(text));
      } catch (e) {
        if (!(e instanceof CallerIdInputError)) throw e;
        expect(duplicate).toBeDefined();
        expect(e.message).toContain(`JSON with a duplicate key: ${printable(JSON.stringify(duplicate))} appears twice`);
      }
    }), { numRuns: 3000 });
  });

  test('GIVEN any JSON that JSON.stringify writes WHEN parsed THEN no duplicate is invented and the value is the same', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2, '\t'), (value, indent) => {
      const text = JSON.stringify(value, undefined, indent);
      expect(parseJsonText(text, SOURCE).value).toEqual(JSON.parse(text));
    }), { numRuns: 2000 });
  });
});

describe('deep nesting and huge values', () => {
  test('GIVEN nesting up to 100,000 levels in Parameters or Metadata WHEN checked THEN it is checked or refused, never a stack overflow', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom('[', '{"k":'), fc.boolean(), async (depth, open, inMetadata) => {
      const close = open === '[' ? ']' : '}';
      const deep = `${open.repeat(depth)}1${close.repeat(depth)}`;
      const text = inMetadata
        ? `{"Version":"2019-10-30","StartAction":"a","Metadata":{"x":${deep}},"Actions":[{"Identifier":"a","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`
        : `{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a","Type":"DisconnectParticipant","Parameters":{"p":${deep}},"Transitions":{}}]}`;
      const { code, lines } = await check(text);
      expect([0, 1, 2]).toContain(code);
      expect(lines.join('\n')).not.toMatch(/unexpected failure|failed unexpectedly/);
    }), { numRuns: 25 });
  });

  test('GIVEN a string value of up to 2 MB of any characters WHEN checked THEN it is checked, and every line printed is printable', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: 2_000_000 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }), async (size, unit) => {
      const value = unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
      const text = JSON.stringify({
        Version: '2019-10-30', StartAction: 'a',
        Actions: [{ Identifier: 'a', Type: 'TransferParticipantToThirdParty', Parameters: { ThirdPartyPhoneNumber: value, CallerId: { Number: value } }, Transitions: {} }],
      });
      const { code, lines } = await check(text);
      expect([1, 2]).toContain(code);
      expectPrintable(lines);
      expect(lines.join('\n')).not.toMatch(/unexpected failure|failed unexpectedly/);
    }), { numRuns: 12 });
  });
});

describe('positions and printing', () => {
  test('GIVEN any text and offset WHEN located THEN line and column agree with splitting the text at that offset', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '\n', '\r', '\r\n', ' '), maxLength: 60 });
    fc.assert(fc.property(text, fc.nat(), (t, at) => {
      const offset = at % (t.length + 1);
      // Between the CR and the LF of one line break there is no line of its own to agree on.
      fc.pre(!(t[offset - 1] === '\r' && t[offset] === '\n'));
      const lines = t.slice(0, offset).split(/\r\n|\r|\n/);
      expect(lineAndColumn(t, offset)).toEqual({ line: lines.length, column: lines[lines.length - 1].length + 1 });
    }), { numRuns: 3000 });
  });

  test('GIVEN any string WHEN made printable THEN it is one line with nothing raw, and JSON made printable still parses to the same value', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.jsonValue(), (s, v) => {
      expect(printable(s)).not.toMatch(RAW);
      expect(printable(s)).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
      const json = JSON.stringify({ s, v }, undefined, 2);
      expect(JSON.parse(printableJson(json))).toEqual(JSON.parse(json));
    }), { numRuns: 3000 });
  });
});
