import { Stack, Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { CallerIdInputError } from '../core/errors';
import { ActionHandle, FlowBuilder } from '../core/flow/builder';
import { ActionTypes, FlowDocument } from '../core/flow/model';
import { Finding } from '../core/findings';
import { PhoneNumberType } from '../core/inventory';
import { CallerIdContext, judgeCallerIdReference, judgeStaticCallerId } from '../core/rules';
import { CallerId, CallerIdKind } from './caller-id';
import { ClaimedNumbers } from './claimed-numbers';

/**
 * Judges a caller ID given to a construct, by the same rules the `check` command applies to flow files.
 * Values known only at deploy time (tokens, in-app claims) are not judged here: they are registered for the
 * deploy-time check instead.
 */
export function judgeCallerId(claimedNumbers: ClaimedNumbers, callerId: CallerId, context: CallerIdContext, property: string): Finding[] {
  switch (callerId.kind) {
    case CallerIdKind.STATIC_NUMBER:
      return callerId.isLiteralNumber
        ? judgeStaticCallerId({ number: callerId.value!, context, inventory: claimedNumbers.inventory, property })
        : [];
    case CallerIdKind.DYNAMIC:
      return judgeCallerIdReference(callerId.value!, context, property);
    default:
      return [];
  }
}

/**
 * Registers every static number a construct uses with the deploy-time check, so the construct deploys only once
 * the live instance has confirmed them.
 */
export function registerStaticNumbers(user: IConstruct, claimedNumbers: ClaimedNumbers, callerIds: readonly CallerId[]): void {
  for (const callerId of callerIds) {
    if (callerId.kind === CallerIdKind.STATIC_NUMBER) claimedNumbers._useNumber(user, callerId.value!);
  }
}

/** The values a dynamic caller ID may take: the claimed numbers that can place calls, or the ones allowed. */
export function guardValues(claimedNumbers: ClaimedNumbers, allowed: readonly CallerId[] | undefined): string[] {
  if (allowed) return allowed.map((c) => c.value!).filter((v) => v !== undefined);
  const values = claimedNumbers.numbers.filter((n) => n.type !== PhoneNumberType.UIFN).map((n) => n.number);
  for (const claim of claimedNumbers.claimedInApp) {
    if (claim.type !== PhoneNumberType.UIFN) values.push(claim.address);
  }
  return values;
}

/**
 * Adds the call-time guard for a dynamic caller ID: a `Compare` that lets the value through only when it equals
 * one of `values`, and otherwise goes to `fallback`. Returns the action the flow should start with.
 */
export function addCallerIdGuard(
  builder: FlowBuilder, reference: string, values: readonly string[], guarded: ActionHandle, fallback: ActionHandle,
): ActionHandle {
  if (values.length === 0) return fallback;
  const compare = builder.add(ActionTypes.COMPARE, { ComparisonValue: reference }, 'check caller id is claimed');
  for (const value of values) compare.onCondition('Equals', value, guarded);
  compare.next(fallback);
  builder.start(compare);
  return compare;
}

/** Builds the flow and renders it as `Content`, tokens included; builder problems become an error naming the construct. */
export function renderFlow(scope: Construct, builder: FlowBuilder): string {
  let doc: FlowDocument;
  try {
    doc = builder.build();
  } catch (e) {
    if (e instanceof CallerIdInputError) throw new Error(`${scope.node.path}: the generated flow is not valid: ${e.message}`);
    throw e;
  }
  return Stack.of(scope).toJsonString(doc);
}

/** Throws, naming the construct, when a flow or queue name is outside Connect's 1-127 characters. */
export function validateName(scope: Construct, name: string): void {
  if (!Token.isUnresolved(name) && (name.length < 1 || name.length > 127)) {
    throw new Error(`${scope.node.path}: name must be 1-127 characters, got ${name.length}`);
  }
}

/**
 * Judges a caller ID that must be fixed before the call (a fallback, an allowed value, a queue's number);
 * throws, naming the construct, when it is a reference or pass-through.
 */
export function judgeStaticOnly(
  scope: Construct, claimedNumbers: ClaimedNumbers, callerId: CallerId, context: CallerIdContext, property: string,
): Finding[] {
  if (callerId.kind !== CallerIdKind.STATIC_NUMBER && callerId.kind !== CallerIdKind.CLAIMED_IN_APP) {
    throw new Error(`${scope.node.path}: ${property} must be a number fixed before the call ` +
      `(CallerId.fromNumber or CallerId.fromClaimedNumber), got ${callerId}`);
  }
  return judgeCallerId(claimedNumbers, callerId, context, property);
}
