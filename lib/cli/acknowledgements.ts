import * as path from 'path';
import { acknowledgementProblem, ALL_RULES } from '../core/catalogue';
import { CallerIdInputError } from '../core/errors';
import { Finding, Severity } from '../core/findings';
import { parseJsonText, readTextFile } from '../core/json-text';
import { printable } from '../core/printable';
import { RuleDefinition } from '../core/rule-definition';
import { AcknowledgedFinding } from './report-formats';

/**
 * One reviewed warning: the rule, why it is acceptable, and optionally which file (a path or a glob), action
 * and number it is acceptable for. Without a scope it covers every warning of the rule.
 */
export interface Acknowledgement {
  readonly rule: string;
  readonly reason: string;
  readonly file?: string;
  readonly actionId?: string;
  readonly number?: string;
  /** Where it was written, for messages: `acknowledgements.json[2]`, `--acknowledge CALLER_ID_DYNAMIC`. */
  readonly source: string;
  /** The directory `file` is relative to: the acknowledgements file's. */
  readonly baseDir: string;
}

// The scope keys are those of the context every finding carries in CDK's validation channel (`where`).
const KEYS = ['rule', 'reason', 'file', 'actionId', 'number'] as const;

/**
 * Reads an acknowledgements file: a JSON array of `{ "rule", "reason", "file"?, "actionId"?, "number"? }`. Every
 * entry needs a reason; its rule must be a warning of the catalogue (errors mean the call would fail, so they
 * cannot be acknowledged); unknown keys are refused, since a misspelt scope would silently widen it to every file.
 *
 * @throws CallerIdInputError naming the entry, what is wrong with it and what is accepted
 */
export function parseAcknowledgementsFile(text: string, file: string, rules: readonly RuleDefinition[] = ALL_RULES): Acknowledgement[] {
  const label = printable(file);
  // Duplicate keys are refused like in flows: an entry with "file" twice would otherwise scope by the last one.
  const { value } = parseJsonText(text, { source: label, subject: 'the acknowledgements file is', expected: EXPECTED });
  if (!Array.isArray(value)) {
    throw new CallerIdInputError(
      `${label}: expected a JSON array of acknowledgements such as [{ "rule": "CALLER_ID_DYNAMIC", "reason": "why this is acceptable", ` +
        `"file": "flows/*.json", "actionId": "<action Identifier>", "number": "+81368001234" }], got ${describe(value)}`,
    );
  }
  const baseDir = path.dirname(path.resolve(file));
  return value.map((entry, i) => parseEntry(entry, `${label}[${i}]`, baseDir, rules));
}

const EXPECTED = 'a JSON array of { "rule", "reason", "file"?, "actionId"?, "number"? }';

/**
 * The most bytes read of an acknowledgements file: an entry is a line or two, so this is some hundred thousand
 * entries, far more than anyone reviews.
 */
const MAX_ACKNOWLEDGEMENTS_FILE_BYTES = 16 * 1024 * 1024;

/** Reads and parses `--acknowledgements FILE`, within a bound, in any encoding flows may have. */
export function readAcknowledgementsFile(file: string, rules: readonly RuleDefinition[] = ALL_RULES): Acknowledgement[] {
  const text = readTextFile({
    file, what: 'acknowledgements file', maxBytes: MAX_ACKNOWLEDGEMENTS_FILE_BYTES,
    whyBounded: 'that would be some hundred thousand acknowledgements',
  });
  return parseAcknowledgementsFile(text, file, rules);
}

function parseEntry(entry: unknown, source: string, baseDir: string, rules: readonly RuleDefinition[]): Acknowledgement {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new CallerIdInputError(`${source}: an acknowledgement must be an object { "rule", "reason", "file"?, "actionId"?, "number"? }, got ${describe(entry)}`);
  }
  const e = entry as Record<string, unknown>;
  const unknown = Object.keys(e).filter((k) => !(KEYS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new CallerIdInputError(`${source}: unknown key ${unknown.map((k) => JSON.stringify(k)).join(', ')}; an acknowledgement has ${KEYS.join(', ')}`);
  }
  for (const key of KEYS) {
    if (e[key] !== undefined && (typeof e[key] !== 'string' || (e[key] as string).trim() === '')) {
      throw new CallerIdInputError(`${source}: "${key}" must be a non-empty string, got ${describe(e[key])}`);
    }
  }
  if (e.rule === undefined) throw new CallerIdInputError(`${source}: "rule" is missing; name the rule id of the warning, e.g. "CALLER_ID_DYNAMIC"`);
  const rule = checkedRule(e.rule as string, source, rules);
  if (e.reason === undefined) {
    throw new CallerIdInputError(`${source} (${rule}): "reason" is missing; say why the warning is acceptable, so the next reader knows`);
  }
  return {
    rule,
    reason: (e.reason as string).trim(),
    ...(e.file !== undefined ? { file: e.file as string } : {}),
    ...(e.actionId !== undefined ? { actionId: e.actionId as string } : {}),
    ...(e.number !== undefined ? { number: e.number as string } : {}),
    source,
    baseDir,
  };
}

/** `--acknowledge RULE_ID` on the command line: the rule's warnings everywhere, without a reason. */
export function acknowledgementsFromRuleIds(ids: readonly string[], cwd: string, rules: readonly RuleDefinition[] = ALL_RULES): Acknowledgement[] {
  return ids.map((id) => {
    const source = `--acknowledge ${id}`;
    return { rule: checkedRule(id, source, rules), reason: 'acknowledged on the command line', source, baseDir: cwd };
  });
}

function checkedRule(id: string, source: string, rules: readonly RuleDefinition[]): string {
  const problem = acknowledgementProblem(id, rules);
  if (problem) throw new CallerIdInputError(`${source}: ${problem}`);
  return id;
}

/** The findings of one file, before acknowledgements. */
export interface FileFindings {
  readonly file: string;
  readonly findings: readonly Finding[];
}

export interface AcknowledgedFile {
  /** The findings that stand. */
  readonly findings: Finding[];
  /** The warnings acknowledged, each with its reason. */
  readonly acknowledged: AcknowledgedFinding[];
}

export interface AppliedAcknowledgements {
  /** One per file given, in the same order. */
  readonly files: AcknowledgedFile[];
  /** The acknowledgements that matched no finding: stale, or scoped wrongly. */
  readonly unused: Acknowledgement[];
}

/**
 * Splits each file's findings into those that stand and the warnings an acknowledgement covers. A warning is
 * covered by the first acknowledgement of its rule whose every given scope matches: `file` (relative to the
 * acknowledgements file's directory; `*` and `?` within one path segment, `**` across segments), `actionId`
 * (the action's `Identifier`) and `number` (the number or reference the finding is about). Files are named as on the
 * command line, relative to `cwd`.
 */
export function applyAcknowledgements(files: readonly FileFindings[], acknowledgements: readonly Acknowledgement[], cwd: string): AppliedAcknowledgements {
  const byRule = new Map<string, { ack: Acknowledgement; matcher?: PathMatcher }[]>();
  for (const ack of acknowledgements) {
    const list = byRule.get(ack.rule) ?? [];
    list.push({ ack, ...(ack.file !== undefined ? { matcher: compileGlob(ack.file) } : {}) });
    byRule.set(ack.rule, list);
  }
  const used = new Set<Acknowledgement>();
  const result = files.map((file) => {
    const absolute = path.resolve(cwd, file.file);
    const relativeTo = new Map<string, string>();
    const pathFrom = (baseDir: string) => {
      let p = relativeTo.get(baseDir);
      if (p === undefined) {
        p = path.relative(baseDir, absolute).split(path.sep).join('/');
        relativeTo.set(baseDir, p);
      }
      return p;
    };
    const findings: Finding[] = [];
    const acknowledged: AcknowledgedFinding[] = [];
    for (const f of file.findings) {
      const match = f.severity === Severity.WARNING ? byRule.get(f.ruleId)?.find(({ ack, matcher }) =>
        (ack.actionId === undefined || ack.actionId === f.actionId) &&
        (ack.number === undefined || ack.number === f.number) &&
        (matcher === undefined || matcher(pathFrom(ack.baseDir)))) : undefined;
      if (match) {
        used.add(match.ack);
        acknowledged.push({ ...f, acknowledgement: { reason: match.ack.reason, source: match.ack.source } });
      } else {
        findings.push(f);
      }
    }
    return { findings, acknowledged };
  });
  return { files: result, unused: acknowledgements.filter((a) => !used.has(a)) };
}

/** How an unused acknowledgement is reported. */
export function describeUnused(ack: Acknowledgement): string {
  const scope = [
    ack.file !== undefined ? `file ${JSON.stringify(ack.file)}` : undefined,
    ack.actionId !== undefined ? `action ${JSON.stringify(ack.actionId)}` : undefined,
    ack.number !== undefined ? `number ${JSON.stringify(ack.number)}` : undefined,
  ].filter((s) => s !== undefined);
  return `${ack.source}: the acknowledgement of ${ack.rule}${scope.length ? ` for ${scope.join(', ')}` : ''} matched no warning; ` +
    'remove it if the warning is gone, or correct its scope';
}

type PathMatcher = (p: string) => boolean;

enum Token {
  LITERAL,
  ONE,
  STAR,
  GLOBSTAR,
  /** The start of `**\/`: none, or a run of characters ending with `/` (the GLOBSTAR and `/` tokens that follow). */
  DIRECTORIES,
}

/**
 * A path glob: `*` any run of characters within a segment, `?` one character within a segment, `**` any run of
 * characters across segments (`**\/` also none), everything else literal. Matched by simulating the pattern as
 * a nondeterministic automaton, a set of pattern positions per character, so the time is the path's length
 * times the pattern's, whatever the input: no backtracking.
 */
export function compileGlob(pattern: string): PathMatcher {
  // By code point, as the path is read, so a character outside the BMP is one `?`.
  const source = Array.from(pattern.startsWith('./') ? pattern.slice(2) : pattern);
  const tokens: { kind: Token; char?: string }[] = [];
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '*' && source[i + 1] === '*') {
      if (source[i + 2] === '/') {
        tokens.push({ kind: Token.DIRECTORIES }, { kind: Token.GLOBSTAR }, { kind: Token.LITERAL, char: '/' });
        i += 2;
      } else {
        tokens.push({ kind: Token.GLOBSTAR });
        i += 1;
      }
    } else if (c === '*') {
      tokens.push({ kind: Token.STAR });
    } else if (c === '?') {
      tokens.push({ kind: Token.ONE });
    } else {
      tokens.push({ kind: Token.LITERAL, char: c });
    }
  }
  const end = tokens.length;
  const close = (states: Uint8Array) => {
    // `*` and `**` also match nothing, and `**\/` no directory: a state before one also stands after it. Every
    // such move goes forward, so one pass in order is enough.
    for (let i = 0; i < end; i++) {
      if (!states[i]) continue;
      const kind = tokens[i].kind;
      if (kind === Token.STAR || kind === Token.GLOBSTAR) states[i + 1] = 1;
      if (kind === Token.DIRECTORIES) states[i + 1] = states[i + 3] = 1;
    }
    return states;
  };
  return (p: string) => {
    const start = new Uint8Array(end + 1);
    start[0] = 1;
    let states = close(start);
    for (const c of p) {
      const next = new Uint8Array(end + 1);
      let any = false;
      for (let i = 0; i < end; i++) {
        if (!states[i]) continue;
        const t = tokens[i];
        switch (t.kind) {
          case Token.LITERAL: if (c === t.char) next[i + 1] = 1; break;
          case Token.ONE: if (c !== '/') next[i + 1] = 1; break;
          case Token.STAR: if (c !== '/') next[i] = 1; break;
          case Token.GLOBSTAR: next[i] = 1; break;
          case Token.DIRECTORIES: break;
        }
      }
      for (let i = 0; i <= end; i++) any ||= next[i] === 1;
      if (!any) return false;
      states = close(next);
    }
    return states[end] === 1;
  };
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
