import { Finding, Severity } from '../findings';
import { finding, RuleDefinition } from '../rule-definition';
import { ActionTypes, ContactFlowType, FlowAction, FlowDocument } from './model';
import { TRANSFER_TIMEOUT_PARAMETER } from './reader';
import { continuesAfterTransfer, TERMINAL_ACTION_TYPES } from './structure';

/*
 * What Connect's own validation rejects when a flow is published (`CreateContactFlow` or `UpdateContactFlowContent`
 * with status PUBLISHED, which is what CloudFormation does). A draft (status SAVED) is stored unvalidated, so these
 * are the problems a draft will meet when it is published.
 *
 * The evidence, in increasing order of authority: the flow-language reference, the console exports in public
 * repositories (every published one passes every rule here), and probe flows published against the live API by
 * mgaffigan/pulumi-amazon-connect, recorded in its docs/wire-format-checks.md. Where the reference and the live
 * API disagree, the live API is followed.
 */

const LIVE_API = 'Live CreateContactFlow probes (mgaffigan/pulumi-amazon-connect, docs/wire-format-checks.md)';
const REFERENCE = 'Connect flow language reference';
const EXPORTS = 'console exports in public repositories';

/** The words every message of these rules starts with, so a reader knows when the problem bites. */
export const PUBLISH_REJECTION = 'Connect rejects this when the flow is published';

function rule(id: string, trigger: string, fix: string, source: string): RuleDefinition {
  return { id, severity: Severity.ERROR, trigger, fix, source };
}

/** The publish-time rules. Ids are stable: they appear in messages and in the README's rule table. */
export const PublishRules = {
  DISCONNECT_WRONG_TYPE: rule('FLOW_DISCONNECT_WRONG_TYPE',
    'A Disconnect block (`DisconnectParticipant`) in a whisper or hold flow.',
    'End whisper flows with End flow / Resume (`EndFlowExecution`); hold flows end when the hold does.',
    `${LIVE_API}: "Whisper and hold flows reject DisconnectParticipant"; no whisper or hold flow among the ${EXPORTS} has one`),
  END_FLOW_WRONG_TYPE: rule('FLOW_END_FLOW_WRONG_TYPE',
    'An End flow / Resume block (`EndFlowExecution`) in an inbound, hold, agent-transfer or queue-transfer flow.',
    'End the flow with Disconnect (`DisconnectParticipant`); End flow is for whisper and customer-queue flows.',
    `${LIVE_API}: "EndFlowExecution is only valid in whisper and queue flows"; ${REFERENCE}, EndFlowExecution: not available in flows, hold flows or transfer flows`),
  TRANSFER_FAILURE_BRANCH_NOT_CONTINUING: rule('FLOW_TRANSFER_FAILURE_BRANCH_NOT_CONTINUING',
    'A Transfer to phone number block with `CallFailed` or `ConnectionTimeLimitExceeded` branches while `ContinueFlowExecution` is not `"True"`.',
    'Remove those branches (keep `NoMatchingError`), or set `ContinueFlowExecution` to `"True"` to resume the flow after the call.',
    `${LIVE_API}: Connect rejects CallFailed / ConnectionTimeLimitExceeded on a transfer that hands the call over; every such transfer among the ${EXPORTS} has NoMatchingError only`),
  TRANSFER_FAILURE_BRANCH_AGENT_TRANSFER: rule('FLOW_TRANSFER_FAILURE_BRANCH_AGENT_TRANSFER',
    'A Transfer to phone number block with `CallFailed` or `ConnectionTimeLimitExceeded` branches in an `AGENT_TRANSFER` flow.',
    'Remove those branches (keep `NoMatchingError`): an agent transfer flow takes no failure outcomes, even with `ContinueFlowExecution` `"True"`.',
    `${LIVE_API}: "A third-party transfer's failure outcomes are rejected in an agent transfer flow"`),
  TRANSFER_PARAMETER_MISSING: rule('FLOW_TRANSFER_PARAMETER_MISSING',
    `A Transfer to phone number block without \`ContinueFlowExecution\` or \`${TRANSFER_TIMEOUT_PARAMETER}\`.`,
    `Set \`ContinueFlowExecution\` (\`"True"\` or \`"False"\`) and \`${TRANSFER_TIMEOUT_PARAMETER}\` (\`"0"\` to \`"600"\`).`,
    `${LIVE_API}: both are required, though the reference marks them optional; every transfer among the ${EXPORTS} sets both`),
  EMPTY_PARAMETER: rule('FLOW_EMPTY_PARAMETER',
    'An empty string as an action\'s parameter, or as a member of an object in its `Parameters` (at any depth; values inside arrays are not judged).',
    'Give the parameter a value or leave it out; a value that may be empty at run time needs a sentinel such as `"none"`.',
    `${LIVE_API}: "An empty string is never a valid parameter value", in any action, also as a member of ViewData or Attributes ("Path: 0.Parameter"); " " is accepted. ` +
    `A published export among the ${EXPORTS} holds empty strings inside ViewData arrays, so those are left alone`),
  EMPTY_CONDITION_OPERAND: rule('FLOW_EMPTY_CONDITION_OPERAND',
    'A Check contact attributes (`Compare`) condition whose operand is an empty string.',
    'Compare against a sentinel value (`"none"`) that whatever sets the attribute returns instead of nothing.',
    `${LIVE_API}: Compare against Operands [""] is rejected ("Invalid branch. Path: 2.Evaluate"); " " is accepted`),
  COMPARISON_VALUE_NOT_PATH: rule('FLOW_COMPARISON_VALUE_NOT_PATH',
    'A Check contact attributes (`Compare`) block whose `ComparisonValue` is not a JSONPath ending in a value: a literal, or a namespace alone such as `$.External`.',
    'Compare a value such as `$.Attributes.tier` or `$.External.status`.',
    `${LIVE_API}: "ComparisonValue must be a JSONPath with a leaf": $.External alone and a literal are rejected, $.External.customer.tier is accepted`),
  MISSING_NEXT_ACTION: rule('FLOW_MISSING_NEXT_ACTION',
    'An action that does not end the flow and has no `NextAction`.',
    'Give it a `NextAction`; Transfer to queue and Check call progress take the target of their `NoMatchingError` branch, as the console writes them.',
    `${LIVE_API}: "Connect rejects any non-terminal action without one" (found on Loop); ${REFERENCE}: Transitions must have a NextAction; every non-terminal action of the published ${EXPORTS} has one, except Loop prompts (MessageParticipantIteratively), which repeats until interrupted`),
} as const satisfies Record<string, RuleDefinition>;

/** Every publish-time rule definition, for the catalogue. */
export const PublishRuleDefinitions: readonly RuleDefinition[] = Object.values(PublishRules);

/** The ids of the publish-time rules, so a caller can tell these findings from the others (e.g. to summarise a draft's). */
export const PUBLISH_RULE_IDS: ReadonlySet<string> = new Set(PublishRuleDefinitions.map((r) => r.id));

export interface PublishRuleOptions {
  /**
   * The flow type. The rules that depend on it do not run without it; `notRun` names them.
   * @default - unknown
   */
  readonly type?: ContactFlowType;
  /**
   * Tells values known only at deploy time (CDK tokens, template placeholders); those are not judged.
   * @default - every value is literal
   */
  readonly isDeployTimeValue?: (value: string) => boolean;
}

/** A rule that could not judge a flow, and why. */
export interface RuleNotRun {
  readonly ruleId: string;
  readonly reason: string;
}

export interface PublishRuleResult {
  readonly findings: Finding[];
  /** The type-dependent rules that had something to judge but no flow type to judge it by. */
  readonly notRun: RuleNotRun[];
}

const WHISPER_AND_HOLD_TYPES: ReadonlySet<string> = new Set([
  ContactFlowType.CUSTOMER_WHISPER, ContactFlowType.AGENT_WHISPER, ContactFlowType.OUTBOUND_WHISPER,
  ContactFlowType.CUSTOMER_HOLD, ContactFlowType.AGENT_HOLD,
]);

/** The reference's "flows, hold flows, or transfer flows". */
const END_FLOW_REJECTED_TYPES: ReadonlySet<string> = new Set([
  ContactFlowType.CONTACT_FLOW, ContactFlowType.CUSTOMER_HOLD, ContactFlowType.AGENT_HOLD,
  ContactFlowType.AGENT_TRANSFER, ContactFlowType.QUEUE_TRANSFER,
]);

const TRANSFER_FAILURE_ERRORS: ReadonlySet<string> = new Set(['CallFailed', 'ConnectionTimeLimitExceeded']);

/** Loop prompts plays until something interrupts it: published exports give it conditions and errors but no NextAction. */
const NO_SUCCESS_BRANCH_TYPES: ReadonlySet<string> = new Set(['MessageParticipantIteratively']);

/**
 * The namespaces of the flow language that hold values rather than being one: each as found before a `.` in
 * the parameters of the console exports, plus `Modules` (admin guide, list of contact attributes).
 */
const NAMESPACE_ROOTS: ReadonlySet<string> = new Set([
  'Attributes', 'External', 'FlowAttributes', 'Lex', 'Metrics', 'Queue', 'SystemEndpoint', 'CustomerEndpoint',
  'MediaStreams', 'Media', 'Customer', 'Agent', 'Views', 'Wisdom', 'Case', 'Modules',
]);

/** At most this many empty parameters are named per action; the rest are counted. */
const SHOWN_PATHS = 5;

/**
 * Applies every publish-time rule to a flow. Linear in the size of the flow: each action and each parameter
 * value is visited once. The rules that need the flow type (Disconnect and End flow placement, failure branches
 * in agent transfer flows) run only when `options.type` is given; otherwise each of them that had an action to
 * judge is listed in `notRun`.
 */
export function checkPublishRules(flow: FlowDocument, options: PublishRuleOptions = {}): PublishRuleResult {
  const findings: Finding[] = [];
  const notRun = new Map<string, string>();
  const type = options.type;
  const deployTime = options.isDeployTimeValue ?? (() => false);
  const needsType = (ruleId: string, what: string): void => {
    if (!notRun.has(ruleId)) notRun.set(ruleId, `the flow type is not known, so whether Connect accepts ${what} in it cannot be told; give the type`);
  };

  for (const action of flow.Actions) {
    const id = action.Identifier;
    if (action.Type === ActionTypes.DISCONNECT) {
      if (type === undefined) needsType(PublishRules.DISCONNECT_WRONG_TYPE.id, 'a Disconnect block');
      else if (WHISPER_AND_HOLD_TYPES.has(type)) {
        findings.push(finding(PublishRules.DISCONNECT_WRONG_TYPE,
          `${PUBLISH_REJECTION}: DisconnectParticipant "${id}" is in a ${type} flow, and whisper and hold flows take no Disconnect. ` +
          (type.endsWith('WHISPER') ? 'End the flow with EndFlowExecution instead' : 'Remove it: a hold flow ends when the hold does'), id));
      }
    }
    if (action.Type === ActionTypes.END_FLOW) {
      if (type === undefined) needsType(PublishRules.END_FLOW_WRONG_TYPE.id, 'an End flow / Resume block');
      else if (END_FLOW_REJECTED_TYPES.has(type)) {
        findings.push(finding(PublishRules.END_FLOW_WRONG_TYPE,
          `${PUBLISH_REJECTION}: EndFlowExecution "${id}" is in a ${type} flow; it is valid only in whisper and customer-queue flows. ` +
          (type.endsWith('HOLD') ? 'Remove it: a hold flow ends when the hold does' : 'End the flow with DisconnectParticipant instead'), id));
      }
    }
    if (action.Type === ActionTypes.TRANSFER_TO_PHONE_NUMBER) findings.push(...transferProblems(action, type, needsType));
    if (action.Type === ActionTypes.COMPARE) findings.push(...compareProblems(action, deployTime));

    const empty = emptyParameterPaths(action.Parameters);
    if (empty.paths.length > 0) {
      const more = empty.count > empty.paths.length ? ` and ${empty.count - empty.paths.length} more` : '';
      findings.push(finding(PublishRules.EMPTY_PARAMETER,
        `${PUBLISH_REJECTION}: ${action.Type} "${id}" has an empty string in ${empty.paths.join(', ')}${more}; ` +
        'an empty string is never a valid parameter value. Give each a value or leave it out', id));
    }

    if (action.Transitions.NextAction === undefined && !TERMINAL_ACTION_TYPES.includes(action.Type) && !NO_SUCCESS_BRANCH_TYPES.has(action.Type)) {
      findings.push(finding(PublishRules.MISSING_NEXT_ACTION,
        `${PUBLISH_REJECTION}: ${action.Type} "${id}" has no NextAction, and every action that does not end the flow needs one. ` +
        'Give it a NextAction (the console writes the Error branch\'s target when the block has no success branch)', id));
    }
  }
  return { findings, notRun: [...notRun].map(([ruleId, reason]) => ({ ruleId, reason })) };
}

function transferProblems(action: FlowAction, type: ContactFlowType | undefined, needsType: (ruleId: string, what: string) => void): Finding[] {
  const id = action.Identifier;
  const findings: Finding[] = [];
  const missing = ['ContinueFlowExecution', TRANSFER_TIMEOUT_PARAMETER].filter((p) => action.Parameters[p] === undefined);
  if (missing.length > 0) {
    findings.push(finding(PublishRules.TRANSFER_PARAMETER_MISSING,
      `${PUBLISH_REJECTION}: TransferParticipantToThirdParty "${id}" has no ${missing.join(' and no ')}; Connect requires both. ` +
      `Set ContinueFlowExecution to "True" or "False" and ${TRANSFER_TIMEOUT_PARAMETER} to "0".."600"`, id));
  }
  const failures = (action.Transitions.Errors ?? []).map((e) => e.ErrorType).filter((t) => TRANSFER_FAILURE_ERRORS.has(t));
  if (failures.length === 0) return findings;
  const branches = [...new Set(failures)].join(' and ');
  // An absent ContinueFlowExecution is already reported above; its branches are judged once it is set.
  if (action.Parameters.ContinueFlowExecution !== undefined && !continuesAfterTransfer(action)) {
    findings.push(finding(PublishRules.TRANSFER_FAILURE_BRANCH_NOT_CONTINUING,
      `${PUBLISH_REJECTION}: TransferParticipantToThirdParty "${id}" has ${branches} branches but ContinueFlowExecution is ` +
      `${JSON.stringify(action.Parameters.ContinueFlowExecution)}: a transfer that hands the call over takes NoMatchingError only. ` +
      'Remove those branches, or set ContinueFlowExecution to "True"', id));
  }
  if (type === undefined) needsType(PublishRules.TRANSFER_FAILURE_BRANCH_AGENT_TRANSFER.id, 'transfer failure branches');
  else if (type === ContactFlowType.AGENT_TRANSFER) {
    findings.push(finding(PublishRules.TRANSFER_FAILURE_BRANCH_AGENT_TRANSFER,
      `${PUBLISH_REJECTION}: TransferParticipantToThirdParty "${id}" has ${branches} branches in an AGENT_TRANSFER flow, ` +
      'which takes no failure outcomes even with ContinueFlowExecution "True". Remove them and keep NoMatchingError', id));
  }
  return findings;
}

function compareProblems(action: FlowAction, deployTime: (value: string) => boolean): Finding[] {
  const id = action.Identifier;
  const findings: Finding[] = [];
  const value = action.Parameters.ComparisonValue;
  // An empty ComparisonValue is the empty-parameter rule's; a deploy-time value is judged once it is known.
  if (value !== '' && !(typeof value === 'string' && deployTime(value))) {
    const problem = comparisonValueProblem(value);
    if (problem !== undefined) {
      findings.push(finding(PublishRules.COMPARISON_VALUE_NOT_PATH,
        `${PUBLISH_REJECTION}: Compare "${id}" ComparisonValue ${problem}; it must be a JSONPath to a value, such as ` +
        '$.Attributes.tier or $.External.status', id));
    }
  }
  const emptyOperands = (action.Transitions.Conditions ?? []).filter((c) => c.Condition.Operands.some((o) => o === ''));
  if (emptyOperands.length > 0) {
    findings.push(finding(PublishRules.EMPTY_CONDITION_OPERAND,
      `${PUBLISH_REJECTION}: Compare "${id}" has ${emptyOperands.length === 1 ? 'a condition' : `${emptyOperands.length} conditions`} ` +
      `comparing with an empty string (${emptyOperands.map((c) => c.Condition.Operator).join(', ')}); there is no comparison with blank. ` +
      'Compare with a sentinel such as "none" that whatever sets the value returns instead', id));
  }
  return findings;
}

/** What is wrong with a `ComparisonValue`, or undefined when it is a JSONPath ending in a value. */
function comparisonValueProblem(value: unknown): string | undefined {
  if (value === undefined) return 'is missing';
  if (typeof value !== 'string') return 'is not a string';
  if (!value.startsWith('$.')) return `is ${JSON.stringify(value)}, a literal`;
  if (value.length === 2 || value.endsWith('.')) return `is ${JSON.stringify(value)}, a path that ends before naming a value`;
  // A namespace is one name: a path with another `.` after `$.` names a value in one (most do), and is not sliced out.
  if (value.indexOf('.', 2) < 0 && NAMESPACE_ROOTS.has(value.slice(2))) return `is ${JSON.stringify(value)}, a namespace rather than a value in it`;
  return undefined;
}

/**
 * The paths of the empty strings in `parameters` and in the objects nested in it (at most SHOWN_PATHS of them),
 * and how many there are. Iterative. Arrays are not entered: the probes found empty strings rejected as a
 * parameter and as a member of a parameter's object (`ViewData: {a: ""}`, an empty attribute), while a published
 * export holds empty strings inside arrays of a Show view block's `ViewData` (`Sections[0].Heading`).
 */
function emptyParameterPaths(parameters: Record<string, unknown>): { paths: string[]; count: number } {
  // Most actions have none: that is told without building the path of every value.
  if (!holdsEmptyMember(parameters)) return { paths: [], count: 0 };
  const paths: string[] = [];
  let count = 0;
  const stack: { value: unknown; path: string }[] = [{ value: parameters, path: 'Parameters' }];
  // Values made in code rather than parsed can hold cycles; each object is walked once.
  const seen = new Set<object>();
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) continue;
      seen.add(value);
    }
    if (value === '') {
      count++;
      if (paths.length < SHOWN_PATHS) paths.push(path);
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i][1], path: `${path}.${entries[i][0]}` });
    }
  }
  return { paths, count };
}

/** Whether an object, or an object nested in it (not in an array), has an empty string as a member. */
function holdsEmptyMember(parameters: Record<string, unknown>): boolean {
  // The stack and the record of objects seen are made only for parameters holding an object.
  let stack: object[] | undefined;
  let seen: ObjectsSeen | undefined;
  let value: object = parameters;
  for (;;) {
    for (const key in value) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      const member = (value as Record<string, unknown>)[key];
      if (member === '') return true;
      if (typeof member === 'object' && member !== null && !Array.isArray(member)) {
        // Values made in code rather than parsed can hold cycles; each object is walked once.
        seen ??= new ObjectsSeen(parameters);
        if (!seen.add(member)) continue;
        (stack ??= []).push(member);
      }
    }
    if (stack === undefined || stack.length === 0) return false;
    value = stack.pop()!;
  }
}

/** A set of objects that is a short list while it holds few, as parameters hold one or two nested objects. */
class ObjectsSeen {
  private readonly few: object[];
  private many?: Set<object>;

  constructor(first: object) {
    this.few = [first];
  }

  /** Adds the object; false when it was seen already. */
  public add(value: object): boolean {
    if (this.many !== undefined) {
      if (this.many.has(value)) return false;
      this.many.add(value);
      return true;
    }
    if (this.few.includes(value)) return false;
    this.few.push(value);
    if (this.few.length > 8) this.many = new Set(this.few);
    return true;
  }
}
