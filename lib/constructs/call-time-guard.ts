// The call-time guard of a dynamic caller ID in a generated flow: which values it lets through, the Compare that
// does it, and how the CALLER_ID_DYNAMIC warning describes it. Which numbers may pass is the core's answer
// (`lib/core/flow/guard.ts`), the one `check` recognises a guard by.
import { IConstruct } from 'constructs';
import { ActionHandle, FlowBuilder } from '../core/flow/builder';
import { guardableNumbers, guardMayLetThrough } from '../core/flow/guard';
import { ActionTypes } from '../core/flow/model';
import { CallerId } from './caller-id';
import { claimFacts } from './caller-id-judgement';
import { ClaimedNumbers } from './claimed-numbers';

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
  // The default guard is rendered again once the app is complete (flowContent), so it also holds numbers claimed
  // after this construct was defined: the sentence says so, whatever the order of construction.
  return `The generated Compare lets through only ${allowedGiven ? 'allowedCallerIds' : 'the claimed numbers'} (${shown}` +
    `${allowedGiven ? '' : ', and any number claimed in this app after this construct'}) and sends any other value to ${fallback}`;
}
