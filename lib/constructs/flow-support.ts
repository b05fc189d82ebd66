import { Lazy, Stack, Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { NumberFacts, NumberOrigin, NumberTypeSource } from '../core/country-rules';
import { parseE164 } from '../core/e164';
import { CallerIdInputError } from '../core/errors';
import { ActionHandle, FlowBuilder } from '../core/flow/builder';
import { guardableNumbers, guardMayLetThrough } from '../core/flow/guard';
import { FlowStructureRules } from '../core/flow/structure';
import { ActionTypes, FlowAction, FlowDocument } from '../core/flow/model';
import { Finding } from '../core/findings';
import {
  CallerIdContext, judgeCallerIdFacts, judgeCallerIdName, judgeDynamicCallerId, judgeStaticCallerId,
} from '../core/rules';
import { CallerId, CallerIdKind } from './caller-id';
import { NumberUse } from './caller-id-verification';
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

/** The value when it is known at synth; undefined when it is absent or a token. */
export function literal(value: string | undefined): string | undefined {
  return value !== undefined && !Token.isUnresolved(value) ? value : undefined;
}

/** A number claimed in the app is known by the country and type it is claimed with; its number only once deployed. */
function claimFacts(claim: IClaimedPhoneNumber): NumberFacts {
  return {
    ...(Token.isUnresolved(claim.countryCode) ? {} : { country: claim.countryCode }),
    type: claim.type,
    typeSource: NumberTypeSource.CLAIM,
    origin: NumberOrigin.CLAIMED,
  };
}

/**
 * What guards a dynamic caller ID in a generated flow, as a sentence for the `CALLER_ID_DYNAMIC` warning.
 *
 * @param values the values the generated `Compare` lets through (see `guardValues`)
 * @param fallback what the flow uses for any other value
 */
export function describeGuard(values: readonly string[], allowedGiven: boolean, fallback: string): string {
  if (values.length === 0) {
    return `No claimed number is known at synth time, so the generated flow always uses ${fallback}`;
  }
  const shown = values.length <= 5 ? values.join(', ') : `${values.slice(0, 3).join(', ')}, ... (${values.length} in all)`;
  return `The generated Compare lets through only ${allowedGiven ? 'allowedCallerIds' : 'the claimed numbers'} (${shown}) ` +
    `and sends any other value to ${fallback}`;
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

/**
 * Registers every static number a construct uses with the deploy-time check, so the construct deploys only once
 * the live instance has confirmed them. Approved external numbers are not registered: the instance does not
 * list them, so the check would refuse them.
 */
export function registerStaticNumbers(user: IConstruct, claimedNumbers: ClaimedNumbers, callerIds: readonly CallerId[], use: NumberUse): void {
  for (const callerId of callerIds) {
    if (callerId.kind === CallerIdKind.STATIC_NUMBER) claimedNumbers._useNumber(user, callerId.value!, use);
  }
}

/**
 * How a flow action that places a call uses its caller ID, for the rules the deploy-time check applies: Call
 * phone number in an outbound whisper flow, or a transfer with its destination when that is a literal number.
 */
export function flowNumberUse(action: FlowAction): NumberUse {
  if (action.Type === ActionTypes.CALL_PHONE_NUMBER) return { context: CallerIdContext.OUTBOUND_WHISPER };
  const destination = action.Parameters.ThirdPartyPhoneNumber;
  return { context: CallerIdContext.TRANSFER, ...(typeof destination === 'string' && parseE164(destination).ok ? { destination } : {}) };
}

/**
 * The values a dynamic caller ID may take: the ones allowed, or else the claimed numbers that the country and
 * number-type rules accept as a caller ID anywhere (not UIFN, not an Australian toll-free number, ...).
 */
export function guardValues(scope: IConstruct, claimedNumbers: ClaimedNumbers, allowed: readonly CallerId[] | undefined): string[] {
  if (allowed?.length === 0) {
    throw new Error(`${scope.node.path}: allowedCallerIds is empty, so no dynamic caller ID could ever be used; ` +
      'list the numbers it may take, or leave allowedCallerIds out to allow every claimed number');
  }
  if (allowed) return allowed.map((c) => c.value!).filter((v) => v !== undefined);
  const inventory = claimedNumbers.inventory;
  const values = inventory ? [...guardableNumbers(inventory)] : [];
  for (const claim of claimedNumbers.claimedInApp) {
    if (guardMayLetThrough(claimFacts(claim))) values.push(claim.address);
  }
  return values;
}

/**
 * Starts the flow with the call-time guard for a dynamic caller ID: a `Compare` that lets the value through to
 * the action `addGuarded` adds only when it equals one of `values`, and otherwise goes to `fallback`. With no
 * value that could pass, the flow starts at `fallback` and the unchecked action is not added at all.
 */
export function addCallerIdGuard(
  builder: FlowBuilder, reference: string, values: readonly string[], addGuarded: () => ActionHandle, fallback: ActionHandle,
): void {
  if (values.length === 0) {
    builder.start(fallback);
    return;
  }
  const compare = builder.add(ActionTypes.COMPARE, { ComparisonValue: reference }, 'check caller id is claimed');
  const guarded = addGuarded();
  for (const value of values) compare.onCondition('Equals', value, guarded);
  compare.next(fallback);
  builder.start(compare);
}

/** Builds the flow and renders it as `Content`, tokens included; builder problems become an error naming the construct. */
export function renderFlow(scope: Construct, builder: FlowBuilder, guardSize = 0): string {
  let doc: FlowDocument;
  try {
    doc = builder.build();
  } catch (e) {
    if (!(e instanceof CallerIdInputError)) throw e;
    // A guard over a large inventory is what makes a generated flow too long; say how to narrow it.
    const hint = guardSize > 0 && e.message.includes(FlowStructureRules.CONTENT_TOO_LONG)
      ? `\nThe call-time guard compares the dynamic caller ID with ${guardSize} claimed numbers, one condition each; ` +
        'set allowedCallerIds to the numbers this caller ID can take.'
      : '';
    throw new Error(`${scope.node.path}: the generated flow is not valid: ${e.message}${hint}`);
  }
  const text = JSON.stringify(doc);
  // Only content holding tokens (in-app claims, parameters) needs CloudFormation intrinsics to be rendered.
  return Token.isUnresolved(text) ? Stack.of(scope).toJsonString(doc) : text;
}

/**
 * The `Content` of a generated flow. With the default guard of a dynamic caller ID (every claimed number that can
 * place calls) it is produced at synth, so numbers claimed in the app after the flow was defined are in the guard
 * too; it is also built now, so a flow Connect would refuse fails where it is defined.
 */
export function flowContent(
  scope: Construct,
  build: (guardValues: readonly string[]) => FlowBuilder,
  guard?: { claimedNumbers: ClaimedNumbers; allowed?: readonly CallerId[]; values: readonly string[] },
): string {
  const values = guard?.values ?? [];
  const content = renderFlow(scope, build(values), values.length);
  if (!guard || guard.allowed !== undefined) return content;
  return Lazy.string({
    produce: () => {
      const final = guardValues(scope, guard.claimedNumbers, undefined);
      return final.length === values.length ? content : renderFlow(scope, build(final), final.length);
    },
  });
}

/** Throws, naming the construct, when a flow or queue name is outside Connect's 1-127 characters. */
export function validateName(scope: Construct, name: string): void {
  if (!Token.isUnresolved(name) && (name.length < 1 || name.length > 127)) {
    throw new Error(`${scope.node.path}: name must be 1-127 characters, got ${name.length}`);
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

/** Several problems of one construct as a list in one message; a single one as it is. */
export function listProblems(problems: readonly string[]): string {
  return problems.length === 1 ? problems[0] : problems.map((p) => `\n  - ${p}`).join('');
}
