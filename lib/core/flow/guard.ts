import { judgeNumberRules, NumberFacts, numberFacts } from '../country-rules';
import { hasErrors } from '../findings';
import { Inventory } from '../inventory';
import { CallerIdContext } from '../rule-definition';
import { ActionTypes, FlowAction, FlowCondition, FlowDocument } from './model';
import { reachableFrom } from './structure';

/*
 * The call-time guard of a dynamic caller ID: a `Compare` on the reference whose `Equals` branches let only
 * numbers that may call through. The constructs generate it from `guardableNumbers`; `check` and `ExportedFlow`
 * recognise it with `FlowGuards`, which accepts exactly the same numbers, so both answer "is this caller ID
 * guarded?" alike.
 */

/** The contexts a generated guard may stand in: a flow places calls from an outbound whisper flow or a transfer. */
const CALLING_CONTEXTS: readonly CallerIdContext[] = [CallerIdContext.OUTBOUND_WHISPER, CallerIdContext.TRANSFER];

/**
 * Whether a guard may let a caller ID through: the country and number-type rules that need no destination find
 * no error for it (no UIFN, no Australian toll-free number, no UK 0870, ...).
 *
 * @param context where the caller ID is used; by default every context a flow places calls in
 */
export function guardMayLetThrough(facts: NumberFacts | undefined, context?: CallerIdContext): boolean {
  if (!facts) return false;
  return (context ? [context] : CALLING_CONTEXTS).every((c) => !hasErrors(judgeNumberRules({ callerId: facts, context: c, property: 'callerId' })));
}

const guardableOf = new WeakMap<Inventory, Map<string, readonly string[]>>();

/**
 * The inventory's numbers a call-time guard may let through, in inventory order. Judged once per inventory and
 * context, since every guard of an app needs them.
 *
 * @param context where the caller ID is used; by default every context a flow places calls in
 */
export function guardableNumbers(inventory: Inventory, context?: CallerIdContext): readonly string[] {
  let byContext = guardableOf.get(inventory);
  if (!byContext) {
    byContext = new Map();
    guardableOf.set(inventory, byContext);
  }
  const key = context ?? '';
  let numbers = byContext.get(key);
  if (!numbers) {
    numbers = inventory.numbers.filter((n) => guardMayLetThrough(numberFacts(n.number, inventory), context)).map((n) => n.number);
    byContext.set(key, numbers);
  }
  return numbers;
}

/** What a guard's `Equals` operands are compared with. */
export interface GuardOptions {
  /** The instance's claimed numbers; without them a guard is judged by E.164 and the numbering plan. */
  readonly inventory?: Inventory;
  /**
   * Numbers AWS Support approved as external caller IDs: a guard may let them through when the country rules do.
   * @default - none
   */
  readonly approvedExternalNumbers?: Readonly<Record<string, string>>;
}

/**
 * The guards of one flow. A dynamic caller ID is guarded when every way from the start to its action goes
 * through an `Equals` branch of a `Compare` on the same reference whose operands a guard may let through. The
 * flow is indexed once and each reference's walk is done once, whatever the number of actions using it.
 */
export class FlowGuards {
  private readonly byId: ReadonlyMap<string, FlowAction>;
  private readonly comparesOn = new Map<string, FlowAction[]>();
  private readonly unguarded = new Map<string, ReadonlySet<string> | undefined>();
  private readonly guardable = new Map<CallerIdContext, ReadonlySet<string>>();

  constructor(private readonly flow: FlowDocument, private readonly options: GuardOptions) {
    this.byId = new Map(flow.Actions.map((a) => [a.Identifier, a]));
    for (const action of flow.Actions) {
      const value = action.Parameters.ComparisonValue;
      if (action.Type !== ActionTypes.COMPARE || typeof value !== 'string') continue;
      const list = this.comparesOn.get(value);
      if (list) list.push(action);
      else this.comparesOn.set(value, [action]);
    }
  }

  /** What guards `reference` where `action` uses it, as a sentence; undefined when nothing does. */
  public guardOf(action: FlowAction, reference: string, context: CallerIdContext): string | undefined {
    const key = `${context}\u0000${reference}`;
    if (!this.unguarded.has(key)) this.unguarded.set(key, this.unguardedReach(reference, context));
    const unguarded = this.unguarded.get(key);
    if (unguarded === undefined || unguarded.has(action.Identifier)) return undefined;
    const names = (this.comparesOn.get(reference) ?? []).map((g) => `"${g.Identifier}"`).join(', ');
    return `It is reached only through Compare ${names} on the same reference, which lets through ` +
      `${this.options.inventory ? 'claimed numbers that may call' : 'E.164 numbers that may call'} only; any other value takes the Compare's other branches`;
  }

  /** The actions reachable without passing a guarding branch; undefined when the reference has no guarding branch. */
  private unguardedReach(reference: string, context: CallerIdContext): ReadonlySet<string> | undefined {
    const guarding = new Set<FlowCondition>();
    for (const compare of this.comparesOn.get(reference) ?? []) {
      for (const c of compare.Transitions.Conditions ?? []) {
        if (c.Condition.Operator === 'Equals' && c.Condition.Operands.every((o) => this.mayLetThrough(o, context))) guarding.add(c);
      }
    }
    if (guarding.size === 0) return undefined;
    return reachableFrom(this.byId, [this.flow.StartAction], (current) => {
      const t = current.Transitions;
      const next = t.NextAction !== undefined ? [t.NextAction] : [];
      for (const e of t.Errors ?? []) next.push(e.NextAction);
      for (const c of t.Conditions ?? []) if (!guarding.has(c)) next.push(c.NextAction);
      return next;
    });
  }

  private mayLetThrough(value: string, context: CallerIdContext): boolean {
    const { inventory, approvedExternalNumbers } = this.options;
    if (approvedExternalNumbers !== undefined && Object.prototype.hasOwnProperty.call(approvedExternalNumbers, value)) {
      return guardMayLetThrough(numberFacts(value, inventory, true), context);
    }
    if (!inventory) return guardMayLetThrough(numberFacts(value), context);
    let numbers = this.guardable.get(context);
    if (!numbers) {
      numbers = new Set(guardableNumbers(inventory, context));
      this.guardable.set(context, numbers);
    }
    return numbers.has(value);
  }
}
