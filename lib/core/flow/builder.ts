import { CallerIdInputError } from '../errors';
import { Finding, formatFinding } from '../findings';
import { finding } from '../rule-definition';
import {
  ActionTypes,
  ConditionOperator,
  ContactFlowType,
  FLOW_LANGUAGE_VERSION,
  FlowAction,
  FlowCondition,
  FlowDocument,
  FlowError,
  FlowTransitions,
  METADATA_TYPE_NAMES,
} from './model';
import { DesignerHints, designerActionMetadata } from './designer';
import { checkPublishRules } from './publish-rules';
import {
  FlowStructureRuleDefinitions,
  MAX_IDENTIFIER_LENGTH,
  requiredErrorTypes,
  RESERVED_IDENTIFIERS,
  transitionTargets,
  validateFlowCompleteness,
  validateFlowStructure,
} from './structure';

export interface FlowBuilderOptions {
  readonly type: ContactFlowType;
  /**
   * Shown by the console designer (`Metadata.name`).
   * @default - no name in the metadata
   */
  readonly name?: string;
  /**
   * Shown by the console designer (`Metadata.description`).
   * @default - no description in the metadata
   */
  readonly description?: string;
  /**
   * Tells parameter values known only at deploy time (CDK tokens): the publish-time rules leave them unjudged,
   * and the designer metadata takes what it cannot read from them from the action's `DesignerHints`.
   * @default - every value is literal
   */
  readonly isDeployTimeValue?: (value: string) => boolean;
}

/** Where the console designer draws the entry point and the blocks. */
export const FLOW_LAYOUT = {
  entryPoint: { x: 40, y: 40 },
  firstColumnX: 240,
  columnWidth: 280,
  rowHeight: 200,
} as const;

const NO_MATCHING_CONDITION = 'NoMatchingCondition';
const NO_MATCHING_ERROR = 'NoMatchingError';

/**
 * Blocks the designer draws without a success branch, whose exports still carry a `NextAction`: the target of
 * their Error branch (`NoMatchingError`), in every one of the 26 console exports in public repositories that
 * hold one. Connect rejects an action without a NextAction when the flow is published.
 */
const NEXT_IS_ERROR_BRANCH: ReadonlySet<string> = new Set([ActionTypes.TRANSFER_TO_QUEUE, ActionTypes.CHECK_CALL_PROGRESS]);

interface HandleState {
  readonly owner: FlowBuilder;
  readonly parameters: Record<string, unknown>;
  readonly hints: DesignerHints;
  next?: ActionHandle;
  readonly errors: Map<string, ActionHandle>;
  readonly conditions: { readonly operator: ConditionOperator; readonly operand: string; readonly target: ActionHandle }[];
}

// Under a symbol of this module, so that the builder can read what the handle recorded without making it public
// API; a property rather than a WeakMap entry, which costs more to add and to collect on every action of every flow.
const STATE = Symbol('ActionHandle.state');

// Every handle sets its state in its constructor, so the lookup cannot miss.
function stateOf(handle: ActionHandle): HandleState {
  return (handle as unknown as Record<typeof STATE, HandleState>)[STATE];
}

/** A built flow and its `Content` text, serialized once for both the length check and the template. */
export interface BuiltFlow {
  readonly document: FlowDocument;
  /** `JSON.stringify(document)`. */
  readonly text: string;
}

/** One action of a flow being built. Created by `FlowBuilder.add`; wire it with `next`, `onError` and `onCondition`. */
export class ActionHandle {
  /** Created by `FlowBuilder.add`. */
  constructor(owner: FlowBuilder, readonly id: string, readonly type: string, parameters: Record<string, unknown>, hints: DesignerHints = {}) {
    const state: HandleState = { owner, parameters, hints, errors: new Map(), conditions: [] };
    (this as unknown as Record<typeof STATE, HandleState>)[STATE] = state;
  }

  /**
   * Where the contact goes when this action succeeds. On a `Compare` this is the "No match" branch, which
   * real exports write both as `NextAction` and as the `NoMatchingCondition` error. Transfer to queue and Check
   * call progress need none: without it they go to their `NoMatchingError` target, as exports write them.
   * Replaces an earlier call.
   */
  next(target: ActionHandle): this {
    stateOf(this).next = target;
    return this;
  }

  /** Where the contact goes on `errorType` (e.g. `NoMatchingError`). Replaces an earlier call for the same type. */
  onError(errorType: string, target: ActionHandle): this {
    if (this.type === ActionTypes.COMPARE && errorType === NO_MATCHING_CONDITION) return this.next(target);
    stateOf(this).errors.set(errorType, target);
    return this;
  }

  /** Where the contact goes when the action's result matches `operand`; conditions are tried in the order added. */
  onCondition(operator: ConditionOperator, operand: string, target: ActionHandle): this {
    stateOf(this).conditions.push({ operator, operand, target });
    return this;
  }
}

/**
 * Builds flow-language JSON that looks like a console export: typed wiring, readable deterministic
 * identifiers, designer positions, and every problem reported at once by `build()`.
 */
export class FlowBuilder {
  private readonly actions: ActionHandle[] = [];
  private readonly usedIds = new Set<string>();
  private startAction?: ActionHandle;

  constructor(private readonly options: FlowBuilderOptions) {
    if (!Object.prototype.hasOwnProperty.call(METADATA_TYPE_NAMES, options.type)) {
      throw new CallerIdInputError(
        `FlowBuilder type ${JSON.stringify(options.type)} is not a flow type; expected one of ${Object.keys(METADATA_TYPE_NAMES).join(', ')}.`,
      );
    }
  }

  /**
   * Adds an action. `label` (human words like 'call customer') becomes the identifier: sanitized to
   * allowed characters, max 50, made unique with a suffix. The first action added is the start unless
   * `start()` says otherwise. Parameter values are emitted as given, so unresolved CDK tokens are fine (tell
   * them with `isDeployTimeValue`); `hints` say what the designer shows that the parameters do not hold.
   */
  add(type: string, parameters: Record<string, unknown>, label: string, hints: DesignerHints = {}): ActionHandle {
    const id = this.uniqueIdentifier(label);
    this.usedIds.add(id);
    const handle = new ActionHandle(this, id, type, { ...parameters }, { ...hints });
    this.actions.push(handle);
    return handle;
  }

  start(action: ActionHandle): this {
    this.startAction = action;
    return this;
  }

  /**
   * Throws CallerIdInputError listing every problem (structure findings, unhandled required error branches,
   * and everything Connect rejects when the flow is published) at once.
   */
  build(): FlowDocument {
    return this.buildContent().document;
  }

  /** Like `build()`, also giving the flow's `Content` text. */
  buildContent(): BuiltFlow {
    const problems: Finding[] = [];
    const start = this.startAction ?? this.actions[0];
    if (start !== undefined && !this.owns(start) && this.usedIds.has(start.id)) {
      problems.push(foreignAction(`start()`, start));
    }

    const actions: FlowAction[] = this.actions.map((handle) => {
      const action = this.emitAction(handle, this.options.type);
      for (const target of targetsOf(handle)) {
        if (!this.owns(target.handle) && this.usedIds.has(target.handle.id)) {
          problems.push(foreignAction(`${handle.type} "${handle.id}" ${target.via}`, target.handle, handle.id));
        }
      }
      return action;
    });

    const startId = start?.id ?? '';
    const flow: FlowDocument = {
      Version: FLOW_LANGUAGE_VERSION,
      StartAction: startId,
      Metadata: this.metadata(actions, startId),
      Actions: actions,
    };

    // Serialized once: the content length rule measures this text, and it is what the template holds. A flow that
    // cannot be serialized is left to the rule, which says so.
    let text: string | undefined;
    try {
      text = JSON.stringify(flow);
    } catch {
      text = undefined;
    }
    // One at a time: spreading an unbounded list into push() overflows the stack.
    for (const found of [
      validateFlowStructure(flow, text?.length),
      validateFlowCompleteness(flow, this.options.type),
      checkPublishRules(flow, { type: this.options.type, isDeployTimeValue: this.options.isDeployTimeValue }).findings,
    ]) {
      for (const problem of found) problems.push(problem);
    }
    if (problems.length > 0) {
      const what = this.options.name === undefined ? `${this.options.type} flow` : `${this.options.type} flow "${this.options.name}"`;
      throw new CallerIdInputError(
        `The ${what} cannot be built; ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n` +
          problems.map((p) => `  - ${formatFinding(p)}`).join('\n'),
      );
    }
    return { document: flow, text: text! };
  }

  private owns(handle: ActionHandle): boolean {
    return stateOf(handle)?.owner === this && this.actions.includes(handle);
  }

  private emitAction(handle: ActionHandle, flowType: ContactFlowType): FlowAction {
    const state = stateOf(handle);
    // Key order follows console exports so that a reviewer diffing a template against an export sees only real changes.
    return {
      Parameters: { ...state.parameters },
      Identifier: handle.id,
      Type: handle.type,
      Transitions: emitTransitions(handle, state, flowType),
    };
  }

  /** Laid out like a new-designer export: positions, each block's settings, and `Annotations` (none). */
  private metadata(actions: readonly FlowAction[], startId: string): Record<string, unknown> {
    const positions = layout(actions, startId);
    const actionMetadata: Record<string, Record<string, unknown>> = {};
    // `actions` are this builder's handles emitted in order, so each one's hints are at the same index.
    actions.forEach((action, i) => {
      actionMetadata[action.Identifier] = {
        position: positions.get(action.Identifier) ?? { ...FLOW_LAYOUT.entryPoint },
        ...designerActionMetadata(action, stateOf(this.actions[i]).hints, this.options.isDeployTimeValue),
      };
    });
    const metadata: Record<string, unknown> = {
      entryPointPosition: { ...FLOW_LAYOUT.entryPoint },
      ActionMetadata: actionMetadata,
      Annotations: [],
    };
    if (this.options.name !== undefined) metadata.name = this.options.name;
    if (this.options.description !== undefined) metadata.description = this.options.description;
    metadata.type = METADATA_TYPE_NAMES[this.options.type];
    return metadata;
  }

  private uniqueIdentifier(label: string): string {
    const base = sanitizeLabel(label);
    const reserved = (id: string): boolean => RESERVED_IDENTIFIERS.includes(id) || this.usedIds.has(id);
    if (!reserved(base)) return base;
    for (let n = 2; ; n++) {
      const suffix = `-${n}`;
      const candidate = `${base.slice(0, MAX_IDENTIFIER_LENGTH - suffix.length)}${suffix}`;
      if (!reserved(candidate)) return candidate;
    }
  }
}

/**
 * Turns human words into an identifier Connect accepts: lower case, runs of anything but letters, digits,
 * `_` and `-` become one `-`, at most 50 characters. Words in other scripts leave nothing behind and fall
 * back to `action`, made unique by the caller.
 */
export function sanitizeLabel(label: string): string {
  const sanitized = label
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, MAX_IDENTIFIER_LENGTH)
    .replace(/-+$/, '');
  return sanitized.length > 0 ? sanitized : 'action';
}

function targetsOf(handle: ActionHandle): { readonly handle: ActionHandle; readonly via: string }[] {
  const state = stateOf(handle);
  const out: { handle: ActionHandle; via: string }[] = [];
  if (state.next) out.push({ handle: state.next, via: 'next()' });
  for (const c of state.conditions) out.push({ handle: c.target, via: `onCondition(${c.operator}, ${JSON.stringify(c.operand)})` });
  for (const [type, target] of state.errors) out.push({ handle: target, via: `onError(${type})` });
  return out;
}

function foreignAction(where: string, target: ActionHandle, actionId?: string): Finding {
  const message = `${where} names action "${target.id}" of another FlowBuilder; a flow can only go to its own actions.`;
  return finding(FlowStructureRuleDefinitions.DANGLING_TRANSITION, message, actionId);
}

/**
 * Emits transitions the way the console exports them: `{}` for a terminal action left unwired, empty
 * `Errors`/`Conditions` omitted, keys in the order NextAction, Conditions, Errors.
 *
 * Compare: the console's "Check contact attributes" block has a single "No match" branch, and exports write
 * it twice, as `NextAction` and as an `Errors` entry `NoMatchingCondition` with the same target, next to the
 * `Conditions` (seen in a published inbound flow exported from the console and reproduced in the
 * ServiceNow "AI voice agent reference" for Amazon Connect, and in every Compare example found). The
 * builder emits exactly that from `next()`.
 */
function emitTransitions(handle: ActionHandle, state: HandleState, flowType: ContactFlowType): FlowTransitions {
  const conditions: FlowCondition[] = state.conditions.map((c) => ({
    NextAction: c.target.id,
    Condition: { Operator: c.operator, Operands: [c.operand] },
  }));

  const errors: FlowError[] = [];
  if (handle.type === ActionTypes.COMPARE && state.next) {
    errors.push({ NextAction: state.next.id, ErrorType: NO_MATCHING_CONDITION });
  }
  // Required error types first, in the order exports list them; any others in the order they were added.
  const required = requiredErrorTypes({ Identifier: handle.id, Type: handle.type, Parameters: state.parameters, Transitions: {} }, flowType);
  const ordered = [...state.errors.keys()].sort((a, b) => rank(required, a) - rank(required, b));
  for (const errorType of ordered) errors.push({ NextAction: state.errors.get(errorType)!.id, ErrorType: errorType });

  const transitions: { NextAction?: string; Conditions?: FlowCondition[]; Errors?: FlowError[] } = {};
  const next = state.next ?? (NEXT_IS_ERROR_BRANCH.has(handle.type) ? state.errors.get(NO_MATCHING_ERROR) : undefined);
  if (next) transitions.NextAction = next.id;
  if (conditions.length > 0) transitions.Conditions = conditions;
  if (errors.length > 0) transitions.Errors = errors;
  return transitions;
}

function rank(required: readonly string[], errorType: string): number {
  const index = required.indexOf(errorType);
  return index === -1 ? required.length : index;
}

/**
 * Columns by breadth-first distance from the start action, rows by discovery order within a column, so the
 * designer shows the flow left to right. Actions the start cannot reach go in one column after the rest.
 */
function layout(actions: readonly FlowAction[], startId: string): Map<string, { x: number; y: number }> {
  const byId = new Map(actions.map((a) => [a.Identifier, a]));
  const column = new Map<string, number>();
  const queue: string[] = [];
  if (byId.has(startId)) {
    column.set(startId, 0);
    queue.push(startId);
  }
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i];
    for (const { target } of transitionTargets(byId.get(id)!)) {
      if (byId.has(target) && !column.has(target)) {
        column.set(target, column.get(id)! + 1);
        queue.push(target);
      }
    }
  }
  const unreachableColumn = queue.length === 0 ? 0 : Math.max(...column.values()) + 1;
  const order = [...queue, ...actions.map((a) => a.Identifier).filter((id) => !column.has(id))];

  const rowsUsed = new Map<number, number>();
  const positions = new Map<string, { x: number; y: number }>();
  for (const id of order) {
    if (positions.has(id)) continue;
    const c = column.get(id) ?? unreachableColumn;
    const row = rowsUsed.get(c) ?? 0;
    rowsUsed.set(c, row + 1);
    positions.set(id, {
      x: FLOW_LAYOUT.firstColumnX + c * FLOW_LAYOUT.columnWidth,
      y: FLOW_LAYOUT.entryPoint.y + row * FLOW_LAYOUT.rowHeight,
    });
  }
  return positions;
}
