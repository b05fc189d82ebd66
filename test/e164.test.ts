import { parseE164 } from '../lib/core/e164';

describe('parseE164', () => {
  test('accepts a strict E.164 number and says its country and kind', () => {
    expect(parseE164('+81368001234')).toEqual({ ok: true, number: '+81368001234', country: 'JP', kind: 'FIXED_LINE' });
    expect(parseE164('+81120123456')).toMatchObject({ ok: true, kind: 'TOLL_FREE' });
  });

  test.each([
    ['03-6800-1234', ['JP'], '+81368001234', 'does not start with +'],
    ['+81 3 6800 1234', [], '+81368001234', 'characters other than + and digits'],
    ['+4402071838750', [], '+442071838750', 'trunk prefix'],
  ])('refuses %s as not E.164 and suggests the exact form', (value, hints, suggestion, reason) => {
    const result = parseE164(value, hints);
    expect(result).toMatchObject({ ok: false, problem: 'not-e164', suggestion });
    expect(result.ok || result.reason).toContain(reason);
  });

  test('a national-format number gets no suggestion without a country to read it in', () => {
    expect(parseE164('03-6800-1234')).toMatchObject({ ok: false, problem: 'not-e164', suggestion: undefined });
  });

  test('refuses a region name without inventing a suggestion', () => {
    expect(parseE164('ap-northeast-1', ['JP'])).toEqual({
      ok: false, problem: 'not-e164', reason: 'it does not start with + and the country code', suggestion: undefined,
    });
  });

  test('refuses a number of invalid length as invalid', () => {
    expect(parseE164('+8136800')).toMatchObject({ ok: false, problem: 'invalid', reason: expect.stringContaining('not a valid JP number') });
  });

  test('refuses an empty value and an over-long one', () => {
    expect(parseE164('')).toMatchObject({ ok: false, reason: 'it is empty' });
    expect(parseE164('+8136800123456789')).toMatchObject({ ok: false, problem: 'not-e164', reason: expect.stringContaining('15 digits') });
  });

  test('keeps the leading zero that Italian numbers really have', () => {
    expect(parseE164('+390612345678')).toMatchObject({ ok: true, country: 'IT' });
  });
});
