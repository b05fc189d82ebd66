// How a construct judges the caller IDs in its props: by the core's rules, with the prop's name in messages.
import { Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { NumberFacts, NumberOrigin, NumberTypeSource } from '../core/country-rules';
import { Finding } from '../core/findings';
import {
  CallerIdContext, judgeCallerIdFacts, judgeCallerIdName, judgeDynamicCallerId, judgeStaticCallerId,
} from '../core/rules';
import { CallerId, CallerIdKind } from './caller-id';
import { ClaimedNumbers, IClaimedPhoneNumber } from './claimed-numbers';

/** What else is known about a caller ID's use, for the rules beyond the number itself. */
export interface CallerIdJudgementOptions {
  /**
   * The static E.164 destination of the call (a token is left unjudged).
   * @default - unknown: destination rules do not apply
   */
  readonly destination?: string;
  /**
   * The caller ID name presented with the number (a token is left unjudged).
   * @default - none
   */
  readonly callerIdName?: string;
  /**
   * Label of the name for messages.
   * @default 'callerIdName'
   */
  readonly callerIdNameProperty?: string;
  /**
   * For a dynamic caller ID: what checks its value during the call, as a sentence.
   * @default - nothing is known to guard it
   */
  readonly guard?: string;
}

/**
 * Judges a caller ID given to a construct, by the same rules the `check` command applies to flow files.
 * Values known only at deploy time (tokens) are not judged here: they are registered for the deploy-time check
 * instead. A number claimed in the app is judged by the country and type it is claimed with.
 */
export function judgeCallerId(
  claimedNumbers: ClaimedNumbers, callerId: CallerId, context: CallerIdContext, property: string, options: CallerIdJudgementOptions = {},
): Finding[] {
  const name = literal(options.callerIdName);
  const destination = literal(options.destination);
  const nameProperty = options.callerIdNameProperty;
  const nameOnly = (): Finding[] => (name === undefined ? [] : judgeCallerIdName({ name, context, property: nameProperty }));
  const inventory = claimedNumbers.inventory;
  switch (callerId.kind) {
    case CallerIdKind.STATIC_NUMBER:
    case CallerIdKind.APPROVED_EXTERNAL:
      if (Token.isUnresolved(callerId.value)) return nameOnly();
      return judgeStaticCallerId({
        number: callerId.value!, context, inventory, property, destination, callerIdName: name, callerIdNameProperty: nameProperty,
        ...(callerId.kind === CallerIdKind.APPROVED_EXTERNAL ? { approvedExternal: { approvalReference: callerId.approvalReference! } } : {}),
      });
    case CallerIdKind.CLAIMED_IN_APP:
      return judgeCallerIdFacts({
        callerId: claimFacts(callerId.claimed!), context, property, destination, inventory, callerIdName: name, callerIdNameProperty: nameProperty,
      });
    case CallerIdKind.DYNAMIC:
      // A reference built from a token (e.g. an attribute name from a parameter) is only known at deploy time.
      if (Token.isUnresolved(callerId.value)) return nameOnly();
      return [...judgeDynamicCallerId(callerId.value!, context, property, options.guard), ...nameOnly()];
    default:
      return nameOnly();
  }
}

/**
 * Judges a caller ID that must be fixed before the call (a fallback, an allowed value, a queue's number);
 * throws, naming the construct, when it is a reference or pass-through, or an approved external number where a
 * queue needs a claimed number's ARN.
 */
export function judgeStaticOnly(
  scope: Construct, claimedNumbers: ClaimedNumbers, callerId: CallerId, context: CallerIdContext, property: string,
  options: CallerIdJudgementOptions = {},
): Finding[] {
  if (callerId.kind === CallerIdKind.APPROVED_EXTERNAL && context === CallerIdContext.QUEUE) {
    throw new Error(`${scope.node.path}: ${property} ${callerId} is an approved external number, but a queue's caller ID must be ` +
      'claimed by the instance (the queue takes its phone-number ARN). Present the external number from the outbound whisper flow instead');
  }
  if (callerId.kind !== CallerIdKind.STATIC_NUMBER && callerId.kind !== CallerIdKind.CLAIMED_IN_APP
    && callerId.kind !== CallerIdKind.APPROVED_EXTERNAL) {
    throw new Error(`${scope.node.path}: ${property} must be a number fixed before the call ` +
      `(CallerId.fromNumber, CallerId.fromClaimedNumber or CallerId.fromApprovedExternalNumber), got ${callerId}`);
  }
  return judgeCallerId(claimedNumbers, callerId, context, property, options);
}

/**
 * Throws, naming the construct, when a caller ID is a number claimed for another instance: Connect shows only
 * numbers claimed by the instance that places the call, and no check at synth or deploy time would catch it.
 */
export function assertClaimedByInstance(scope: IConstruct, claimedNumbers: ClaimedNumbers, callerIds: Record<string, CallerId | undefined>): void {
  for (const [property, callerId] of Object.entries(callerIds)) {
    const claim = callerId?.kind === CallerIdKind.CLAIMED_IN_APP ? callerId.claimed! : undefined;
    if (claim && !claimedNumbers.targetArns.includes(claim.targetArn)) {
      throw new Error(`${scope.node.path}: ${property} is a number claimed for ${claim.targetArn} (${claim.node.path}), but this ` +
        `construct uses the numbers of ${claimedNumbers.targetArns.join(', ')}; claim it with the ClaimedNumbers of the instance that calls`);
    }
  }
}

/** The value when it is known at synth; undefined when it is absent or a token. */
export function literal(value: string | undefined): string | undefined {
  return value !== undefined && !Token.isUnresolved(value) ? value : undefined;
}

/** A number claimed in the app is known by the country and type it is claimed with; its number only once deployed. */
export function claimFacts(claim: IClaimedPhoneNumber): NumberFacts {
  return {
    ...(Token.isUnresolved(claim.countryCode) ? {} : { country: claim.countryCode }),
    type: claim.type,
    typeSource: NumberTypeSource.CLAIM,
    origin: NumberOrigin.CLAIMED,
  };
}
