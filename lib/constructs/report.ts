import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Finding, formatFinding, Severity } from '../core/findings';

/** The prefix of every warning id this library emits; a warning is acknowledged as `connect-caller-id:<RULE_ID>`. */
export const WARNING_ID_PREFIX = 'connect-caller-id:';

/**
 * Reports findings on a construct through CDK's own channel: errors fail `cdk synth` with the construct path,
 * warnings carry a stable id so they can be acknowledged one by one.
 */
export function reportFindings(scope: IConstruct, findings: readonly Finding[]): void {
  // Annotations.of is not free, and almost every construct has nothing to report.
  if (findings.length === 0) return;
  const annotations = Annotations.of(scope);
  for (const f of findings) {
    if (f.severity === Severity.ERROR) {
      annotations.addError(formatFinding(f));
    } else {
      annotations.addWarningV2(`${WARNING_ID_PREFIX}${f.ruleId}`, formatFinding(f));
    }
  }
}
