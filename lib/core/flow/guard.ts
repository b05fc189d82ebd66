import { judgeNumberRules, NumberFacts, numberFacts } from '../country-rules';
import { hasErrors } from '../findings';
import { Inventory } from '../inventory';
import { CallerIdContext } from '../rule-definition';
import { ActionTypes, FlowAction, FlowCondition, FlowDocument } from './model';

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
 * through an `Equals` branch of a `Compare` on the same reference whose operands a guard may let through, with
 * no action after that branch that may set the reference again (`referenceSetter`). The flow is indexed once and each reference's walk is done once, whatever the number of actions using it.
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

  /**
   * The actions reachable with an unchecked value; undefined when the reference has no guarding branch. A walk
   * over (action, guarded) pairs, each visited at most once: a guarding branch makes the value guarded, an
   * action that may set the reference again makes it unguarded, anything else keeps what it was.
   */
  private unguardedReach(reference: string, context: CallerIdContext): ReadonlySet<string> | undefined {
    const guarding = new Set<FlowCondition>();
    for (const compare of this.comparesOn.get(reference) ?? []) {
      for (const c of compare.Transitions.Conditions ?? []) {
        if (c.Condition.Operator === 'Equals' && c.Condition.Operands.every((o) => this.mayLetThrough(o, context))) guarding.add(c);
      }
    }
    if (guarding.size === 0) return undefined;
    const sets = referenceSetter(reference);
    const unguarded = new Set<string>();
    const guarded = new Set<string>();
    const queue: [string, boolean][] = [];
    const visit = (id: string, isGuarded: boolean): void => {
      const seen = isGuarded ? guarded : unguarded;
      if (!this.byId.has(id) || seen.has(id)) return;
      seen.add(id);
      queue.push([id, isGuarded]);
    };
    visit(this.flow.StartAction, false);
    for (let i = 0; i < queue.length; i++) {
      const [id, isGuarded] = queue[i];
      const current = this.byId.get(id)!;
      const after = isGuarded && !sets(current);
      const t = current.Transitions;
      if (t.NextAction !== undefined) visit(t.NextAction, after);
      for (const e of t.Errors ?? []) visit(e.NextAction, after);
      for (const c of t.Conditions ?? []) visit(c.NextAction, guarding.has(c) || after);
    }
    return unguarded;
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

/**
 * Which actions may give `reference` a new value, so that a value checked before them is unchecked after them:
 * Set contact attributes setting the attribute (`$.Attributes.x`), Set flow attributes setting the flow
 * attribute (`$.FlowAttributes.x`), every Invoke Lambda function for `$.External.x` (each call replaces the
 * whole External namespace with the function's response), and every Invoke flow module for both contact
 * attributes and External (a module's own actions are not in this flow, so what it sets is unknown).
 */
function referenceSetter(reference: string): (action: FlowAction) => boolean {
  // `$.Namespace.key`; a key in brackets (`$.Attributes['x']`) is not matched by name, so any setter of the
  // namespace counts as setting it.
  let end = 2;
  while (end < reference.length && reference[end] !== '.' && reference[end] !== '[') end++;
  const namespace = reference.slice(2, end);
  const key = reference[end] === '.' && !reference.includes('[') ? reference.slice(end + 1) : undefined;
  const setsKey = (parameter: string) => (action: FlowAction): boolean => {
    const values = action.Parameters[parameter];
    return typeof values === 'object' && values !== null && (key === undefined || Object.prototype.hasOwnProperty.call(values, key));
  };
  switch (namespace) {
    case 'Attributes': {
      const sets = setsKey('Attributes');
      return (a) => a.Type === ActionTypes.INVOKE_FLOW_MODULE || (a.Type === ActionTypes.SET_CONTACT_ATTRIBUTES && sets(a));
    }
    case 'FlowAttributes': {
      const sets = setsKey('FlowAttributes');
      return (a) => a.Type === ActionTypes.SET_FLOW_ATTRIBUTES && sets(a);
    }
    case 'External':
      return (a) => a.Type === ActionTypes.INVOKE_LAMBDA || a.Type === ActionTypes.INVOKE_FLOW_MODULE;
    default:
      return () => false;
  }
}
