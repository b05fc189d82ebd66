import { printable } from './printable';

/** How serious a finding is. Errors fail `cdk synth` and the `check` command; warnings can be acknowledged. */
export enum Severity {
  ERROR = 'error',
  WARNING = 'warning',
}

/** One problem found by a rule. */
export interface Finding {
  /** Stable rule id, e.g. `CALLER_ID_NOT_CLAIMED`. Appears in every message and is what acknowledgements name. */
  readonly ruleId: string;
  readonly severity: Severity;
  /** What is wrong, the value, and the fix. Does not repeat the rule id. */
  readonly message: string;
  /** The flow action the finding is about, when it is about one. */
  readonly actionId?: string;
  /**
   * The E.164 number or the flow reference (`$.Attributes.x`) the finding is about, when it is about one; what a
   * warning is acknowledged for when only that number's warnings are meant.
   */
  readonly number?: string;
  /** The flow file the finding is about, when it came from one. */
  readonly file?: string;
  /** The line (from 1) where the action the finding is about starts in its file, when that is known. */
  readonly line?: number;
  /** The column (from 1, in UTF-16 code units, as SARIF counts by default and editors do) of that start. */
  readonly column?: number;
}

/**
 * A finding as one line of a CDK message, a builder error or the deploy-time check's reason: `[RULE_ID] message`.
 * `check` lays findings out per its `--format` instead (`lib/cli/report-formats.ts`: file, severity and rule as
 * separate fields, as compilers and CI annotations do), from the same `Finding`. Messages and action
 * identifiers quote users' files, so control and invisible characters are escaped (`printable`): a CR, LF or
 * ANSI sequence in a flow cannot forge or recolour lines of a CI log.
 */
export function formatFinding(finding: Finding): string {
  const where = finding.actionId ? ` (action ${finding.actionId})` : '';
  return printable(`[${finding.ruleId}] ${finding.message}${where}`);
}

/**
 * Marks findings with the number or flow reference they are about, keeping any a finding already names, so a
 * warning can be acknowledged for that number only.
 */
export function aboutNumber(findings: Finding[], number: string | undefined): Finding[] {
  if (number === undefined || findings.length === 0) return findings;
  return findings.map((f) => (f.number === undefined ? { ...f, number } : f));
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === Severity.ERROR);
}
