import { Finding, Severity } from '../findings';
import { finding, RuleDefinition } from '../rule-definition';
import {
  ActionTypes,
  ContactFlowType,
  FLOW_LANGUAGE_VERSION,
  FlowAction,
  FlowDocument,
  MAX_FLOW_ACTIONS,
  MAX_FLOW_CONTENT_LENGTH,
} from './model';

/** Stable ids of the flow-structure rules. */
export const FlowStructureRules = {
  VERSION: 'FLOW_VERSION',
  START_ACTION: 'FLOW_START_ACTION',
  DUPLICATE_IDENTIFIER: 'FLOW_DUPLICATE_IDENTIFIER',
  INVALID_IDENTIFIER: 'FLOW_INVALID_IDENTIFIER',
  DANGLING_TRANSITION: 'FLOW_DANGLING_TRANSITION',
  TOO_MANY_ACTIONS: 'FLOW_TOO_MANY_ACTIONS',
  CONTENT_TOO_LONG: 'FLOW_CONTENT_TOO_LONG',
  /** A required error branch is missing (checked on built flows only, see `validateFlowCompleteness`). */
  UNHANDLED_ERROR: 'FLOW_UNHANDLED_ERROR',
  /** A terminal action has transitions (checked on built flows only). */
  TERMINAL_WITH_TRANSITIONS: 'FLOW_TERMINAL_WITH_TRANSITIONS',
} as const;

const FLOW_LANGUAGE = 'Connect flow language reference';
const CONNECT_SAVE = 'Connect refuses to save the flow';

function structure(id: string, trigger: string, fix: string, source: string): RuleDefinition {
  return { id, severity: Severity.ERROR, trigger, fix, source };
}

/** The flow-structure rules as the catalogue lists them; every finding of this module takes its severity from here. */
export const FlowStructureRuleDefinitions = {
  VERSION: structure(FlowStructureRules.VERSION, 'A flow whose `Version` is not `2019-10-30`.',
    'Set `Version` to `2019-10-30`, the only flow-language version.', `${FLOW_LANGUAGE}; ${CONNECT_SAVE}`),
  START_ACTION: structure(FlowStructureRules.START_ACTION, 'A flow with no actions, or whose `StartAction` names no action of the flow.',
    'Point `StartAction` at the first action.', `${FLOW_LANGUAGE}; ${CONNECT_SAVE}`),
  DUPLICATE_IDENTIFIER: structure(FlowStructureRules.DUPLICATE_IDENTIFIER, 'Two actions with the same `Identifier`.',
    'Give each action its own identifier.', `${FLOW_LANGUAGE}; ${CONNECT_SAVE}`),
  INVALID_IDENTIFIER: structure(FlowStructureRules.INVALID_IDENTIFIER,
    'An action `Identifier` that is empty, over 50 characters, contains one of `% : ( \\ / ) = $ , ; [ ] { }` or is a reserved word.',
    'Use up to 50 letters, digits and dashes (console exports use UUIDs). Reserved: `__proto__`, `constructor`, `toString`, ' +
    '`valueOf`, `__defineGetter__`, `__defineSetter__`, `hasOwnProperty`, `isPrototypeOf`, `propertyIsEnumerable`, `toLocaleString`.',
    `${FLOW_LANGUAGE}; ${CONNECT_SAVE}`),
  DANGLING_TRANSITION: structure(FlowStructureRules.DANGLING_TRANSITION, 'A transition whose `NextAction` is not an action of the flow.',
    'Point it at an action of the same flow.', `${FLOW_LANGUAGE}; ${CONNECT_SAVE}`),
  TOO_MANY_ACTIONS: structure(FlowStructureRules.TOO_MANY_ACTIONS, 'A flow with more than 250 actions.',
    'Split it with Transfer to flow or flow modules.', `${FLOW_LANGUAGE}: at most 250 actions per flow`),
  CONTENT_TOO_LONG: structure(FlowStructureRules.CONTENT_TOO_LONG, 'Flow content over 256,000 characters.',
    'For a flow with a call-time guard, set `allowedCallerIds` to the numbers its dynamic caller ID can take; otherwise shorten prompts or split the flow with Transfer to flow.', 'CloudFormation `AWS::Connect::ContactFlow`: Content is at most 256,000 characters'),
  UNHANDLED_ERROR: structure(FlowStructureRules.UNHANDLED_ERROR, 'A generated action without a branch for one of the errors Connect requires it to handle.',
    'Add the missing error branches.', `${FLOW_LANGUAGE}: the error types of each action`),
  TERMINAL_WITH_TRANSITIONS: structure(FlowStructureRules.TERMINAL_WITH_TRANSITIONS, 'A generated Disconnect or End flow action with transitions.',
    'Remove its transitions: terminal actions are written with `"Transitions": {}`.', FLOW_LANGUAGE),
} as const satisfies Record<keyof typeof FlowStructureRules, RuleDefinition>;

export const MAX_IDENTIFIER_LENGTH = 50;

/** Characters Connect refuses in an action identifier. */
export const FORBIDDEN_IDENTIFIER_CHARACTERS: readonly string[] = ['%', ':', '(', '\\', '/', ')', '=', '$', ',', ';', '[', ']', '{', '}'];

/**
 * Identifiers Connect refuses because they collide with JavaScript object members: the full list of the
 * flow-language page ("Flow language: Actions", identifier restrictions).
 */
export const RESERVED_IDENTIFIERS: readonly string[] = [
  '__proto__', 'constructor', 'toString', 'valueOf', '__defineGetter__', '__defineSetter__', 'hasOwnProperty',
  'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString',
];

/**
 * Actions that end the flow (or the flow module): they take no transitions and are exported with
 * `"Transitions": {}`.
 */
export const TERMINAL_ACTION_TYPES: readonly string[] = [ActionTypes.DISCONNECT, ActionTypes.END_FLOW, ActionTypes.END_FLOW_MODULE];

const RESERVED: ReadonlySet<string> = new Set(RESERVED_IDENTIFIERS);

/** The forbidden characters by code unit (all ASCII), so an identifier is judged in one loop over it. */
const FORBIDDEN_CODES: Uint8Array = (() => {
  const codes = new Uint8Array(128);
  for (const c of FORBIDDEN_IDENTIFIER_CHARACTERS) codes[c.charCodeAt(0)] = 1;
  return codes;
})();

function hasForbiddenCharacter(identifier: string): boolean {
  for (let i = 0; i < identifier.length; i++) {
    const c = identifier.charCodeAt(i);
    if (c < 128 && FORBIDDEN_CODES[c] === 1) return true;
  }
  return false;
}

/** What is wrong with an identifier, or undefined when Connect accepts it. */
export function identifierProblem(identifier: string): string | undefined {
  if (identifier.length === 0) return 'is empty; identifiers are 1 to 50 characters';
  if (identifier.length > MAX_IDENTIFIER_LENGTH) {
    return `is ${identifier.length} characters long; at most ${MAX_IDENTIFIER_LENGTH} are accepted`;
  }
  // One scan for the common case of a clean identifier; the list of offending characters only on failure.
  if (hasForbiddenCharacter(identifier)) {
    const forbidden = FORBIDDEN_IDENTIFIER_CHARACTERS.filter((c) => identifier.includes(c));
    return `contains ${forbidden.map((c) => `"${c}"`).join(', ')}; none of ${FORBIDDEN_IDENTIFIER_CHARACTERS.join(' ')} is accepted`;
  }
  if (RESERVED.has(identifier)) {
    return `is reserved; ${RESERVED_IDENTIFIERS.join(', ')} are not accepted`;
  }
  return undefined;
}

/**
 * Checks what Connect itself checks when it saves a flow: version, start action, identifiers, that every
 * transition lands on an action of the flow, and the size limits. It does not require error branches:
 * flows exported from the console may omit them and Connect still accepts them.
 */
export function validateFlowStructure(flow: FlowDocument, knownContentLength?: number): Finding[] {
  const findings: Finding[] = [];
  const error = (rule: RuleDefinition, message: string, actionId?: string): void => {
    findings.push(finding(rule, message, actionId));
  };

  if (flow.Version !== FLOW_LANGUAGE_VERSION) {
    error(FlowStructureRuleDefinitions.VERSION, `Version is ${JSON.stringify(flow.Version)}; only "${FLOW_LANGUAGE_VERSION}" is accepted.`);
  }

  const actions = flow.Actions;
  const ids = new Set<string>();
  let reported: Set<string> | undefined;
  for (let i = 0; i < actions.length; i++) {
    const id = actions[i].Identifier;
    const size = ids.size;
    ids.add(id);
    if (ids.size === size) {
      reported ??= new Set();
      if (!reported.has(id)) {
        error(FlowStructureRuleDefinitions.DUPLICATE_IDENTIFIER, `Identifier "${id}" is used by more than one action; each action needs its own identifier.`, id);
        reported.add(id);
      }
    }
    const problem = identifierProblem(id);
    if (problem) error(FlowStructureRuleDefinitions.INVALID_IDENTIFIER, `Identifier "${id}" ${problem}.`, id);
  }

  if (actions.length === 0) {
    error(FlowStructureRuleDefinitions.START_ACTION, 'The flow has no actions; StartAction must name one of them.');
  } else if (!ids.has(flow.StartAction)) {
    error(
      FlowStructureRuleDefinitions.START_ACTION,
      `StartAction "${flow.StartAction}" is not an action of this flow; it must be one of the ${ids.size} action identifiers.`,
    );
  }

  const targets = new ActionTargets(ids);
  for (let i = 0; i < actions.length; i++) {
    const action = actions[i];
    targets.following = i + 1 < actions.length ? actions[i + 1].Identifier : undefined;
    // The branch descriptions are only built for an action that has a dangling transition.
    if (!targets.anyDangling(action)) continue;
    for (const { target, via } of transitionTargets(action)) {
      if (!ids.has(target)) {
        error(
          FlowStructureRuleDefinitions.DANGLING_TRANSITION,
          `${action.Type} "${action.Identifier}" ${via} goes to "${target}", which is not an action of this flow; every NextAction must name an action of the same flow.`,
          action.Identifier,
        );
      }
    }
  }

  if (flow.Actions.length > MAX_FLOW_ACTIONS) {
    error(
      FlowStructureRuleDefinitions.TOO_MANY_ACTIONS,
      `The flow has ${flow.Actions.length} actions; Connect accepts at most ${MAX_FLOW_ACTIONS}. Split it with TransferToFlow or flow modules.`,
    );
  }

  // A flow read from text has its length already; serializing it again is most of the cost of this check.
  const length = knownContentLength ?? contentLength(flow);
  if (length === undefined) {
    error(FlowStructureRuleDefinitions.CONTENT_TOO_LONG, 'The flow content nests too deeply to be serialized; Connect accepts flat JSON content.');
  } else if (length > MAX_FLOW_CONTENT_LENGTH) {
    error(
      FlowStructureRuleDefinitions.CONTENT_TOO_LONG,
      `The flow content is ${length} characters long; Connect accepts at most ${MAX_FLOW_CONTENT_LENGTH}. ` +
        'For a flow with a call-time guard, set allowedCallerIds to the numbers its dynamic caller ID can take; ' +
        'otherwise shorten prompts or split the flow with Transfer to flow.',
    );
  }
  return findings;
}

/**
 * The error branches a generated action handles, per action type, as console exports carry them. Unknown action
 * types return none: this library only vouches for the actions it models. `MessageParticipant` needs none: 119
 * published Play prompt blocks in public console exports have no error branch. A transfer that resumes the flow
 * handles its failure outcomes too, except in an `AGENT_TRANSFER` flow, where Connect rejects them
 * (`FLOW_TRANSFER_FAILURE_BRANCH_AGENT_TRANSFER`).
 */
export function requiredErrorTypes(action: FlowAction, flowType?: ContactFlowType): string[] {
  switch (action.Type) {
    case ActionTypes.TRANSFER_TO_PHONE_NUMBER:
      return continuesAfterTransfer(action) && flowType !== ContactFlowType.AGENT_TRANSFER
        ? ['CallFailed', 'ConnectionTimeLimitExceeded', 'NoMatchingError']
        : ['NoMatchingError'];
    case ActionTypes.COMPARE:
      return ['NoMatchingCondition'];
    case ActionTypes.TRANSFER_TO_QUEUE:
      return ['QueueAtCapacity', 'NoMatchingError'];
    case ActionTypes.CHECK_CALL_PROGRESS:
    case ActionTypes.SET_CONTACT_ATTRIBUTES:
    case ActionTypes.SET_WORKING_QUEUE:
    case ActionTypes.TRANSFER_TO_FLOW:
      return ['NoMatchingError'];
    default:
      return [];
  }
}

/**
 * Whether the flow goes on after a transfer to a phone number. The flow-language reference says an absent
 * `ContinueFlowExecution` behaves as "True", so only an explicit "False" (any case) stops the flow. A value
 * that is not a string (it must be static, so this is a mistake elsewhere) counts as "False".
 */
export function continuesAfterTransfer(action: FlowAction): boolean {
  const value = action.Parameters.ContinueFlowExecution;
  if (value === undefined) return true;
  return typeof value === 'string' && value.toLowerCase() === 'true';
}

/**
 * The stricter checks for flows this library writes: every required error branch is handled and terminal
 * actions have no transitions. Not applied to flows read from exports, which Connect accepted without them.
 * (That every other action has a NextAction is a publish-time rule, `FLOW_MISSING_NEXT_ACTION`, applied to both.)
 */
export function validateFlowCompleteness(flow: FlowDocument, flowType?: ContactFlowType): Finding[] {
  const findings: Finding[] = [];
  for (const action of flow.Actions) {
    const id = action.Identifier;
    const transitions = action.Transitions;
    const errors = transitions.Errors ?? [];
    const conditions = transitions.Conditions ?? [];
    if (TERMINAL_ACTION_TYPES.includes(action.Type)) {
      if (transitions.NextAction !== undefined || errors.length > 0 || conditions.length > 0) {
        findings.push(finding(FlowStructureRuleDefinitions.TERMINAL_WITH_TRANSITIONS,
          `${action.Type} "${id}" ends the flow and takes no transitions; remove its next, error and condition branches.`, id));
      }
      continue;
    }
    const handled = new Set(errors.map((e) => e.ErrorType));
    const required = requiredErrorTypes(action, flowType);
    const missing = required.filter((t) => !handled.has(t));
    if (missing.length > 0) {
      findings.push(finding(FlowStructureRuleDefinitions.UNHANDLED_ERROR,
        `${action.Type} "${id}" does not handle ${missing.join(', ')}; it must have a branch for each of ${required.join(', ')}.`, id));
    }
  }
  return findings;
}

/**
 * Tells whether transitions go to actions of the flow. Most transitions go to the action written next or to the
 * target met last (the shared error handler, the Disconnect), and comparing with those two is cheaper than hashing
 * the identifier again; anything else is looked up. Allocates nothing, as it runs on every action.
 */
class ActionTargets {
  /** The identifier of the action after the one being judged. */
  public following: string | undefined;
  private last: string | undefined;

  constructor(private readonly ids: ReadonlySet<string>) {}

  /** Whether a transition of the action goes to an identifier that is not an action of the flow. */
  public anyDangling(action: FlowAction): boolean {
    const t = action.Transitions;
    if (t.NextAction !== undefined && !this.isAction(t.NextAction)) return true;
    if (t.Conditions !== undefined) for (const c of t.Conditions) if (!this.isAction(c.NextAction)) return true;
    if (t.Errors !== undefined) for (const e of t.Errors) if (!this.isAction(e.NextAction)) return true;
    return false;
  }

  private isAction(target: string): boolean {
    if (target === this.following || target === this.last) return true;
    if (!this.ids.has(target)) return false;
    this.last = target;
    return true;
  }
}

/** Where an action can send the contact: its next action, its condition branches and its error branches. */
export function successorsOf(action: FlowAction): string[] {
  const t = action.Transitions;
  const out = t.NextAction !== undefined ? [t.NextAction] : [];
  for (const c of t.Conditions ?? []) out.push(c.NextAction);
  for (const e of t.Errors ?? []) out.push(e.NextAction);
  return out;
}

/**
 * The identifiers of the actions reachable from `starts` (which count as reached when they exist), following
 * `next`; transitions to identifiers the flow does not have are ignored.
 */
export function reachableFrom(
  byId: ReadonlyMap<string, FlowAction>, starts: readonly string[], next: (action: FlowAction) => readonly string[] = successorsOf,
): Set<string> {
  const seen = new Set<string>();
  const queue = starts.filter((id) => byId.has(id));
  for (const id of queue) seen.add(id);
  for (let i = 0; i < queue.length; i++) {
    for (const target of next(byId.get(queue[i])!)) {
      if (byId.has(target) && !seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return seen;
}

/** Every place an action can send the contact, with words saying which branch it is. */
export function transitionTargets(action: FlowAction): { readonly target: string; readonly via: string }[] {
  const out: { target: string; via: string }[] = [];
  const t = action.Transitions;
  if (t.NextAction !== undefined) out.push({ target: t.NextAction, via: 'NextAction' });
  for (const c of t.Conditions ?? []) {
    out.push({ target: c.NextAction, via: `condition ${c.Condition.Operator} ${JSON.stringify(c.Condition.Operands)}` });
  }
  for (const e of t.Errors ?? []) out.push({ target: e.NextAction, via: `error ${e.ErrorType}` });
  return out;
}

/** `Content` length as Connect counts it, or undefined when the value cannot be serialized at all. */
function contentLength(flow: FlowDocument): number | undefined {
  try {
    return JSON.stringify(flow).length;
  } catch {
    return undefined;
  }
}
