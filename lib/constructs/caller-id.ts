import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { acknowledgementProblem } from '../core/catalogue';
import { IClaimedPhoneNumber } from './claimed-numbers';
import { AcknowledgementScope, acknowledgeWarning } from './report';

/** How a caller ID gets its value. */
export enum CallerIdKind {
  /** A number written in the app (a literal, or a token resolved at deploy time). */
  STATIC_NUMBER = 'STATIC_NUMBER',
  /** A number claimed in the same app with `ClaimedNumbers.claimNumber`. */
  CLAIMED_IN_APP = 'CLAIMED_IN_APP',
  /** A flow reference (`$.Attributes.x`, `$.External.x`, ...), known only during the call. */
  DYNAMIC = 'DYNAMIC',
  /** No caller ID of ours: the original caller's number is passed on, deliberately. */
  PASS_THROUGH = 'PASS_THROUGH',
  /** A number not claimed by the instance that AWS Support approved as a caller ID. */
  APPROVED_EXTERNAL = 'APPROVED_EXTERNAL',
}

/** Options for `CallerId.fromApprovedExternalNumber`. */
export interface ApprovedExternalNumberOptions {
  /** What records the AWS Support approval, e.g. the support case id; kept with the caller ID for reviewers. */
  readonly approvalReference: string;
}

/**
 * The caller ID number an outbound call or transfer presents.
 *
 * Values are judged by the construct that uses them, so every problem is reported with that construct's path.
 */
export class CallerId {
  /** A number in E.164, e.g. `+81368001234`. It must be claimed by the instance. */
  public static fromNumber(e164: string): CallerId {
    return new CallerId(CallerIdKind.STATIC_NUMBER, stringArgument('CallerId.fromNumber', e164, "an E.164 number such as '+81368001234'"));
  }

  /**
   * A number the instance has not claimed, which AWS Support approved as a caller ID after proof of ownership.
   * It is exempt from the claim checks at synth and deploy time, but not from the country rules: some
   * countries (Japan) support no custom caller ID at all. Queues cannot use it: they need a claimed number.
   */
  public static fromApprovedExternalNumber(e164: string, options: ApprovedExternalNumberOptions): CallerId {
    stringArgument('CallerId.fromApprovedExternalNumber', e164, "an E.164 number such as '+81368001234'");
    const reference = options?.approvalReference;
    if (typeof reference !== 'string' || (!Token.isUnresolved(reference) && reference.trim().length === 0)) {
      throw new Error(`CallerId.fromApprovedExternalNumber(${JSON.stringify(e164)}): approvalReference must name the AWS Support ` +
        'approval (e.g. the support case id)');
    }
    return new CallerId(CallerIdKind.APPROVED_EXTERNAL, e164, undefined, reference);
  }

  /**
   * Acknowledges a warning of this library on `scope` and everything under it, so it no longer prints. It is
   * `Validations.of(scope).acknowledge({ id: ruleId, reason, where })`, CDK's own acknowledgement (the one cdk-nag
   * uses too), with two checks: the id must be a warning of this library (a misspelt id would otherwise
   * acknowledge nothing, silently, and errors cannot be acknowledged since they mean the call would fail), and a
   * `where` must be one the installed aws-cdk-lib honours (before 2.276 it would widen to every occurrence).
   *
   * @param ruleId the rule id the warning shows in brackets, e.g. `CALLER_ID_NAME_NO_CNAM`
   * @param reason why the warning does not apply here, for reviewers
   * @param where only the warnings about this number, flow action or flow file
   */
  public static acknowledgeWarning(scope: IConstruct, ruleId: string, reason: string, where?: AcknowledgementScope): void {
    const problem = acknowledgementProblem(ruleId);
    if (problem) throw new Error(`${scope.node.path}: ${problem}`);
    if (typeof reason !== 'string' || reason.trim().length === 0) {
      throw new Error(`${scope.node.path}: acknowledging ${ruleId} needs a reason, for reviewers (why the warning does not apply here)`);
    }
    acknowledgeWarning(scope, ruleId, reason, where);
  }

  /** A number claimed in this app with `ClaimedNumbers.claimNumber`; trusted by construction. */
  public static fromClaimedNumber(claimed: IClaimedPhoneNumber): CallerId {
    return new CallerId(CallerIdKind.CLAIMED_IN_APP, claimed.address, claimed);
  }

  /** A user-defined contact attribute (`$.Attributes.<name>`) holding the number, checked during the call. */
  public static fromAttribute(name: string): CallerId {
    return new CallerId(CallerIdKind.DYNAMIC, `$.Attributes.${stringArgument('CallerId.fromAttribute', name, "a contact attribute name such as 'callerId'")}`);
  }

  /** A value returned by the last Lambda invocation (`$.External.<name>`), checked during the call. */
  public static fromExternal(name: string): CallerId {
    return new CallerId(CallerIdKind.DYNAMIC, `$.External.${stringArgument('CallerId.fromExternal', name, "a Lambda result key such as 'callerId'")}`);
  }

  /** Any single flow-language JSONPath, e.g. `$.SystemEndpoint.Address` (the number the customer dialled). */
  public static fromPath(path: string): CallerId {
    return new CallerId(CallerIdKind.DYNAMIC, stringArgument('CallerId.fromPath', path, "a flow-language JSONPath such as '$.Attributes.callerId'"));
  }

  /**
   * Sets no caller ID, so the original caller's number is passed on. Only transfers accept it; it is an explicit
   * choice because carriers often show such calls as anonymous or drop them.
   */
  public static passThrough(): CallerId {
    return new CallerId(CallerIdKind.PASS_THROUGH, undefined);
  }

  private constructor(
    public readonly kind: CallerIdKind,
    /** The number, the token that resolves to it, or the JSONPath; undefined for pass-through. */
    public readonly value: string | undefined,
    /** The in-app claim, for `CLAIMED_IN_APP`. */
    public readonly claimed?: IClaimedPhoneNumber,
    /** The AWS Support approval, for `APPROVED_EXTERNAL`. */
    public readonly approvalReference?: string,
  ) {}

  /** Whether the number is only known during the call. */
  public get isDynamic(): boolean {
    return this.kind === CallerIdKind.DYNAMIC;
  }

  /**
   * Whether this is a literal number that can be judged against the inventory at synth time. Approved external
   * numbers are not: they are judged by the country rules only.
   */
  public get isLiteralNumber(): boolean {
    return this.kind === CallerIdKind.STATIC_NUMBER && !Token.isUnresolved(this.value);
  }

  public toString(): string {
    switch (this.kind) {
      case CallerIdKind.PASS_THROUGH: return 'CallerId.passThrough()';
      case CallerIdKind.CLAIMED_IN_APP: return 'CallerId.fromClaimedNumber(...)';
      default: return Token.isUnresolved(this.value) ? '(a value resolved at deploy time)' : String(this.value);
    }
  }
}

/** Where a transfer goes: a static E.164 number or a reference resolved during the call. */
export class TransferDestination {
  /** A number in E.164, e.g. `+81368009999`. */
  public static fromNumber(e164: string): TransferDestination {
    return new TransferDestination(stringArgument('TransferDestination.fromNumber', e164, "an E.164 number such as '+81368009999'"), false);
  }

  /** A user-defined contact attribute (`$.Attributes.<name>`). */
  public static fromAttribute(name: string): TransferDestination {
    return new TransferDestination(`$.Attributes.${stringArgument('TransferDestination.fromAttribute', name, "a contact attribute name")}`, true);
  }

  /** A value returned by the last Lambda invocation (`$.External.<name>`). */
  public static fromExternal(name: string): TransferDestination {
    return new TransferDestination(`$.External.${stringArgument('TransferDestination.fromExternal', name, "a Lambda result key")}`, true);
  }

  /** Any single flow-language JSONPath. */
  public static fromPath(path: string): TransferDestination {
    return new TransferDestination(stringArgument('TransferDestination.fromPath', path, "a flow-language JSONPath"), true);
  }

  private constructor(public readonly value: string, public readonly isDynamic: boolean) {}
}

/**
 * The argument of a factory when it is a non-empty string (or a token). JavaScript callers and other jsii
 * languages can pass anything; without this a wrong value fails deep inside a construct, far from the call.
 */
function stringArgument(factory: string, value: unknown, accepted: string): string {
  if (typeof value === 'string' && (value.length > 0 || Token.isUnresolved(value))) return value;
  const got = value === undefined ? 'undefined' : typeof value === 'string' ? 'an empty string' : `${typeof value} ${JSON.stringify(value)}`;
  throw new Error(`${factory}: expected ${accepted}, got ${got}`);
}
