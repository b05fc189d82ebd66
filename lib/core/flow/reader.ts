import { CallerIdInputError } from '../errors';
import { parseJsonText } from '../json-text';
import {
  ActionTypes,
  ConditionOperator,
  ContactFlowType,
  FlowAction,
  FlowCondition,
  FlowDocument,
  FlowError,
  FlowTransitions,
  METADATA_TYPE_NAMES,
} from './model';

/** A flow read from an export, with what the export says about it. */
export interface ReadFlow {
  readonly flow: FlowDocument;
  /**
   * The flow type, from the DescribeContactFlow `Type`, else from the console's `Metadata.type`.
   * @default - undefined when the export does not say
   */
  readonly type?: ContactFlowType;
  /**
   * The flow name, from the DescribeContactFlow `Name`, else from `Metadata.name`.
   * @default - undefined when the export does not say
   */
  readonly name?: string;
  /**
   * The length of the flow content text as read (Connect's 256,000-character limit applies to it).
   * @default - undefined when the content was given as an object
   */
  readonly contentLength?: number;
  /**
   * Why the file is a flow module rather than a flow, when it is one: it is stated by a
   * DescribeContactFlowModule response, or shown by the content (a top-level `Settings` object, an
   * `EndFlowModuleExecution` action). A stated flow `type` takes precedence.
   * @default - undefined: not a flow module
   */
  readonly module?: { readonly stated: boolean; readonly evidence: string };
  /**
   * Why the export is a draft that Connect stored without validating (`Metadata.status` or the
   * DescribeContactFlow `Status` "SAVED", or an empty `StartAction` with no status given), as a phrase.
   * @default - undefined: the export is not known to be a draft
   */
  readonly draft?: string;
  /**
   * Where each action starts in the text read (the offset of its `{`, the text less its byte order mark), in
   * the order of `flow.Actions`: found while parsing, for reports that point at an action's line.
   * @default - undefined unless asked for (`ReadFlowOptions.actionOffsets`), and when the actions are not in
   *   the text itself (an escaped `Content` string, a value parsed elsewhere)
   */
  readonly actionOffsets?: readonly number[];
}

/**
 * The `--type` value, and the kind of `ReadFlow.module`, for flow modules: content of
 * `CreateContactFlowModule`, which runs inside whichever flows invoke it.
 */
export const FLOW_MODULE = 'FLOW_MODULE';

/** A flow type, or a flow module. */
export type FlowKind = ContactFlowType | typeof FLOW_MODULE;

/** The action that ends a flow module and returns to the invoking flow. */
const END_FLOW_MODULE = 'EndFlowModuleExecution';

/** The spelling of the transfer timeout that console exports use, and that this library emits. */
export const TRANSFER_TIMEOUT_PARAMETER = 'ThirdPartyConnectionTimeLimitSeconds';
/** The spelling on the current AWS flow-language page; accepted when reading. */
export const TRANSFER_TIMEOUT_PARAMETER_ALTERNATIVE = 'ThirdPartyConnectionTimeoutSeconds';

/**
 * Real exports nest fewer than ten levels. The limit keeps every later recursive walk (rules, JSON.stringify)
 * far from the stack limit whatever the input.
 */
export const MAX_FLOW_NESTING = 64;

/** Where flow text first stops being JSON, for callers that point at it. */
export { syntaxErrorOffset } from '../json-text';

const ACCEPTED = 'a flow or flow module exported from the Amazon Connect console ({"Version": "2019-10-30", "StartAction": ..., "Actions": [...]}), ' +
  'a DescribeContactFlow or DescribeContactFlowModule response ({"ContactFlow": {"Type": ..., "Content": ...}}), ' +
  'or a {"Name", "Type", "Content"} object';

const TYPE_BY_METADATA_NAME: ReadonlyMap<string, ContactFlowType> = new Map(
  (Object.keys(METADATA_TYPE_NAMES) as ContactFlowType[]).map((type) => [METADATA_TYPE_NAMES[type], type]),
);
const FLOW_TYPES: readonly string[] = Object.keys(METADATA_TYPE_NAMES);

/**
 * Reads flow JSON text: raw flow content as the console exports it, or a DescribeContactFlow response
 * whose `Content` is an escaped JSON string (or an object). Throws CallerIdInputError, and nothing else,
 * for anything else; the message starts with `source`.
 */
export interface ReadFlowOptions {
  /** Whether to give `actionOffsets`. @default false */
  readonly actionOffsets?: boolean;
  /**
   * Whether the flow's actions may be the objects parsed from the text themselves, checked in place, rather than
   * copies holding only the members the flow language defines, in its order. For callers that only judge the flow
   * (`check`) and never serialize or deploy it: an action keeps any other members and the key order of the text.
   * An action that needs normalizing (a missing `Parameters` or `Transitions`, the alternative spelling of the
   * transfer timeout) is still copied. Applies to raw flow content; an escaped or embedded `Content` is copied.
   * @default false
   */
  readonly inPlace?: boolean;
}

export function readFlowExport(text: string, source: string, options: ReadFlowOptions = {}): ReadFlow {
  if (typeof text !== 'string') {
    throw new CallerIdInputError(`${source}: expected JSON text, got ${describe(text)}; expected ${ACCEPTED}.`);
  }
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const { value, actionOffsets } = parseJsonText(text, { source, subject: 'is', expected: ACCEPTED });
  return readParsed(value, source, text.length - bom, options.actionOffsets ? actionOffsets : undefined, options.inPlace === true);
}

/** Like `readFlowExport`, for a value already parsed from JSON. */
export function readFlowContent(value: unknown, source: string): ReadFlow {
  checkNesting(value, source);
  return readParsed(value, source, undefined);
}

function readParsed(
  value: unknown, source: string, textLength: number | undefined, actionOffsets?: readonly number[], inPlace = false,
): ReadFlow {
  if (!isObject(value)) {
    throw new CallerIdInputError(`${source}: is JSON but not a flow: the top level is ${describe(value)}; expected ${ACCEPTED}.`);
  }
  if (hasOwn(value, 'ContactFlow')) return readWrapper(value.ContactFlow, source, 'ContactFlow', 'DescribeContactFlow returns');
  if (hasOwn(value, 'ContactFlowModule')) {
    return readWrapper(value.ContactFlowModule, source, 'ContactFlowModule', 'DescribeContactFlowModule returns');
  }
  // `{Name, Type, Content, Tags}`: the ContactFlow of a DescribeContactFlow response without its wrapper, as
  // import and deployment tools keep it.
  if (hasOwn(value, 'Content') && !hasOwn(value, 'Actions')) return readWrapper(value, source, undefined, 'a flow object holds');

  const { flow, settings } = readFlowDocument(value, source, inPlace);
  const read = withDefined({
    flow, type: metadataType(flow), name: metadataName(flow), contentLength: textLength,
    module: moduleEvidence(flow, settings), draft: draftEvidence(flow, undefined),
  });
  // Only here are the top-level `Actions` the parser located the flow's own.
  return actionOffsets !== undefined && actionOffsets.length === flow.Actions.length ? { ...read, actionOffsets } : read;
}

/**
 * Reads an object holding `Content` with the flow's `Type`, `Name` and `Status`: a DescribeContactFlow
 * `ContactFlow`, a DescribeContactFlowModule `ContactFlowModule`, or such an object on its own (`label`
 * undefined). `shape` says what the object is, for messages.
 */
function readWrapper(wrapper: unknown, source: string, label: 'ContactFlow' | 'ContactFlowModule' | undefined, shape: string): ReadFlow {
  const field = (name: string): string => (label === undefined ? name : `${label}.${name}`);
  if (!isObject(wrapper)) {
    throw new CallerIdInputError(`${source}: ${label} is ${describe(wrapper)}; expected an object with Type and Content, as ${shape}.`);
  }
  const isModule = label === 'ContactFlowModule';
  const type = isModule ? undefined : wrapper.Type;
  if (type !== undefined && (typeof type !== 'string' || !FLOW_TYPES.includes(type))) {
    throw new CallerIdInputError(`${source}: ${field('Type')} is ${show(type)}; expected one of ${FLOW_TYPES.join(', ')}.`);
  }
  const name = wrapper.Name;
  if (name !== undefined && typeof name !== 'string') {
    throw new CallerIdInputError(`${source}: ${field('Name')} is ${describe(name)}; expected a string.`);
  }
  const status = typeof wrapper.Status === 'string' ? wrapper.Status : undefined;

  const content = wrapper.Content;
  let parsed: unknown;
  if (typeof content === 'string') {
    parsed = parseJson(content, source, `${field('Content')} is`, 'the flow content {"Version": "2019-10-30", "StartAction": ..., "Actions": [...]} as an escaped JSON string');
  } else if (isObject(content)) {
    parsed = content;
  } else {
    throw new CallerIdInputError(
      `${source}: ${field('Content')} is ${describe(content)}; expected the flow content as a JSON string or an object.`,
    );
  }
  if (!isObject(parsed) || hasOwn(parsed, 'ContactFlow') || hasOwn(parsed, 'ContactFlowModule')) {
    throw new CallerIdInputError(
      `${source}: ${field('Content')} is JSON but not a flow (${isObject(parsed) ? 'another DescribeContactFlow response' : describe(parsed)}); expected {"Version": "2019-10-30", "StartAction": ..., "Actions": [...]}.`,
    );
  }
  const { flow, settings } = readFlowDocument(parsed, `${source}: ${field('Content')}`);
  const statedType = (type as ContactFlowType | undefined) ?? metadataType(flow);
  return withDefined({
    flow,
    type: statedType,
    name: name ?? metadataName(flow),
    contentLength: typeof content === 'string' ? content.length : undefined,
    module: isModule ? { stated: true, evidence: 'it is a DescribeContactFlowModule response' } : moduleEvidence(flow, settings),
    draft: draftEvidence(flow, status === undefined ? undefined : { field: field('Status'), value: status }),
  });
}

/** Why the content is a flow module's, when it shows it. */
function moduleEvidence(flow: FlowDocument, settings: boolean): ReadFlow['module'] {
  if (settings) return { stated: false, evidence: 'its content has a top-level Settings object, which only flow modules have' };
  const end = flow.Actions.find((a) => a.Type === END_FLOW_MODULE);
  return end ? { stated: false, evidence: `its action "${end.Identifier}" is ${END_FLOW_MODULE}, which only flow modules have` } : undefined;
}

/**
 * Why the export is a draft. Connect stores a flow saved (not published) without validating it; the console
 * writes `"StartAction": ""` for an entry point connected to nothing, which only a draft can have, since
 * publishing requires StartAction to name an action.
 */
function draftEvidence(flow: FlowDocument, status: { field: string; value: string } | undefined): string | undefined {
  const metadataStatus = flow.Metadata?.status;
  const given = status ?? (typeof metadataStatus === 'string' ? { field: 'Metadata.status', value: metadataStatus } : undefined);
  if (given !== undefined) return given.value.toUpperCase() === 'SAVED' ? `${given.field} is ${JSON.stringify(given.value)}` : undefined;
  return flow.StartAction === '' ? 'its StartAction is empty and it states no status' : undefined;
}

/** `where` prefixes every message, e.g. `flows/inbound.json` or `flows/x.json: ContactFlow.Content`. */
function readFlowDocument(value: Record<string, unknown>, where: string, inPlace = false): { flow: FlowDocument; settings: boolean } {
  if (!hasOwn(value, 'Actions') && !hasOwn(value, 'StartAction') && !hasOwn(value, 'Version')) {
    const keys = Object.keys(value).slice(0, 5).map((k) => JSON.stringify(k)).join(', ');
    throw new CallerIdInputError(
      `${where}: is JSON but not a flow: it has ${keys.length > 0 ? `keys ${keys}` : 'no keys'} and no Version, StartAction or Actions; expected ${ACCEPTED}.`,
    );
  }
  const version = value.Version;
  if (typeof version !== 'string') {
    throw new CallerIdInputError(`${where}: Version is ${describe(version)}; expected "2019-10-30".`);
  }
  const startAction = value.StartAction;
  if (typeof startAction !== 'string') {
    throw new CallerIdInputError(
      `${where}: StartAction is ${describe(startAction)}; expected the identifier of the first action as a string.`,
    );
  }
  const metadata = value.Metadata;
  if (metadata !== undefined && !isObject(metadata)) {
    throw new CallerIdInputError(`${where}: Metadata is ${describe(metadata)}; expected an object (the console designer's layout) or no Metadata.`);
  }
  const actions = value.Actions;
  if (!Array.isArray(actions)) {
    throw new CallerIdInputError(`${where}: Actions is ${describe(actions)}; expected an array of actions.`);
  }
  const read: FlowAction[] = new Array(actions.length);
  for (let i = 0; i < actions.length; i++) read[i] = readAction(actions[i], where, i, inPlace);
  const flow: FlowDocument = { Version: version, StartAction: startAction, Actions: read };
  return { flow: metadata === undefined ? flow : { ...flow, Metadata: metadata }, settings: isObject(value.Settings) };
}

/**
 * Reads `Actions[index]` of the flow `where` names. Messages are built only for what is refused: building the
 * path of every action and branch up front costs more than reading them.
 */
function readAction(value: unknown, where: string, index: number, inPlace: boolean): FlowAction {
  if (!isObject(value)) {
    throw new CallerIdInputError(`${where}: Actions[${index}] is ${describe(value)}; expected an action object with Identifier, Type, Parameters and Transitions.`);
  }
  const id = value.Identifier;
  if (typeof id !== 'string') {
    throw new CallerIdInputError(`${where}: Actions[${index}]: Identifier is ${describe(id)}; expected a string such as a UUID.`);
  }
  const at = (): string => `${where}: Actions[${index}] ("${id}")`;
  const type = value.Type;
  if (typeof type !== 'string') {
    throw new CallerIdInputError(`${at()}: Type is ${describe(type)}; expected an action type string such as "${ActionTypes.TRANSFER_TO_PHONE_NUMBER}".`);
  }
  // Real exports sometimes leave out an empty Parameters or Transitions object; both mean {}.
  const parameters = value.Parameters === undefined ? {} : value.Parameters;
  if (!isObject(parameters)) {
    throw new CallerIdInputError(`${at()}: Parameters is ${describe(parameters)}; expected an object of parameter names to values.`);
  }
  // Parameters are the only free-form values the rules read; the rest of an action has a fixed shape.
  if (nestsTooDeeply(parameters)) throw nestingError(at());
  const transitions = value.Transitions === undefined ? {} : value.Transitions;
  if (!isObject(transitions)) {
    throw new CallerIdInputError(`${at()}: Transitions is ${describe(transitions)}; expected an object with NextAction, Errors and Conditions.`);
  }
  const isTransfer = type === ActionTypes.TRANSFER_TO_PHONE_NUMBER;
  if (inPlace && value.Parameters !== undefined && value.Transitions !== undefined &&
      !(isTransfer && hasOwn(parameters, TRANSFER_TIMEOUT_PARAMETER_ALTERNATIVE))) {
    readTransitions(transitions, () => `${at()}: Transitions`, true);
    return value as unknown as FlowAction;
  }
  return {
    Identifier: id,
    Type: type,
    Parameters: isTransfer ? normalizeTransferParameters(parameters, at()) : { ...parameters },
    Transitions: readTransitions(transitions, () => `${at()}: Transitions`, false),
  };
}

/** Checks the transitions; returns a copy of what the flow language defines, or `value` itself when `inPlace`. */
function readTransitions(value: Record<string, unknown>, where: () => string, inPlace: boolean): FlowTransitions {
  const out: { NextAction?: string; Errors?: FlowError[]; Conditions?: FlowCondition[] } = {};
  const next = value.NextAction;
  if (next !== undefined) {
    if (typeof next !== 'string') throw new CallerIdInputError(`${where()}.NextAction is ${describe(next)}; expected an action identifier string.`);
    if (!inPlace) out.NextAction = next;
  }
  const errors = value.Errors;
  if (errors !== undefined) {
    if (!Array.isArray(errors)) throw new CallerIdInputError(`${where()}.Errors is ${describe(errors)}; expected an array of {"NextAction", "ErrorType"}.`);
    if (inPlace) {
      for (let i = 0; i < errors.length; i++) {
        const e = errors[i];
        if (!(isObject(e) && typeof e.NextAction === 'string' && typeof e.ErrorType === 'string')) readError(e, where, i);
      }
    } else {
      const read: FlowError[] = [];
      for (let i = 0; i < errors.length; i++) read.push(readError(errors[i], where, i));
      out.Errors = read;
    }
  }
  const conditions = value.Conditions;
  if (conditions !== undefined) {
    if (!Array.isArray(conditions)) {
      throw new CallerIdInputError(`${where()}.Conditions is ${describe(conditions)}; expected an array of {"NextAction", "Condition": {"Operator", "Operands"}}.`);
    }
    if (inPlace) {
      for (let i = 0; i < conditions.length; i++) readCondition(conditions[i], where, i, true);
    } else {
      const read: FlowCondition[] = [];
      for (let i = 0; i < conditions.length; i++) read.push(readCondition(conditions[i], where, i, false));
      out.Conditions = read;
    }
  }
  return inPlace ? value as FlowTransitions : out;
}

function readError(value: unknown, transitions: () => string, index: number): FlowError {
  if (isObject(value) && typeof value.NextAction === 'string' && typeof value.ErrorType === 'string') {
    return { NextAction: value.NextAction, ErrorType: value.ErrorType };
  }
  const where = `${transitions()}.Errors[${index}]`;
  const expected = 'expected {"NextAction": "<action identifier>", "ErrorType": "NoMatchingError"}';
  if (!isObject(value)) throw new CallerIdInputError(`${where} is ${describe(value)}; ${expected}.`);
  throw new CallerIdInputError(`${where} has NextAction ${describe(value.NextAction)} and ErrorType ${describe(value.ErrorType)}; ${expected}.`);
}

function readCondition(value: unknown, transitions: () => string, index: number, inPlace: boolean): FlowCondition {
  const where = (): string => `${transitions()}.Conditions[${index}]`;
  const expected = 'expected {"NextAction": "<action identifier>", "Condition": {"Operator": "Equals", "Operands": ["value"]}}';
  if (!isObject(value)) throw new CallerIdInputError(`${where()} is ${describe(value)}; ${expected}.`);
  if (typeof value.NextAction !== 'string') throw new CallerIdInputError(`${where()}.NextAction is ${describe(value.NextAction)}; ${expected}.`);
  const condition = value.Condition;
  if (!isObject(condition)) throw new CallerIdInputError(`${where()}.Condition is ${describe(condition)}; ${expected}.`);
  const operands = condition.Operands;
  if (typeof condition.Operator !== 'string') throw new CallerIdInputError(`${where()}.Condition.Operator is ${describe(condition.Operator)}; ${expected}.`);
  if (!Array.isArray(operands) || !operands.every((o) => typeof o === 'string')) {
    throw new CallerIdInputError(`${where()}.Condition.Operands is ${describe(operands)}; expected an array of strings such as ["CallAnswered"].`);
  }
  if (inPlace) return value as unknown as FlowCondition;
  // Operators are passed through unchecked, so a flow using one this library does not list still reads.
  return { NextAction: value.NextAction, Condition: { Operator: condition.Operator as ConditionOperator, Operands: [...operands] } };
}

/** Accepts both spellings of the transfer timeout and returns the one console exports use. */
function normalizeTransferParameters(parameters: Record<string, unknown>, where: string): Record<string, unknown> {
  if (!hasOwn(parameters, TRANSFER_TIMEOUT_PARAMETER_ALTERNATIVE)) return { ...parameters };
  const alternative = parameters[TRANSFER_TIMEOUT_PARAMETER_ALTERNATIVE];
  if (hasOwn(parameters, TRANSFER_TIMEOUT_PARAMETER)) {
    const preferred = parameters[TRANSFER_TIMEOUT_PARAMETER];
    if (preferred !== alternative) {
      throw new CallerIdInputError(
        `${where}: Parameters has ${TRANSFER_TIMEOUT_PARAMETER} ${show(preferred)} and ${TRANSFER_TIMEOUT_PARAMETER_ALTERNATIVE} ${show(alternative)}; they are two spellings of one setting, give only ${TRANSFER_TIMEOUT_PARAMETER}.`,
      );
    }
    const { [TRANSFER_TIMEOUT_PARAMETER_ALTERNATIVE]: _duplicate, ...rest } = parameters;
    return rest;
  }
  // fromEntries defines properties rather than assigning them, so a "__proto__" key stays a plain key.
  return Object.fromEntries(
    Object.entries(parameters).map(([k, v]) => [k === TRANSFER_TIMEOUT_PARAMETER_ALTERNATIVE ? TRANSFER_TIMEOUT_PARAMETER : k, v]),
  );
}

function metadataType(flow: FlowDocument): ContactFlowType | undefined {
  const name = flow.Metadata?.type;
  return typeof name === 'string' ? TYPE_BY_METADATA_NAME.get(name) : undefined;
}

function metadataName(flow: FlowDocument): string | undefined {
  const name = flow.Metadata?.name;
  return typeof name === 'string' ? name : undefined;
}

function parseJson(text: string, source: string, subject: string, expected: string = ACCEPTED): unknown {
  return parseJsonText(text, { source, subject, expected }).value;
}

/**
 * Refuses a value nested deeper than any flow export, before something recursive (serializing it, mapping the
 * strings inside it) overflows the stack. Flows read from text are only checked where the rules look
 * (`Parameters`): JSON.parse itself does not recurse, and walking every designer position of a large export
 * would double the cost of reading it. Whoever walks a whole flow read from text calls this first.
 */
export function assertFlowNesting(value: unknown, source: string): void {
  checkNesting(value, source);
}

function checkNesting(value: unknown, source: string): void {
  if (nestsTooDeeply(value)) throw nestingError(source);
}

function nestingError(source: string): CallerIdInputError {
  return new CallerIdInputError(`${source}: nests more than ${MAX_FLOW_NESTING} levels deep; flow exports nest fewer than 10.`);
}

/**
 * Whether the value nests more than MAX_FLOW_NESTING levels deep. Iterative, so that the check itself cannot
 * overflow the stack; also stops cycles in hand-made values. Scalars are never put on the stack: most
 * parameters are strings.
 */
function nestsTooDeeply(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  // The stacks are made only for a value holding an object: most parameters hold strings alone.
  let objects: object[] | undefined;
  let depths: number[] | undefined;
  let v: object = value;
  let depth = 0;
  for (;;) {
    if (depth >= MAX_FLOW_NESTING) return true;
    for (const key in v) {
      const child: unknown = (v as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null && Object.prototype.hasOwnProperty.call(v, key)) {
        (objects ??= []).push(child);
        (depths ??= []).push(depth + 1);
      }
    }
    if (objects === undefined || objects.length === 0) return false;
    v = objects.pop()!;
    depth = depths!.pop()!;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function hasOwn(value: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(value, key);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `a string (${show(value)})`;
    case 'number':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return describe(value);
}

function withDefined(read: {
  flow: FlowDocument; type?: ContactFlowType; name?: string; contentLength?: number; module?: ReadFlow['module']; draft?: string;
}): ReadFlow {
  return {
    flow: read.flow,
    ...(read.type !== undefined ? { type: read.type } : {}),
    ...(read.name !== undefined ? { name: read.name } : {}),
    ...(read.contentLength !== undefined ? { contentLength: read.contentLength } : {}),
    ...(read.module !== undefined ? { module: read.module } : {}),
    ...(read.draft !== undefined ? { draft: read.draft } : {}),
  };
}
