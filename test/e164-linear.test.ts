import * as fc from 'fast-check';
import { CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { parseE164 } from '../lib/core/e164';

// Suggestions for values written in other forms must cost time linear in the value, however it is written.
describe('parseE164 suggestions on long values', () => {
  // 200,000 characters of whitespace took minutes with a backtracking pattern (80,000 took 34 s); the test's
  // own timeout is what fails it then.
  test.each([
    ['spaces before a letter', `1${' '.repeat(200_000)}a`],
    ['spaces and tabs before a plus', `1${' \t'.repeat(100_000)}+`],
    ['an extension keyword repeated', `1${' x 1'.repeat(50_000)}a`],
    ['digits before a letter', `x${'1'.repeat(200_000)}a`],
  ])('GIVEN %s WHEN parsed with hint countries THEN it is refused without a suggestion', (_what, value) => {
    expect(parseE164(value, ['JP', 'GB', 'US'])).toMatchObject({ ok: false, problem: 'not-e164', suggestion: undefined });
  }, 20_000);

  /** The suggestion as it was made with the pattern `\s*(ext\.?|x)\s*\d+$`, which is exact on short values. */
  function suggestedWithPattern(value: string, hints: readonly string[]): string | undefined {
    if (!/\d/.test(value) || /[a-z]/i.test(value.replace(/\s*(ext\.?|x)\s*\d+$/i, ''))) return undefined;
    if (value.trim().startsWith('+')) {
      const parsed = parsePhoneNumberFromString(value);
      return parsed?.isValid() ? parsed.number : undefined;
    }
    for (const country of hints) {
      const parsed = parsePhoneNumberFromString(value, country as CountryCode);
      if (parsed?.isValid()) return parsed.number;
    }
    return undefined;
  }

  test('GIVEN short values with extensions, spaces and letters WHEN parsed THEN the suggestion is the one the pattern gave', () => {
    const piece = fc.constantFrom('0', '3', '6', '8', '1', '2', '4', '+', '-', ' ', '\t', '(', ')', '.', 'x', 'X', 'ext', 'EXT.', 'e', 't', 'a');
    const value = fc.array(piece, { maxLength: 24 }).map((p) => p.join(''));
    const national = fc.tuple(fc.constantFrom('03-6800-1234', '020 7183 8750', '(202) 555-0143', '+81 3 6800 1234'), value)
      .map(([n, tail]) => `${n}${tail}`);
    fc.assert(fc.property(fc.oneof(value, national), (v) => {
      const result = parseE164(v, ['JP', 'GB', 'US']);
      if (!result.ok && result.problem === 'not-e164' && !/^\+[1-9]\d{1,14}$/.test(v)) {
        expect(result.suggestion).toBe(suggestedWithPattern(v, ['JP', 'GB', 'US']));
      }
    }), { numRuns: 3000 });
  });

  test.each([
    ['03-6800-1234 ext. 12', '+81368001234'],
    ['03-6800-1234 x12', '+81368001234'],
    ['03-6800-1234EXT12', '+81368001234'],
    ['03-6800-1234 extension 12', undefined],
    ['03-6800-1234 abc', undefined],
  ])('GIVEN %j WHEN parsed in JP THEN the suggestion is %s', (value, suggestion) => {
    expect(parseE164(value, ['JP'])).toMatchObject({ ok: false, suggestion });
  });
});
