import { Finding, Severity } from '../findings';
import { Inventory } from '../inventory';
import {
  CallerIdContext, CallerIdRules, callerIdValueForm, finding, judgeCallerIdValue, judgeStaticDestination, RuleDefinition,
} from '../rules';
import { ActionTypes, ContactFlowType, FlowAction, FlowDocument } from './model';
import { validateFlowStructure } from './structure';

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
  const findings = validateFlowStructure(flow);
  for (const action of flow.Actions) {
    if (action.Type === ActionTypes.CALL_PHONE_NUMBER) findings.push(...checkCallPhoneNumber(action, options));
    if (action.Type === ActionTypes.TRANSFER_TO_PHONE_NUMBER) findings.push(...checkTransfer(action, options));
  }
  findings.push(...checkParticipantBeforeCall(flow));
  return findings;
}

function checkCallPhoneNumber(action: FlowAction, options: FlowCheckOptions): Finding[] {
  const findings: Finding[] = [];
  if (options.type !== ContactFlowType.OUTBOUND_WHISPER) {
    findings.push(finding(FlowRules.CALL_PHONE_NUMBER_WRONG_TYPE,
      `Call phone number (CompleteOutboundCall) is in a ${options.type} flow; Connect runs it only in OUTBOUND_WHISPER flows, ` +
      'so its caller ID would never be used. Move it to an outbound whisper flow', action.Identifier));
  }
  const number = callerIdNumberOf(action);
  if (number !== undefined && !options.isDeployTimeValue?.(number)) {
    findings.push(...withAction(judgeCallerIdValue({
      number, context: CallerIdContext.OUTBOUND_WHISPER, inventory: options.inventory, property: 'CallerId.Number',
    }), action.Identifier));
  }
  return findings;
}

function checkTransfer(action: FlowAction, options: FlowCheckOptions): Finding[] {
  const findings: Finding[] = [];
  if (!TRANSFER_FLOW_TYPES.has(options.type)) {
    findings.push(finding(FlowRules.TRANSFER_WRONG_TYPE,
      `Transfer to phone number is in a ${options.type} flow; Connect allows it only in ${[...TRANSFER_FLOW_TYPES].join(', ')} flows`,
      action.Identifier));
  }
  const number = callerIdNumberOf(action);
  if (number === undefined) {
    findings.push(finding(CallerIdRules.UNSET,
      'Transfer to phone number sets no CallerId.Number: the called party sees an anonymous call or carriers drop it. ' +
      'Set CallerId.Number to a claimed number', action.Identifier));
  } else if (!options.isDeployTimeValue?.(number)) {
    findings.push(...withAction(judgeCallerIdValue({
      number, context: CallerIdContext.TRANSFER, inventory: options.inventory, property: 'CallerId.Number',
    }), action.Identifier));
  }
  const destination = action.Parameters.ThirdPartyPhoneNumber;
  if (typeof destination === 'string' && callerIdValueForm(destination) === 'static' && !options.isDeployTimeValue?.(destination)) {
    findings.push(...withAction(judgeStaticDestination(destination, 'ThirdPartyPhoneNumber'), action.Identifier));
  }
  return findings;
}

function checkParticipantBeforeCall(flow: FlowDocument): Finding[] {
  const calls = flow.Actions.filter((a) => a.Type === ActionTypes.CALL_PHONE_NUMBER);
  if (calls.length === 0) return [];
  const byId = new Map(flow.Actions.map((a) => [a.Identifier, a]));
  const reachableFromStart = reachable(byId, [flow.StartAction]);
  const findings: Finding[] = [];
  for (const participant of flow.Actions) {
    if (!PARTICIPANT_ACTIONS.has(participant.Type) || !reachableFromStart.has(participant.Identifier)) continue;
    const after = reachable(byId, successors(participant));
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

function reachable(byId: ReadonlyMap<string, FlowAction>, from: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    const action = byId.get(id);
    if (!action) continue;
    seen.add(id);
    stack.push(...successors(action));
  }
  return seen;
}

function successors(action: FlowAction): string[] {
  const t = action.Transitions;
  return [
    ...(t.NextAction ? [t.NextAction] : []),
    ...(t.Errors ?? []).map((e) => e.NextAction),
    ...(t.Conditions ?? []).map((c) => c.NextAction),
  ];
}

function callerIdNumberOf(action: FlowAction): string | undefined {
  const callerId = action.Parameters.CallerId;
  if (typeof callerId !== 'object' || callerId === null) return undefined;
  const number = (callerId as Record<string, unknown>).Number;
  return typeof number === 'string' && number.length > 0 ? number : undefined;
}

function withAction(findings: Finding[], actionId: string): Finding[] {
  return findings.map((f) => ({ ...f, actionId }));
}
