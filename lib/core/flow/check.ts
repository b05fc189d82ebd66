import { parseE164 } from '../e164';
import { Finding, Severity } from '../findings';
import { Inventory } from '../inventory';
import {
  CallerIdContext, CallerIdRules, callerIdValueForm, finding, judgeCallerIdName, judgeCallerIdValue, judgeDynamicCallerId,
  judgeDestination, RuleDefinition,
} from '../rules';
import { ActionTypes, ContactFlowType, FlowAction, FlowCondition, FlowDocument } from './model';
import { checkPublishRules } from './publish-rules';
import { reachableFrom, successorsOf, validateFlowStructure } from './structure';

const FLOW_LANGUAGE = 'Connect flow language reference';

/** Rules about where caller-ID actions may stand. */
export const FlowRules = {
  CALL_PHONE_NUMBER_WRONG_TYPE: {
    id: 'FLOW_CALL_PHONE_NUMBER_WRONG_TYPE', severity: Severity.ERROR,
    trigger: 'A Call phone number block (`CompleteOutboundCall`) in a flow that is not an outbound whisper flow.',
    fix: 'Move the block into an OUTBOUND_WHISPER flow and set that flow as the queue\'s outbound whisper flow.',
    source: `${FLOW_LANGUAGE}: CompleteOutboundCall is supported only in outbound whisper flows`,
  },
  PARTICIPANT_BEFORE_CALL: {
    id: 'FLOW_PARTICIPANT_BEFORE_CALL', severity: Severity.ERROR,
    trigger: 'A participant action (e.g. Play prompt) that can run before the Call phone number block.',
    fix: 'Put the Call phone number block first, right after the entry point.',
    source: 'Connect admin guide, "Set up outbound caller ID": the first participant action places the call with the queue\'s caller ID',
  },
  TRANSFER_WRONG_TYPE: {
    id: 'FLOW_TRANSFER_WRONG_TYPE', severity: Severity.ERROR,
    trigger: 'A Transfer to phone number block in a flow type where Connect does not allow it.',
    fix: 'Use it in an inbound (CONTACT_FLOW), CUSTOMER_QUEUE, AGENT_TRANSFER or QUEUE_TRANSFER flow.',
    source: `${FLOW_LANGUAGE}: TransferParticipantToThirdParty`,
  },
} as const satisfies Record<string, RuleDefinition>;

const TRANSFER_FLOW_TYPES: ReadonlySet<string> = new Set([
  ContactFlowType.CONTACT_FLOW, ContactFlowType.CUSTOMER_QUEUE, ContactFlowType.AGENT_TRANSFER, ContactFlowType.QUEUE_TRANSFER,
]);

/** Actions that put audio in front of the participant, placing an outbound call implicitly. */
const PARTICIPANT_ACTIONS: ReadonlySet<string> = new Set([
  ActionTypes.MESSAGE_PARTICIPANT, 'MessageParticipantIteratively', 'GetParticipantInput', 'ConnectParticipantWithLexBot',
]);

export interface FlowCheckOptions {
  readonly type: ContactFlowType;
  /** The instance's claimed numbers; when undefined, claim checks are left to deploy time. */
  readonly inventory?: Inventory;
  /**
   * Tells values known only at deploy time (e.g. CDK tokens inside flow content); those are not judged here.
   * @default - every value is literal
   */
  readonly isDeployTimeValue?: (value: string) => boolean;
  /**
   * The length of the flow content as it will be deployed, when known (`ReadFlow.contentLength`).
   * @default - the length of the flow serialized
   */
  readonly contentLength?: number;
  /**
   * Numbers AWS Support approved as external caller IDs, each with its approval reference: they need not be
   * claimed (the country rules still apply).
   * @default - none: every caller ID must be claimed
   */
  readonly approvedExternalNumbers?: Readonly<Record<string, string>>;
}

/** A caller ID found in a flow. */
export interface FlowCallerIdUse {
  readonly actionId: string;
  readonly actionType: string;
  /** The raw `CallerId.Number`; undefined when the action sets none. */
  readonly value?: string;
}

/** Every action of a flow that places a call, with the caller ID it sets. */
export function callerIdUses(flow: FlowDocument): FlowCallerIdUse[] {
  const uses: FlowCallerIdUse[] = [];
  for (const action of flow.Actions) {
    if (action.Type !== ActionTypes.CALL_PHONE_NUMBER && action.Type !== ActionTypes.TRANSFER_TO_PHONE_NUMBER) continue;
    const number = callerIdNumberOf(action);
    uses.push({ actionId: action.Identifier, actionType: action.Type, ...(number !== undefined ? { value: number } : {}) });
  }
  return uses;
}

/** Whether the flow sets its caller ID from a reference (judged only at call time). */
export function usesDynamicCallerId(flow: FlowDocument): boolean {
  return callerIdUses(flow).some((u) => u.value !== undefined && callerIdValueForm(u.value) !== 'static');
}

/** Applies every flow rule: structure, where caller-ID actions stand, and each caller ID and destination. */
export function checkFlow(flow: FlowDocument, options: FlowCheckOptions): Finding[] {
  const findings = validateFlowStructure(flow, options.contentLength);
  for (const action of flow.Actions) {
    if (action.Type === ActionTypes.CALL_PHONE_NUMBER) findings.push(...checkCallPhoneNumber(flow, action, options));
    if (action.Type === ActionTypes.TRANSFER_TO_PHONE_NUMBER) findings.push(...checkTransfer(flow, action, options));
  }
  findings.push(...checkParticipantBeforeCall(flow));
  findings.push(...checkPublishRules(flow, { type: options.type, isDeployTimeValue: options.isDeployTimeValue }).findings);
  return findings;
}

function checkCallPhoneNumber(flow: FlowDocument, action: FlowAction, options: FlowCheckOptions): Finding[] {
  const findings: Finding[] = [];
  if (options.type !== ContactFlowType.OUTBOUND_WHISPER) {
    findings.push(finding(FlowRules.CALL_PHONE_NUMBER_WRONG_TYPE,
      `Call phone number (CompleteOutboundCall) is in a ${options.type} flow; Connect runs it only in OUTBOUND_WHISPER flows, ` +
      'so its caller ID would never be used. Move it to an outbound whisper flow', action.Identifier));
  }
  const number = callerIdNumberOf(action);
  if (number !== undefined && !options.isDeployTimeValue?.(number)) {
    findings.push(...withAction(judgeCallerId(flow, action, number, CallerIdContext.OUTBOUND_WHISPER, options), action.Identifier));
  }
  return findings;
}

function checkTransfer(flow: FlowDocument, action: FlowAction, options: FlowCheckOptions): Finding[] {
  const findings: Finding[] = [];
  if (!TRANSFER_FLOW_TYPES.has(options.type)) {
    findings.push(finding(FlowRules.TRANSFER_WRONG_TYPE,
      `Transfer to phone number is in a ${options.type} flow; Connect allows it only in ${[...TRANSFER_FLOW_TYPES].join(', ')} flows`,
      action.Identifier));
  }
  const destination = action.Parameters.ThirdPartyPhoneNumber;
  const staticDestination = typeof destination === 'string' && callerIdValueForm(destination) === 'static'
    && !options.isDeployTimeValue?.(destination) ? destination : undefined;
  const rawName = callerIdNameOf(action);
  const name = rawName !== undefined && !options.isDeployTimeValue?.(rawName) ? rawName : undefined;
  const number = callerIdNumberOf(action);
  const context = CallerIdContext.TRANSFER;
  if (number === undefined) {
    findings.push(finding(CallerIdRules.UNSET,
      'Transfer to phone number sets no CallerId.Number: the called party sees an anonymous call or carriers drop it. ' +
      'Set CallerId.Number to a claimed number', action.Identifier));
  }
  const judgedWithNumber = number !== undefined && !options.isDeployTimeValue?.(number) && callerIdValueForm(number) === 'static';
  if (number !== undefined && !options.isDeployTimeValue?.(number)) {
    findings.push(...withAction(judgeCallerId(flow, action, number, context, options, {
      destination: staticDestination,
      callerIdName: judgedWithNumber ? name : undefined,
    }), action.Identifier));
  }
  if (name !== undefined && !judgedWithNumber) {
    findings.push(...withAction(judgeCallerIdName({ name, context, property: 'CallerId.Name' }), action.Identifier));
  }
  if (typeof destination === 'string' && !options.isDeployTimeValue?.(destination)) {
    findings.push(...withAction(judgeDestination(destination, 'ThirdPartyPhoneNumber'), action.Identifier));
  }
  return findings;
}

/** Judges one action's caller ID: a static number by every number rule, a reference by what guards it. */
function judgeCallerId(
  flow: FlowDocument, action: FlowAction, number: string, context: CallerIdContext, options: FlowCheckOptions,
  extra: { readonly destination?: string; readonly callerIdName?: string } = {},
): Finding[] {
  if (callerIdValueForm(number) === 'reference') {
    return judgeDynamicCallerId(number, context, 'CallerId.Number', guardOf(flow, action, number, options));
  }
  const approval = options.approvedExternalNumbers?.[number];
  return judgeCallerIdValue({
    number, context, inventory: options.inventory, property: 'CallerId.Number',
    ...(extra.destination !== undefined ? { destination: extra.destination } : {}),
    ...(extra.callerIdName !== undefined ? { callerIdName: extra.callerIdName, callerIdNameProperty: 'CallerId.Name' } : {}),
    ...(approval !== undefined ? { approvedExternal: { approvalReference: approval } } : {}),
  });
}

/**
 * What guards a dynamic caller ID during the call, as a sentence, or undefined when nothing does. It is guarded
 * when every way from the start to the action goes through an `Equals` branch of a `Compare` on the same
 * reference whose operand is a claimed (or approved) number: only such values reach it.
 */
function guardOf(flow: FlowDocument, action: FlowAction, reference: string, options: FlowCheckOptions): string | undefined {
  const acceptable = (value: string): boolean => {
    if (options.approvedExternalNumbers?.[value] !== undefined) return true;
    return options.inventory ? options.inventory.get(value) !== undefined : parseE164(value).ok;
  };
  const guards = flow.Actions.filter((a) => a.Type === ActionTypes.COMPARE && a.Parameters.ComparisonValue === reference);
  const guardingEdges = new Set<FlowCondition>();
  for (const compare of guards) {
    for (const c of compare.Transitions.Conditions ?? []) {
      if (c.Condition.Operator === 'Equals' && c.Condition.Operands.every(acceptable)) guardingEdges.add(c);
    }
  }
  if (guardingEdges.size === 0) return undefined;
  // Reachable without passing a guarding condition means an unchecked value can get there.
  const byId = new Map(flow.Actions.map((a) => [a.Identifier, a]));
  const unguarded = reachableFrom(byId, [flow.StartAction], (current) => {
    const t = current.Transitions;
    return [
      ...(t.NextAction ? [t.NextAction] : []),
      ...(t.Errors ?? []).map((e) => e.NextAction),
      ...(t.Conditions ?? []).filter((c) => !guardingEdges.has(c)).map((c) => c.NextAction),
    ];
  });
  if (unguarded.has(action.Identifier)) return undefined;
  const names = guards.map((g) => `"${g.Identifier}"`).join(', ');
  return `It is reached only through Compare ${names} on the same reference, which lets through ` +
    `${options.inventory ? 'claimed' : 'E.164'} numbers only; any other value takes the Compare's other branches`;
}

function checkParticipantBeforeCall(flow: FlowDocument): Finding[] {
  const calls = flow.Actions.filter((a) => a.Type === ActionTypes.CALL_PHONE_NUMBER);
  if (calls.length === 0) return [];
  const byId = new Map(flow.Actions.map((a) => [a.Identifier, a]));
  const reachableFromStart = reachableFrom(byId, [flow.StartAction]);
  const findings: Finding[] = [];
  for (const participant of flow.Actions) {
    if (!PARTICIPANT_ACTIONS.has(participant.Type) || !reachableFromStart.has(participant.Identifier)) continue;
    const after = reachableFrom(byId, successorsOf(participant));
    for (const call of calls) {
      if (!after.has(call.Identifier)) continue;
      findings.push(finding(FlowRules.PARTICIPANT_BEFORE_CALL,
        `${participant.Type} "${participant.Identifier}" can run before Call phone number "${call.Identifier}": ` +
        "the prompt places the call with the queue's caller ID and this block's caller ID is lost. " +
        'Put Call phone number first', call.Identifier));
    }
  }
  return findings;
}

function callerIdNumberOf(action: FlowAction): string | undefined {
  const callerId = action.Parameters.CallerId;
  if (typeof callerId !== 'object' || callerId === null) return undefined;
  const number = (callerId as Record<string, unknown>).Number;
  return typeof number === 'string' && number.length > 0 ? number : undefined;
}

function callerIdNameOf(action: FlowAction): string | undefined {
  const callerId = action.Parameters.CallerId;
  if (typeof callerId !== 'object' || callerId === null) return undefined;
  const name = (callerId as Record<string, unknown>).Name;
  return typeof name === 'string' && name.length > 0 ? name : undefined;
}

function withAction(findings: Finding[], actionId: string): Finding[] {
  return findings.map((f) => ({ ...f, actionId }));
}
