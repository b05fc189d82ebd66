import { FeatureFlags, Validations } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { Finding, formatFinding, Severity } from '../core/findings';

/**
 * The structured context every warning of this library carries, which
 * `Validations.of(scope).acknowledge({ id, reason, where })` matches key by key (a partial match: every key given
 * must be present with that value).
 */
export interface WarningContext {
  /** The rule id, the same as the warning's id. */
  readonly rule: string;
  /** The E.164 number or the flow reference (`$.Attributes.x`) the warning is about. */
  readonly number?: string;
  /** The identifier of the flow action the warning is about. */
  readonly actionId?: string;
  /** The flow file the warning is about (`ExportedFlow`), as its `file` prop names it. */
  readonly file?: string;
}

/** Narrows an acknowledgement to the warnings about one number, one flow action or one flow file. */
export interface AcknowledgementScope {
  /**
   * Only the warnings about this number or flow reference, written as the warning's context shows it.
   * @default - warnings about any number
   */
  readonly number?: string;
  /**
   * Only the warnings about this flow action identifier.
   * @default - warnings about any action
   */
  readonly actionId?: string;
  /**
   * Only the warnings about this flow file.
   * @default - warnings about any file
   */
  readonly file?: string;
}

/**
 * What the installed aws-cdk-lib's validation channel offers, found by trying it (versions differ in behaviour,
 * not only in their types, so a version number would have to be kept in step by hand).
 */
export interface ValidationsSupport {
  /**
   * Whether `Validations.of(scope).acknowledge({ where })` acknowledges only the warnings whose context matches.
   * Without it, aws-cdk-lib ignores `where` and acknowledges every warning with that id under the scope.
   */
  readonly scopedAcknowledgements: boolean;
}

let support: ValidationsSupport | undefined;

/** What the installed aws-cdk-lib offers; tried once per process, on a construct tree of its own. */
export function validationsSupport(): ValidationsSupport {
  if (support === undefined) {
    requireValidations();
    // A root of its own, not an App: an App would create a cloud assembly directory and could synthesize at exit.
    const probe = new Construct(new Construct(undefined as unknown as Construct, ''), 'ValidationsProbe');
    Validations.of(probe).addWarning('ValidationsProbe', 'probe', { context: { probe: 'kept' } });
    Validations.of(probe).acknowledge({ id: 'ValidationsProbe', reason: 'probe', where: { probe: 'other' } });
    support = { scopedAcknowledgements: probe.node.metadata.some((m) => m.type === 'aws:cdk:warning') };
  }
  return support;
}

/** aws-cdk-lib below 2.252 has no `Validations.addWarning`; say so instead of failing inside a construct. */
export function requireValidations(): void {
  if (typeof Validations?.prototype?.addWarning !== 'function' || typeof Validations.prototype.acknowledge !== 'function') {
    throw new Error('cdk-connect-caller-id needs aws-cdk-lib 2.252.0 or later: it reports its findings through ' +
      "Validations.of(scope).addWarning / addError, which the installed aws-cdk-lib does not have. Upgrade aws-cdk-lib (the package's peer dependency says which versions work)");
  }
}

/** The context a finding's warning carries; only the keys the finding has, so `where` never matches a missing one. */
export function warningContext(finding: Finding): WarningContext {
  return {
    rule: finding.ruleId,
    ...(finding.number !== undefined ? { number: finding.number } : {}),
    ...(finding.actionId !== undefined ? { actionId: finding.actionId } : {}),
    ...(finding.file !== undefined ? { file: finding.file } : {}),
  };
}

/**
 * Reports findings on a construct through CDK's validation channel, `Validations.of(scope)`, with the rule id as
 * the id: errors fail `cdk synth` with the construct path; warnings carry the finding's context, so they can be
 * acknowledged for the construct, one number, one action or one file. With the feature flag
 * `@aws-cdk/core:annotationsInValidationReport`, both reach `cdk.out/validation-report.json` under their rule id.
 */
export function reportFindings(scope: IConstruct, findings: readonly Finding[]): void {
  // Almost every construct has nothing to report.
  if (findings.length === 0) return;
  requireValidations();
  const validations = Validations.of(scope);
  for (const f of findings) {
    if (f.severity === Severity.ERROR) {
      validations.addError(f.ruleId, formatFinding(f));
    } else {
      validations.addWarning(f.ruleId, formatFinding(f), { context: { ...warningContext(f) } });
    }
  }
}

/** The feature flag that puts construct annotations into `cdk.out/validation-report.json` (on in `cdk init` apps). */
export const ANNOTATIONS_IN_VALIDATION_REPORT = '@aws-cdk/core:annotationsInValidationReport';

/**
 * Acknowledges a warning with `Validations.of(scope).acknowledge`, the same call users make, narrowed by `where`.
 * Refuses a narrowed acknowledgement that aws-cdk-lib would widen to every occurrence under the scope: versions
 * without `where`, and, in every release up to 2.276, the validation report, which applies acknowledgements by
 * rule id and construct path only (`test/validation-report.test.ts` pins this).
 */
export function acknowledgeWarning(scope: IConstruct, ruleId: string, reason: string, where?: AcknowledgementScope): void {
  const filter = where ? Object.fromEntries(Object.entries(where).filter(([, v]) => v !== undefined)) : {};
  const scoped = Object.keys(filter).length > 0;
  const under = scope.node.path || 'the app';
  if (scoped && !validationsSupport().scopedAcknowledgements) {
    throw new Error(`${scope.node.path}: acknowledging ${ruleId} only where ${JSON.stringify(filter)} needs aws-cdk-lib 2.276.0 or later; ` +
      `the installed aws-cdk-lib ignores \`where\` and would acknowledge every ${ruleId} warning under ${under}. ` +
      'Upgrade aws-cdk-lib, or acknowledge it without `where` on the construct the warning names');
  }
  if (scoped && FeatureFlags.of(scope).isEnabled(ANNOTATIONS_IN_VALIDATION_REPORT)) {
    throw new Error(`${scope.node.path}: acknowledging ${ruleId} only where ${JSON.stringify(filter)} is not honoured with the feature flag ` +
      `${ANNOTATIONS_IN_VALIDATION_REPORT}: aws-cdk-lib's validation report then applies acknowledgements by rule id and construct path ` +
      `only, and would hide every ${ruleId} warning under ${under}. Set the flag to false in cdk.json to acknowledge with \`where\`, ` +
      'or acknowledge it without `where` on the construct the warning names');
  }
  Validations.of(scope).acknowledge({ id: ruleId, reason, ...(scoped ? { where: filter } : {}) });
}
