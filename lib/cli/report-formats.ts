import { createHash } from 'crypto';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { ALL_RULES } from '../core/catalogue';
import { Finding, Severity } from '../core/findings';
import { printable, printableJson } from '../core/printable';
import { RuleDefinition } from '../core/rule-definition';

/** The output formats of `check`. */
export enum ReportFormat {
  TEXT = 'text',
  JSON = 'json',
  SARIF = 'sarif',
  JUNIT = 'junit',
  GITHUB = 'github',
}

/** A warning that an acknowledgement silenced, with the reason given for it. */
export interface AcknowledgedFinding extends Finding {
  readonly acknowledgement: {
    readonly reason: string;
    /** Where the acknowledgement was written, e.g. `acknowledgements.json entry 2`. */
    readonly source: string;
  };
}

/** Rules that could not judge a file, and why. */
export interface RulesNotRunReport {
  readonly ruleIds: readonly string[];
  readonly reason: string;
}

/** What `check` found in one file. */
export interface FileReport {
  /** The path as given on the command line. */
  readonly file: string;
  readonly type?: string;
  /** Where the type came from (the file, its content, `--type`). */
  readonly typeSource?: string;
  /** What tells the type, as a phrase. */
  readonly typeEvidence?: string;
  /** Why the file could not be checked; a file that could not be read has no findings. */
  readonly unreadable?: string;
  /** The findings that stand (not acknowledged). */
  readonly findings: readonly Finding[];
  readonly acknowledged?: readonly AcknowledgedFinding[];
  readonly notRun?: readonly RulesNotRunReport[];
}

/** Everything one run of `check` reports. */
export interface CheckReport {
  readonly instanceArn: string;
  readonly claimedNumbers: number;
  readonly files: readonly FileReport[];
  /** Acknowledgements that matched no finding, described for the user (so stale ones are seen). */
  readonly unusedAcknowledgements?: readonly string[];
}

/** What a format prints: the report on stdout, diagnostics (summary, unreadable files) on stderr. */
export interface RenderedReport {
  readonly out: string[];
  readonly err: string[];
}

export interface RenderOptions {
  /** The directory paths are made relative to (SARIF URIs, GitHub annotations). */
  readonly cwd: string;
  /** The version of the tool, for SARIF's tool driver. @default - not stated */
  readonly toolVersion?: string;
  /** The rule catalogue. @default ALL_RULES */
  readonly rules?: readonly RuleDefinition[];
}

export const TOOL_NAME = 'connect-caller-id';
const TOOL_URI = 'https://www.npmjs.com/package/cdk-connect-caller-id';

export function renderReport(report: CheckReport, format: ReportFormat, options: RenderOptions): RenderedReport {
  switch (format) {
    case ReportFormat.TEXT: return renderText(report);
    case ReportFormat.JSON: return { out: [renderJson(report)], err: [] };
    case ReportFormat.SARIF: return { out: [printableJson(JSON.stringify(renderSarif(report, options), undefined, 2))], err: diagnostics(report) };
    case ReportFormat.JUNIT: return { out: [renderJunit(report)], err: diagnostics(report) };
    case ReportFormat.GITHUB: return { out: renderGithub(report, options), err: [summary(report)] };
  }
}

/** The counts every format's exit status and summary rest on. */
export function countReport(report: CheckReport) {
  let errors = 0, warnings = 0, acknowledged = 0, unreadable = 0, partlyChecked = 0;
  for (const file of report.files) {
    if (file.unreadable !== undefined) unreadable++;
    if (file.notRun?.length) partlyChecked++;
    for (const f of file.findings) f.severity === Severity.ERROR ? errors++ : warnings++;
    acknowledged += file.acknowledged?.length ?? 0;
  }
  return { errors, warnings, acknowledged, unreadable, partlyChecked };
}

function summary(report: CheckReport): string {
  const { errors, warnings, acknowledged, unreadable, partlyChecked } = countReport(report);
  return `${report.files.length} flow file(s) checked against ${report.claimedNumbers} claimed number(s): ` +
    `${errors} error(s), ${warnings} warning(s)` +
    `${acknowledged > 0 ? ` (${acknowledged} acknowledged)` : ''}${unreadable > 0 ? `, ${unreadable} unreadable` : ''}` +
    `${partlyChecked > 0 ? `, ${partlyChecked} without a flow type (rules that need one not run)` : ''}`;
}

/**
 * What a person reading the log should see besides the findings. Like every line printed from users' files, with
 * control and invisible characters escaped (`printable`), so a value cannot forge or recolour lines of a CI log.
 */
function diagnostics(report: CheckReport): string[] {
  return [
    ...report.files.flatMap((f) => [
      ...(f.unreadable !== undefined ? [f.unreadable] : []),
      ...(f.notRun ?? []).map((n) => `${f.file}: not run: ${n.ruleIds.join(', ')}: ${n.reason}`),
    ]),
    ...report.unusedAcknowledgements ?? [],
    summary(report),
  ].map(printable);
}

// --- text -------------------------------------------------------------------------------------------------------

/** One line per finding, `file: severity RULE_ID action <id>: message`, as ever; the summary on stderr. */
function renderText(report: CheckReport): RenderedReport {
  const out = report.files.flatMap((file) => file.findings.map((f) => textLine(file.file, f)));
  return { out, err: diagnostics(report) };
}

function textLine(file: string, f: Finding): string {
  return printable(`${file}: ${f.severity} ${f.ruleId}${f.actionId ? ` action ${f.actionId}` : ''}: ${f.message}`);
}

// --- json -------------------------------------------------------------------------------------------------------

/** One document; the shape of `--json`, with the acknowledged warnings and unused acknowledgements added. */
function renderJson(report: CheckReport): string {
  const { errors, warnings, acknowledged, unreadable } = countReport(report);
  return printableJson(JSON.stringify({
    instanceArn: report.instanceArn,
    files: report.files.map((r) => ({
      file: r.file,
      ...(r.type ? { type: r.type, typeFrom: r.typeSource, typeEvidence: r.typeEvidence } : {}),
      ...(r.unreadable !== undefined ? { unreadable: r.unreadable } : {}),
      findings: r.findings,
      ...(r.acknowledged?.length ? { acknowledged: r.acknowledged } : {}),
      ...(r.notRun?.length ? { notRun: r.notRun } : {}),
    })),
    errors, warnings, acknowledged, unreadable,
    ...(report.unusedAcknowledgements?.length ? { unusedAcknowledgements: report.unusedAcknowledgements } : {}),
  }, undefined, 2));
}

// --- SARIF 2.1.0 ------------------------------------------------------------------------------------------------

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/**
 * The report as a SARIF 2.1.0 log (OASIS SARIF v2.1.0), in the subset GitHub code scanning reads: one run, the
 * rule catalogue as the driver's rules, one result per finding with a physical location. Acknowledged warnings
 * are results with an external suppression carrying the reason, so code scanning shows them as dismissed rather
 * than losing them. Files that could not be read, rules that could not run and unused acknowledgements are tool
 * execution notifications.
 */
export function renderSarif(report: CheckReport, options: RenderOptions): object {
  const rules = options.rules ?? ALL_RULES;
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results: object[] = [];
  const notifications: object[] = [];
  const fingerprints = new Fingerprints();
  for (const file of report.files) {
    // Most files of a large run have nothing to report: their location is not worked out.
    if (file.unreadable === undefined && file.findings.length === 0 && !file.acknowledged?.length && !file.notRun?.length) continue;
    const location = artifactLocation(file.file, options.cwd);
    if (file.unreadable !== undefined) {
      notifications.push({ level: 'error', message: { text: file.unreadable }, locations: [{ physicalLocation: { artifactLocation: location } }] });
    }
    for (const f of file.findings) results.push(sarifResult(f, location, ruleIndex, fingerprints));
    for (const f of file.acknowledged ?? []) {
      results.push({
        ...sarifResult(f, location, ruleIndex, fingerprints),
        suppressions: [{ kind: 'external', status: 'accepted', justification: `${f.acknowledgement.reason} (${f.acknowledgement.source})` }],
      });
    }
    for (const n of file.notRun ?? []) {
      for (const ruleId of n.ruleIds) {
        notifications.push({
          level: 'note', message: { text: `${ruleId} did not run: ${n.reason}` },
          locations: [{ physicalLocation: { artifactLocation: location } }],
          ...(ruleIndex.has(ruleId) ? { associatedRule: { id: ruleId, index: ruleIndex.get(ruleId) } } : {}),
        });
      }
    }
  }
  for (const u of report.unusedAcknowledgements ?? []) notifications.push({ level: 'warning', message: { text: u } });
  const { unreadable } = countReport(report);
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: TOOL_NAME,
          ...(options.toolVersion !== undefined ? { semanticVersion: options.toolVersion } : {}),
          informationUri: TOOL_URI,
          rules: rules.map(sarifRule),
        },
      },
      invocations: [{ executionSuccessful: unreadable === 0, toolExecutionNotifications: notifications }],
      // Columns as JavaScript strings count them, so an editor and code scanning land on the same character.
      columnKind: 'utf16CodeUnits',
      results,
    }],
  };
}

function sarifRule(rule: RuleDefinition): object {
  return {
    id: rule.id,
    shortDescription: { text: rule.trigger },
    help: {
      text: `${rule.fix}\nSource: ${rule.source}`,
      markdown: `${rule.fix}\n\nSource: ${rule.source}`,
    },
    defaultConfiguration: { level: sarifLevel(rule.severity) },
  };
}

function sarifResult(f: Finding, location: { uri: string }, ruleIndex: ReadonlyMap<string, number>, fingerprints: Fingerprints): Record<string, unknown> {
  const index = ruleIndex.get(f.ruleId);
  return {
    ruleId: f.ruleId,
    ...(index !== undefined ? { ruleIndex: index } : {}),
    level: sarifLevel(f.severity),
    message: { text: f.actionId ? `${f.message} (action ${f.actionId})` : f.message },
    partialFingerprints: { [FINGERPRINT]: fingerprints.of(f, location.uri) },
    locations: [{
      physicalLocation: {
        artifactLocation: location,
        // GitHub code scanning places only results with a start line; a finding about the whole file (the
        // flow's structure, its length) is shown at its first line.
        region: { startLine: f.line ?? 1, ...(f.column !== undefined ? { startColumn: f.column } : {}) },
      },
      ...(f.actionId ? { logicalLocations: [{ name: f.actionId, kind: 'element' }] } : {}),
    }],
  };
}

const FINGERPRINT = 'connectCallerId/v1';

/**
 * Each result's identity across runs, for code scanning to match alerts: the rule, file, action and number, and
 * which occurrence of those it is. Not the line: a finding without a position is at line 1, where code scanning's
 * own line-based fingerprint would make every finding of a rule in a file one alert, and an action's line moves
 * whenever the designer rewrites the file above it.
 */
class Fingerprints {
  private readonly seen = new Map<string, number>();

  of(f: Finding, uri: string): string {
    const key = [f.ruleId, uri, f.actionId ?? '', f.number ?? ''].join('\u0000');
    const occurrence = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, occurrence);
    return createHash('sha256').update(`${key}\u0000${occurrence}`).digest('hex');
  }
}

function sarifLevel(severity: Severity): 'error' | 'warning' {
  return severity === Severity.ERROR ? 'error' : 'warning';
}

/**
 * The file as a SARIF artifact location: a URI reference relative to the working directory (based on
 * `%SRCROOT%`, which code scanning resolves to the repository root when the check runs there), or an absolute
 * `file:` URI for a file outside it.
 */
export function artifactLocation(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(cwd, absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return { uri: pathToFileURL(absolute).href };
  return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

// --- JUnit XML --------------------------------------------------------------------------------------------------

/**
 * The report as JUnit XML, the shape CI test reporters read: one testsuite per file; a testcase per finding
 * (errors as failures, warnings passing with the finding as system-out, acknowledged warnings skipped with the
 * reason) and per rule that could not run (skipped); a file with nothing found has one passing testcase, and an
 * unreadable file one testcase with an error.
 */
export function renderJunit(report: CheckReport): string {
  const counts = countReport(report);
  let tests = 0, skipped = 0;
  const suites: string[] = [];
  for (const file of report.files) {
    const cases: string[] = [];
    let failures = 0, errors = 0, fileSkipped = 0;
    if (file.unreadable !== undefined) {
      errors++;
      cases.push(`    <testcase classname="${attr(file.file)}" name="read">\n` +
        `      <error type="unreadable" message="${attr(file.unreadable)}">${text(file.unreadable)}</error>\n    </testcase>`);
    }
    for (const f of file.findings) {
      const name = attr(caseName(f));
      if (f.severity === Severity.ERROR) {
        failures++;
        cases.push(`    <testcase classname="${attr(file.file)}" name="${name}">\n` +
          `      <failure type="${attr(f.ruleId)}" message="${attr(f.message)}">${text(textLine(file.file, f))}</failure>\n    </testcase>`);
      } else {
        cases.push(`    <testcase classname="${attr(file.file)}" name="${name}">\n` +
          `      <system-out>${text(textLine(file.file, f))}</system-out>\n    </testcase>`);
      }
    }
    for (const f of file.acknowledged ?? []) {
      fileSkipped++;
      cases.push(`    <testcase classname="${attr(file.file)}" name="${attr(caseName(f))}">\n` +
        `      <skipped message="${attr(`acknowledged: ${f.acknowledgement.reason} (${f.acknowledgement.source})`)}"/>\n    </testcase>`);
    }
    for (const n of file.notRun ?? []) {
      for (const ruleId of n.ruleIds) {
        fileSkipped++;
        cases.push(`    <testcase classname="${attr(file.file)}" name="${attr(ruleId)}">\n` +
          `      <skipped message="${attr(n.reason)}"/>\n    </testcase>`);
      }
    }
    if (cases.length === 0) cases.push(`    <testcase classname="${attr(file.file)}" name="caller ID and flow rules"/>`);
    tests += cases.length;
    skipped += fileSkipped;
    suites.push(`  <testsuite name="${attr(file.file)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${fileSkipped}">\n` +
      `${cases.join('\n')}\n  </testsuite>`);
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${TOOL_NAME} check" tests="${tests}" failures="${counts.errors}" errors="${counts.unreadable}" skipped="${skipped}">`,
    ...suites,
    '</testsuites>',
  ].join('\n');
}

function caseName(f: Finding): string {
  return `${f.ruleId}${f.actionId ? ` action ${f.actionId}` : ''}`;
}

/**
 * Characters XML 1.0 cannot hold at all, even escaped: C0 controls other than tab, LF and CR, the two
 * non-characters U+FFFE and U+FFFF, and unpaired surrogates (with the `u` flag a pair is one code point and does
 * not match). A character class, so the replacement is linear in the text.
 */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/gu;

/** Text content: `&`, `<` and `>` escaped (`>` because of `]]>`), characters XML cannot hold removed. */
export function xmlText(value: string): string {
  return value.replace(NOT_XML, '').replace(/[&<>]/g, (c) => XML_ENTITIES[c]);
}

/**
 * An attribute value in double quotes: also `"` and `'`, and tab, LF and CR as character references, since a
 * parser turns literal ones into spaces (attribute-value normalization).
 */
export function xmlAttribute(value: string): string {
  return value.replace(NOT_XML, '').replace(/[&<>"'\t\n\r]/g, (c) => XML_ENTITIES[c]);
}

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;',
};

// Values from users' files are also made printable, as in every other format, so a report viewer shows what they hold.
const attr = (value: string) => xmlAttribute(printable(value));
const text = (value: string) => xmlText(printable(value));

// --- GitHub Actions workflow commands ---------------------------------------------------------------------------

/**
 * One workflow command per finding (`::error file=...,line=...,col=...,title=RULE_ID::message`, `::warning` for
 * warnings), which GitHub Actions shows as annotations on the file and line; acknowledged warnings are left out.
 * Unreadable files are errors on the file; unused acknowledgements are warnings.
 */
export function renderGithub(report: CheckReport, options: Pick<RenderOptions, 'cwd'>): string[] {
  const out: string[] = [];
  for (const file of report.files) {
    const name = githubPath(file.file, options.cwd);
    if (file.unreadable !== undefined) out.push(workflowCommand('error', { file: name, title: 'unreadable' }, file.unreadable));
    for (const f of file.findings) {
      out.push(workflowCommand(f.severity === Severity.ERROR ? 'error' : 'warning', {
        file: name,
        ...(f.line !== undefined ? { line: String(f.line) } : {}),
        ...(f.line !== undefined && f.column !== undefined ? { col: String(f.column) } : {}),
        title: f.ruleId,
      }, f.actionId ? `${f.message} (action ${f.actionId})` : f.message));
    }
  }
  for (const u of report.unusedAcknowledgements ?? []) out.push(workflowCommand('warning', { title: 'unused acknowledgement' }, u));
  return out;
}

/** The path GitHub matches annotations against: relative to the working directory (the workspace), with `/`. */
function githubPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, path.resolve(cwd, file));
  return relative.startsWith('..') || path.isAbsolute(relative) ? path.resolve(cwd, file) : relative.split(path.sep).join('/');
}

/**
 * A workflow command, escaped as the Actions toolkit (`@actions/core`, `command.ts`) escapes it: in the message
 * `%`, CR and LF; in property values also `:` and `,`, which separate properties. Other control and invisible
 * characters are escaped first (`printable`), as in every line `check` prints.
 */
export function workflowCommand(command: string, properties: Record<string, string>, message: string): string {
  const props = Object.entries(properties).map(([k, v]) => `${k}=${escapeProperty(printable(v))}`).join(',');
  return `::${command}${props ? ` ${props}` : ''}::${escapeData(printable(message))}`;
}

export function escapeData(value: string): string {
  return value.replace(/[%\r\n]/g, (c) => GITHUB_ESCAPES[c]);
}

export function escapeProperty(value: string): string {
  return value.replace(/[%\r\n:,]/g, (c) => GITHUB_ESCAPES[c]);
}

const GITHUB_ESCAPES: Record<string, string> = { '%': '%25', '\r': '%0D', '\n': '%0A', ':': '%3A', ',': '%2C' };
