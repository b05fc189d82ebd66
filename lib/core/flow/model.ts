/**
 * The Amazon Connect flow language (the `Content` of `AWS::Connect::ContactFlow`), as the console exports it.
 * Parameter values are strings, as in real exports (`"30"`, `"True"`).
 */

export const FLOW_LANGUAGE_VERSION = '2019-10-30';
/** Connect refuses flows with more actions than this. */
export const MAX_FLOW_ACTIONS = 250;
/** Connect refuses flow content longer than this many characters. */
export const MAX_FLOW_CONTENT_LENGTH = 256_000;

/** `AWS::Connect::ContactFlow` `Type`. */
export enum ContactFlowType {
  CONTACT_FLOW = 'CONTACT_FLOW',
  CUSTOMER_QUEUE = 'CUSTOMER_QUEUE',
  CUSTOMER_HOLD = 'CUSTOMER_HOLD',
  CUSTOMER_WHISPER = 'CUSTOMER_WHISPER',
  AGENT_HOLD = 'AGENT_HOLD',
  AGENT_WHISPER = 'AGENT_WHISPER',
  OUTBOUND_WHISPER = 'OUTBOUND_WHISPER',
  AGENT_TRANSFER = 'AGENT_TRANSFER',
  QUEUE_TRANSFER = 'QUEUE_TRANSFER',
  CAMPAIGN = 'CAMPAIGN',
}

/** The console's `Metadata.type` names for each flow type, as found in exports. */
export const METADATA_TYPE_NAMES: Readonly<Record<ContactFlowType, string>> = {
  [ContactFlowType.CONTACT_FLOW]: 'contactFlow',
  [ContactFlowType.CUSTOMER_QUEUE]: 'customerQueue',
  [ContactFlowType.CUSTOMER_HOLD]: 'customerHold',
  [ContactFlowType.CUSTOMER_WHISPER]: 'customerWhisper',
  [ContactFlowType.AGENT_HOLD]: 'agentHold',
  [ContactFlowType.AGENT_WHISPER]: 'agentWhisper',
  [ContactFlowType.OUTBOUND_WHISPER]: 'outboundWhisper',
  [ContactFlowType.AGENT_TRANSFER]: 'agentTransfer',
  [ContactFlowType.QUEUE_TRANSFER]: 'queueTransfer',
  [ContactFlowType.CAMPAIGN]: 'campaign',
};

export type ConditionOperator =
  | 'Equals'
  | 'TextStartsWith'
  | 'TextEndsWith'
  | 'TextContains'
  | 'NumberGreaterThan'
  | 'NumberGreaterOrEqualTo'
  | 'NumberLessThan'
  | 'NumberLessOrEqualTo';

export interface FlowCondition {
  readonly NextAction: string;
  readonly Condition: { readonly Operator: ConditionOperator; readonly Operands: string[] };
}

export interface FlowError {
  readonly NextAction: string;
  readonly ErrorType: string;
}

export interface FlowTransitions {
  readonly NextAction?: string;
  readonly Errors?: FlowError[];
  readonly Conditions?: FlowCondition[];
}

export interface FlowAction {
  readonly Identifier: string;
  readonly Type: string;
  readonly Parameters: Record<string, unknown>;
  readonly Transitions: FlowTransitions;
}

export interface FlowDocument {
  readonly Version: string;
  readonly StartAction: string;
  readonly Metadata?: Record<string, unknown>;
  readonly Actions: FlowAction[];
}

/** The action types this library reasons about. Others pass through the reader untouched. */
export const ActionTypes = {
  TRANSFER_TO_PHONE_NUMBER: 'TransferParticipantToThirdParty',
  CALL_PHONE_NUMBER: 'CompleteOutboundCall',
  CHECK_CALL_PROGRESS: 'CheckOutboundCallStatus',
  COMPARE: 'Compare',
  SET_CONTACT_ATTRIBUTES: 'UpdateContactAttributes',
  MESSAGE_PARTICIPANT: 'MessageParticipant',
  DISCONNECT: 'DisconnectParticipant',
  END_FLOW: 'EndFlowExecution',
  END_FLOW_MODULE: 'EndFlowModuleExecution',
  SET_WORKING_QUEUE: 'UpdateContactTargetQueue',
  TRANSFER_TO_QUEUE: 'TransferContactToQueue',
  TRANSFER_TO_FLOW: 'TransferToFlow',
  SET_FLOW_ATTRIBUTES: 'UpdateFlowAttributes',
  INVOKE_LAMBDA: 'InvokeLambdaFunction',
  INVOKE_FLOW_MODULE: 'InvokeFlowModule',
} as const;
