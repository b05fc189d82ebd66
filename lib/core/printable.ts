/**
 * Characters that must never reach a terminal or a CI log raw from user data: C0 controls (a CR or LF
 * forges a line, ESC starts an ANSI sequence that recolours, moves the cursor or rewrites a link), DEL and the
 * C1 controls (U+009B is an 8-bit CSI to some terminals), the line and paragraph separators, the bidirectional
 * controls that reorder how a line reads ("Trojan Source"), and invisible characters that make two different
 * values look equal (zero-width space, word joiner, soft hyphen, a byte order mark inside a value). Lone
 * surrogates are included: written out as UTF-8 they would become U+FFFD and hide what the value holds.
 * One character class with the `u` flag: linear, and a surrogate pair (an emoji) is one character, not two.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\p{Cs}]/gu;
/** The same less the C0 controls, which JSON.stringify already escapes. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\p{Cs}]/gu;
/** The same less LF, for text whose line breaks are its own and whose user data is quoted. */
const UNSAFE_KEEPING_LINES = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\p{Cs}]/gu;

const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escape(c: string): string {
  return SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every character above written as an escape (`\n`, `\r`, `\t`, `\u001b`, `\u202e`, ...), so it
 * prints as exactly one line that shows what it holds. Everything the command line prints that comes from a
 * user's files or arguments (file names, identifiers, values, messages quoting them) goes through this.
 * Backslashes are left as they are, so Windows paths stay readable; a `\n` in the output may therefore also be
 * those two characters in the input, which forges nothing.
 */
export function printable(text: string): string {
  return text.replace(UNSAFE, escape);
}

/**
 * Like `printable`, but keeps line feeds: for a message that is several lines by design (a list of problems)
 * and quotes every user value inside it with `JSON.stringify` or `printable`.
 */
export function printableLines(text: string): string {
  return text.replace(UNSAFE_KEEPING_LINES, escape);
}

/**
 * JSON text as `JSON.stringify` wrote it (indentation included), with the characters it leaves raw escaped
 * as `\uXXXX`: still valid JSON, and it decodes to the same values.
 */
export function printableJson(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
