import { createHash } from 'crypto';
import { parseE164 } from '../e164';
import { ActionTypes, ConditionOperator, FlowAction } from './model';

/*
 * The per-action metadata the Connect flow designer writes next to `position` (`Metadata.ActionMetadata[id]`),
 * for the blocks this library generates. The designer reads it to show a block's settings: without it a Call
 * phone number block may be drawn with no caller ID although the flow sets one. Each shape below is the one the
 * current (new) designer exports, compared key by key with the console exports in public repositories; what no
 * export shows is said where it is written.
 */

/** How the designer says a caller ID was chosen (`callerIdSource`, `inputOption`). */
export enum CallerIdSource {
  /** One of the instance's claimed numbers, chosen from the list. */
  CLAIMED = 'claimed',
  /** A reference (`$.Attributes.x`) resolved during the call. */
  DYNAMIC = 'dynamic',
}

/** What the builder cannot tell from an action's parameters alone. */
export interface DesignerHints {
  /**
   * The name of the queue a Set working queue block sets, which the designer shows on the block.
   * @default - no queue metadata: the designer shows the block without the queue's name
   */
  readonly queueName?: string;
  /**
   * Where the caller ID comes from, for a `CallerId.Number` known only at deploy time (a CDK token).
   * @default - told from the value: a `$.` reference is dynamic, anything else a claimed number; a deploy-time value gets no caller ID metadata
   */
  readonly callerIdSource?: CallerIdSource;
}

/**
 * The designer's names for the condition operators, as exports write them in `conditionMetadata` (each one seen
 * in an export next to the operator of the same condition). Operators no export shows are left out, and a
 * Compare using one gets no condition metadata rather than a guess.
 */
const OPERATOR_METADATA: Partial<Record<ConditionOperator, { name: string; value: string; shortDisplay: string }>> = {
  Equals: { name: 'Equals', value: 'Equals', shortDisplay: '=' },
  TextContains: { name: 'Contains', value: 'Contains', shortDisplay: 'contains' },
  TextStartsWith: { name: 'Starts with', value: 'StartsWith', shortDisplay: 'starts with' },
  NumberGreaterThan: { name: 'Is greater than', value: 'GreaterThan', shortDisplay: '>' },
  NumberLessThan: { name: 'Is less than', value: 'LessThan', shortDisplay: '<' },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The designer metadata of one action, without its position. `isDeployTimeValue` tells values the builder cannot
 * read (CDK tokens); they are emitted as they are, and CloudFormation fills them in like the parameters.
 */
export function designerActionMetadata(
  action: FlowAction, hints: DesignerHints = {}, isDeployTimeValue: (value: string) => boolean = () => false,
): Record<string, unknown> {
  // Every export marks an identifier that is not a UUID (314 of 314 actions) and no UUID.
  const metadata: Record<string, unknown> = UUID.test(action.Identifier) ? {} : { isFriendlyName: true };
  const sourceOf = (value: unknown): CallerIdSource | undefined => {
    if (typeof value !== 'string') return undefined;
    if (value.startsWith('$.')) return CallerIdSource.DYNAMIC;
    if (isDeployTimeValue(value)) return hints.callerIdSource;
    return CallerIdSource.CLAIMED;
  };
  switch (action.Type) {
    case ActionTypes.CALL_PHONE_NUMBER:
      return { ...metadata, ...callPhoneNumberMetadata(callerIdNumber(action), sourceOf(callerIdNumber(action))) };
    case ActionTypes.TRANSFER_TO_PHONE_NUMBER:
      return { ...metadata, ...transferMetadata(action, sourceOf(callerIdNumber(action))) };
    case ActionTypes.COMPARE:
      return { ...metadata, ...compareMetadata(action) };
    case ActionTypes.SET_WORKING_QUEUE:
      return { ...metadata, ...workingQueueMetadata(action.Parameters.QueueId, hints.queueName) };
    case ActionTypes.SET_CONTACT_ATTRIBUTES:
      return { ...metadata, ...attributesMetadata(action.Parameters.Attributes) };
    default:
      return metadata;
  }
}

/**
 * Exports: `parameters.CallerId.Number` `{displayName, inputOption: "claimed"}`, `setOptionalCallerId`,
 * `callerIdSource`, `claimedPhoneNumber.text`, `useDynamicConnectionTimeout`; a reference has `inputOption:
 * "dynamic"` and no display name or claimed number. No export shows the block without a caller ID, so it gets none.
 */
function callPhoneNumberMetadata(number: string | undefined, source: CallerIdSource | undefined): Record<string, unknown> {
  if (number === undefined || source === undefined) return {};
  return source === CallerIdSource.CLAIMED
    ? {
      parameters: { CallerId: { Number: { displayName: number, inputOption: source } } },
      setOptionalCallerId: true,
      callerIdSource: source,
      claimedPhoneNumber: { text: number },
      useDynamicConnectionTimeout: false,
    }
    : {
      parameters: { CallerId: { Number: { inputOption: source } } },
      setOptionalCallerId: true,
      callerIdSource: source,
      useDynamicConnectionTimeout: false,
    };
}

/**
 * Exports: `parameters.ThirdPartyPhoneNumber.countryCode` (upper case) and `CountryCode` (lower case) for a static
 * destination, `{countryCode: "", useDynamic: true}` for a reference; with a caller ID,
 * `parameters.CallerId.Number` and `callerIdSource`, but neither `setOptionalCallerId` nor `claimedPhoneNumber`.
 * No new-designer export shows a dynamic caller ID on this block: it is written like Call phone number's
 * (`inputOption: "dynamic"`), and old-designer exports agree on `callerIdSource: "dynamic"`.
 */
function transferMetadata(action: FlowAction, source: CallerIdSource | undefined): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  let countryCode: string | undefined;
  const destination = action.Parameters.ThirdPartyPhoneNumber;
  if (typeof destination === 'string') {
    if (destination.startsWith('$.')) {
      parameters.ThirdPartyPhoneNumber = { countryCode: '', useDynamic: true };
    } else {
      const parsed = parseE164(destination);
      countryCode = parsed.ok ? parsed.country : undefined;
      if (countryCode !== undefined) parameters.ThirdPartyPhoneNumber = { countryCode };
    }
  }
  const number = callerIdNumber(action);
  if (number !== undefined && source !== undefined) {
    parameters.CallerId = { Number: source === CallerIdSource.CLAIMED ? { displayName: number, inputOption: source } : { inputOption: source } };
  }
  const metadata: Record<string, unknown> = {};
  if (Object.keys(parameters).length > 0) metadata.parameters = parameters;
  if (countryCode !== undefined) metadata.CountryCode = countryCode.toLowerCase();
  if (number !== undefined && source !== undefined) metadata.callerIdSource = source;
  return metadata;
}

/**
 * The most conditions a Compare gets designer metadata for. Each entry (about 134 characters) is longer than the
 * condition it describes, so on a call-time guard over a large inventory it would more than double the flow and
 * halve the numbers that fit in Connect's 256,000 characters. The exports hold at most 9 conditions on one
 * Compare, so every Compare they show is below this.
 */
export const MAX_CONDITION_METADATA = 20;

/**
 * Exports: `conditions: []` and one `conditionMetadata` entry per condition, in the order of the conditions:
 * `{id, operator: {name, value, shortDisplay}, value}`. The ids are UUIDs in exports; these are UUID-shaped and
 * derived from the action and the condition's place, so a template is the same on every synth.
 *
 * A Compare with more than `MAX_CONDITION_METADATA` conditions gets none: its conditions are only in the flow
 * language, which is what Connect runs. How the designer draws such a block is not verified: no export shows a
 * Compare with a position but no condition metadata (the exports without any are flows deployed with no
 * `Metadata` at all, such as one written into a CloudFormation template).
 */
function compareMetadata(action: FlowAction): Record<string, unknown> {
  const conditions = action.Transitions.Conditions ?? [];
  if (conditions.length > MAX_CONDITION_METADATA) return {};
  const operators = conditions.map((c) => OPERATOR_METADATA[c.Condition.Operator]);
  if (operators.some((o) => o === undefined)) return {};
  return {
    conditions: [],
    conditionMetadata: conditions.map((c, i) => ({
      id: stableUuid(`${action.Identifier}/condition/${i}`),
      operator: { ...operators[i]! },
      value: c.Condition.Operands[0],
    })),
  };
}

/**
 * Exports: a static queue is `parameters.QueueId.displayName` and `queue.text`, both the queue's name; a reference
 * is `parameters.QueueId.useDynamic` and `useDynamic`, both true. (Old-designer exports wrote
 * `{useDynamic: false, queue: {id, text}}` instead; the rest of the generated metadata is the new designer's.)
 */
function workingQueueMetadata(queueId: unknown, queueName: string | undefined): Record<string, unknown> {
  if (typeof queueId === 'string' && queueId.startsWith('$.')) {
    return { parameters: { QueueId: { useDynamic: true } }, useDynamic: true };
  }
  if (queueName === undefined) return {};
  return { parameters: { QueueId: { displayName: queueName } }, queue: { text: queueName } };
}

/** Exports: `dynamicParams` lists the attributes set from a reference, each also `parameters.Attributes.<key>.useDynamic`. */
function attributesMetadata(attributes: unknown): Record<string, unknown> {
  const entries = typeof attributes === 'object' && attributes !== null ? Object.entries(attributes) : [];
  const dynamic = entries.filter(([, v]) => typeof v === 'string' && v.startsWith('$.')).map(([k]) => k);
  if (dynamic.length === 0) return { dynamicParams: [] };
  return {
    parameters: { Attributes: Object.fromEntries(dynamic.map((k) => [k, { useDynamic: true }])) },
    dynamicParams: dynamic,
  };
}

function callerIdNumber(action: FlowAction): string | undefined {
  const callerId = action.Parameters.CallerId;
  if (typeof callerId !== 'object' || callerId === null) return undefined;
  const number = (callerId as Record<string, unknown>).Number;
  return typeof number === 'string' ? number : undefined;
}

/** A UUID-shaped (version 4 layout) identifier derived from `seed`. */
function stableUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
