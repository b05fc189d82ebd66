import { CallerIdContext } from './rule-definition';

/*
 * The contract between the `CallerIdVerification` construct and the deploy-time check's handler: the
 * properties of a `Custom::ConnectCallerIdCheck` resource and the attributes it returns. Both sides import it
 * from here, so they cannot drift apart. Nothing in it depends on the order in which constructs register
 * their numbers: entries are keyed and sorted by the number, and returned ARNs by an attribute named after it.
 */

/** The CloudFormation type of the check resource. */
export const CHECK_RESOURCE_TYPE = 'Custom::ConnectCallerIdCheck';

/** CloudFormation's limit on the whole response body of a custom resource. */
export const RESPONSE_LIMIT_BYTES = 4096;

/**
 * The attribute holding the part every returned phone-number ARN starts with
 * (`arn:<partition>:connect:<region>:<account>:phone-number/`), so each number's own attribute carries only
 * its id.
 */
export const ARN_PREFIX_ATTRIBUTE = 'ArnPrefix';

/**
 * The most phone-number ARNs one check returns. An entry is about 60 bytes of JSON (an attribute named after
 * the number and a 36-character id); with the response's own fields at their longest (stack id, logical id,
 * physical id and the prefix, about 900 bytes) 50 entries keep the response under `RESPONSE_LIMIT_BYTES`.
 * Numbers whose ARN the inventory records are verified instead and do not count.
 */
export const MAX_RETURNED_ARNS = 50;

/** One construct's use of a number, as the check's properties carry it. */
export interface CheckedUse {
  /** The construct path. */
  readonly Path: string;
  /** Where the number is used, which decides the rules that apply (`CallerIdContext`). */
  readonly Context: CallerIdContext;
  /** The static destination of the call, for the rules about where a caller ID may call. */
  readonly Destination?: string;
}

/** One caller ID number the stack uses. */
export interface CheckedNumber {
  /** The number in E.164, as CloudFormation resolved it. */
  readonly Number: string;
  readonly UsedBy: CheckedUse[];
  /** The phone-number ARN the stack's queues take for the number from the inventory: the check verifies it. */
  readonly Arn?: string;
  /** The attribute under which the check returns the number's ARN (without `ArnPrefix`), for queues that take it. */
  readonly ArnAttribute?: string;
}

/** The `ResourceProperties` of a check resource. CloudFormation passes every scalar as a string. */
export interface CallerIdCheckProperties {
  /** What to list: the instance first, then the traffic distribution groups whose numbers it may use. */
  readonly TargetArns: string[];
  readonly Numbers: CheckedNumber[];
  /**
   * The numbers the stack's call-time guards let a dynamic caller ID through with: verified like `Numbers`,
   * with no ARN returned, so their count does not matter.
   */
  readonly GuardNumbers?: string[];
  /** The flows whose guards let `GuardNumbers` through. */
  readonly GuardUsedBy?: CheckedUse[];
}

/** The attribute a literal number's ARN is returned under: `N` and its digits, stable whatever else the stack holds. */
export function arnAttributeOfNumber(e164: string): string {
  return `N${e164.replace(/^\+/, '')}`;
}

/** Whether `name` can be an attribute of the check's response (letters and digits, not `ArnPrefix`). */
export function isArnAttribute(name: string): boolean {
  return /^[A-Za-z0-9]{1,64}$/.test(name) && name !== ARN_PREFIX_ATTRIBUTE;
}
