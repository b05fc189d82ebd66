import { getCountries, NumberKind, parsePhoneNumberFromString } from './libphonenumber';

export type { NumberKind };

/** A number that is strict E.164 and valid according to libphonenumber-js. */
export interface ParsedNumber {
  readonly ok: true;
  /** The E.164 form, identical to the input. */
  readonly number: string;
  /** ISO 3166-1 alpha-2 country, when the number belongs to one (not for +800 UIFN numbers, for example). */
  readonly country?: string;
  readonly kind?: NumberKind;
}

export interface RefusedNumber {
  readonly ok: false;
  /** `not-e164`: not written in E.164; `invalid`: E.164 in shape but not a number that exists. */
  readonly problem: 'not-e164' | 'invalid';
  /** What is wrong, without the value itself. */
  readonly reason: string;
  /** The exact E.164 form that was probably meant, when it can be told. */
  readonly suggestion?: string;
}

export type NumberParseResult = ParsedNumber | RefusedNumber;

const E164_SHAPE = /^\+[1-9]\d{1,14}$/;

/** Whether `value` has the shape of E.164 (+, then 2 to 15 digits, no leading 0), valid or not. */
export function isE164Shaped(value: string): boolean {
  return E164_SHAPE.test(value);
}
const COUNTRIES: ReadonlySet<string> = new Set(getCountries());

/** Whether `code` is an ISO 3166-1 alpha-2 country libphonenumber-js knows. */
export function isKnownCountry(code: string): boolean {
  return COUNTRIES.has(code);
}

/**
 * Parses a phone number strictly as E.164: `+`, country code, national significant number, nothing else.
 * Connect needs exactly this form; a number in any other form is refused, and when libphonenumber-js can
 * tell what was meant the result carries the E.164 form to suggest.
 *
 * @param hintCountries countries to try when the value is written in a national format (e.g. `03-6800-1234`);
 *   the instance's own countries are the useful hint.
 */
export function parseE164(value: string, hintCountries: readonly string[] = []): NumberParseResult {
  if (!E164_SHAPE.test(value)) {
    // Hints only matter for values not in E.164, which are rare and not worth caching.
    return { ok: false, problem: 'not-e164', reason: describeShape(value), suggestion: suggest(value, hintCountries) };
  }
  let result = cache.get(value);
  if (!result) {
    // A contact centre uses the same few numbers in many places; libphonenumber-js's full metadata makes each
    // parse cost tens of microseconds, so results are kept (bounded, oldest dropped first).
    result = parseShapedE164(value);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(value, result);
  }
  return result;
}

const CACHE_LIMIT = 20_000;
const cache = new Map<string, NumberParseResult>();

function parseShapedE164(value: string): NumberParseResult {
  const parsed = parsePhoneNumberFromString(value);
  if (!parsed) {
    return { ok: false, problem: 'invalid', reason: 'it is not a phone number of any country' };
  }
  if (parsed.number !== value) {
    // libphonenumber-js reads "+44 0 20..." as "+44 20...": Connect does not, so the trunk prefix is refused.
    return {
      ok: false,
      problem: 'not-e164',
      reason: 'it keeps the national trunk prefix after the country code',
      suggestion: parsed.isValid() ? parsed.number : undefined,
    };
  }
  if (!parsed.isValid()) {
    return {
      ok: false,
      problem: 'invalid',
      reason: parsed.country
        ? `it is not a valid ${parsed.country} number (wrong length or unassigned range)`
        : `it is not a valid number for country calling code +${parsed.countryCallingCode}`,
    };
  }
  return { ok: true, number: parsed.number, country: parsed.country, kind: parsed.getType() };
}

function describeShape(value: string): string {
  if (value.trim().length === 0) return 'it is empty';
  if (!/\d/.test(value)) return 'it contains no digits';
  if (!value.startsWith('+')) return 'it does not start with + and the country code';
  if (/[^+\d]/.test(value)) return 'it contains characters other than + and digits';
  if (value.startsWith('+0')) return 'country codes never start with 0';
  if (value.length < 3) return 'it is too short: E.164 has a country code and a national number';
  return 'E.164 allows at most 15 digits after the +';
}

/** libphonenumber-js reads no input longer than this (its MAX_INPUT_STRING_LENGTH), so no suggestion can come of it. */
const MAX_SUGGESTION_INPUT = 250;

function suggest(value: string, hintCountries: readonly string[]): string | undefined {
  if (value.length > MAX_SUGGESTION_INPUT) return undefined;
  if (!/\d/.test(value) || /[a-z]/i.test(withoutExtension(value))) return undefined;
  const candidates: string[] = [];
  if (value.trim().startsWith('+')) {
    const parsed = parsePhoneNumberFromString(value);
    if (parsed?.isValid()) candidates.push(parsed.number);
  } else {
    for (const country of hintCountries) {
      if (!isKnownCountry(country)) continue;
      const parsed = parsePhoneNumberFromString(value, country);
      if (parsed?.isValid()) candidates.push(parsed.number);
    }
  }
  return candidates[0];
}

/**
 * `value` less a trailing extension (`ext. 12`, `ext12`, `x 12`), which does not make a value a name. Scanned
 * from the end: a regular expression for it (`\s*(ext\.?|x)\s*\d+$`) backtracks over every run of
 * whitespace, which is quadratic in a long value.
 */
function withoutExtension(value: string): string {
  let i = value.length;
  while (i > 0 && isDigit(value.charCodeAt(i - 1))) i--;
  if (i === value.length) return value;
  i = skipSpaceBackwards(value, i);
  const before = value.slice(Math.max(0, i - 4), i).toLowerCase();
  const keyword = before.endsWith('ext.') ? 4 : before.endsWith('ext') ? 3 : before.endsWith('x') ? 1 : 0;
  if (keyword === 0) return value;
  return value.slice(0, skipSpaceBackwards(value, i - keyword));
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function skipSpaceBackwards(value: string, end: number): number {
  let i = end;
  while (i > 0 && /\s/.test(value[i - 1])) i--;
  return i;
}
