// Generated from the rule catalogue (ALL_RULES) by scripts/render-rule-ids.js; test/rule-id.test.ts keeps it equal.

/** The id of every rule of the catalogue, as findings and acknowledgements name them. */
export enum RuleId {
  /** A caller ID number not written in E.164 (`03-6800-1234`, `+81 3 6800 1234`, `+4402071838750`, `ap-northeast-1`). */
  CALLER_ID_NOT_E164 = 'CALLER_ID_NOT_E164',
  /** A caller ID in E.164 shape that is not a valid number (wrong length, unassigned range). */
  CALLER_ID_INVALID_NUMBER = 'CALLER_ID_INVALID_NUMBER',
  /** A caller ID number that is not claimed by (or ported to) the instance. */
  CALLER_ID_NOT_CLAIMED = 'CALLER_ID_NOT_CLAIMED',
  /** A transfer to a phone number with no `CallerId.Number` where the called party gets an anonymous call or carriers block it: the instance (by its Region, else its numbers) or the static destination is in Japan, Australia or the United Kingdom. Also `CallerId.passThrough()` on an outbound whisper flow, where it means nothing. */
  CALLER_ID_UNSET = 'CALLER_ID_UNSET',
  /** A transfer to a phone number with no `CallerId.Number` (`CallerId.Name` alone included) outside the countries of `CALLER_ID_UNSET`: Connect passes the original caller's number on. */
  CALLER_ID_PASS_THROUGH = 'CALLER_ID_PASS_THROUGH',
  /** A caller ID taken from `$.CustomerEndpoint.Address`: the customer's own number, never claimed by the instance. */
  CALLER_ID_CUSTOMER_NUMBER = 'CALLER_ID_CUSTOMER_NUMBER',
  /** A dynamic caller ID that is not one single JSONPath reference (e.g. text mixed with `$.Attributes.x`). */
  CALLER_ID_INVALID_REFERENCE = 'CALLER_ID_INVALID_REFERENCE',
  /** A queue used for outbound calls with no outbound caller ID number. */
  QUEUE_CALLER_ID_UNSET = 'QUEUE_CALLER_ID_UNSET',
  /** A queue caller ID number whose phone-number ARN is not known: no ARN in the inventory and the deploy-time check turned off. */
  QUEUE_CALLER_ID_ARN_UNKNOWN = 'QUEUE_CALLER_ID_ARN_UNKNOWN',
  /** An outbound whisper flow with a dynamic caller ID, used by a queue with no caller ID number. */
  WHISPER_DYNAMIC_CALLER_ID_QUEUE_UNSET = 'WHISPER_DYNAMIC_CALLER_ID_QUEUE_UNSET',
  /** A static transfer destination that is not a valid E.164 number. */
  DESTINATION_NOT_E164 = 'DESTINATION_NOT_E164',
  /** A dynamic transfer destination that is not one single JSONPath reference (e.g. text mixed with `$.Attributes.x`). */
  DESTINATION_INVALID_REFERENCE = 'DESTINATION_INVALID_REFERENCE',
  /** A caller ID taken from a reference (`$.Attributes.x`, `$.External.x`, ...): its claim, country and type are known only during the call. The message says what guards it. */
  CALLER_ID_DYNAMIC = 'CALLER_ID_DYNAMIC',
  /** A caller ID name longer than 15 characters where CNAM applies (a queue). */
  CALLER_ID_NAME_TOO_LONG = 'CALLER_ID_NAME_TOO_LONG',
  /** A caller ID name containing a reserved SIP character: `; / ? : @ & = + $ ,`. */
  CALLER_ID_NAME_RESERVED_CHARACTERS = 'CALLER_ID_NAME_RESERVED_CHARACTERS',
  /** A caller ID name where CNAM does not apply: `CallerId.Name` on a transfer, or a queue name whose outbound whisper flow sets its own caller ID. */
  CALLER_ID_NAME_NOT_SHOWN = 'CALLER_ID_NAME_NOT_SHOWN',
  /** An Australian caller ID that is not a DID provided by Amazon Connect (toll-free, shared-cost, third-party or external). */
  CALLER_ID_AU_DID_ONLY = 'CALLER_ID_AU_DID_ONLY',
  /** A caller ID starting +44 870. */
  CALLER_ID_UK_870 = 'CALLER_ID_UK_870',
  /** A UIFN (+800) caller ID. */
  CALLER_ID_UIFN_NO_OUTBOUND = 'CALLER_ID_UIFN_NO_OUTBOUND',
  /** A toll-free caller ID on a call to a static destination in another country. */
  CALLER_ID_TOLL_FREE_INTERNATIONAL = 'CALLER_ID_TOLL_FREE_INTERNATIONAL',
  /** A US toll-free caller ID on a call to a US toll-free destination. */
  CALLER_ID_US_TOLL_FREE_TO_TOLL_FREE = 'CALLER_ID_US_TOLL_FREE_TO_TOLL_FREE',
  /** An approved external caller ID in a country without custom caller ID support (JP). */
  CALLER_ID_EXTERNAL_NOT_SUPPORTED = 'CALLER_ID_EXTERNAL_NOT_SUPPORTED',
  /** A queue caller ID name whose number is outside the CNAM area: not an Amazon Connect number of the 50 US states, Puerto Rico or the US Virgin Islands (Canadian numbers included). */
  CALLER_ID_NAME_NO_CNAM = 'CALLER_ID_NAME_NO_CNAM',
  /** A Call phone number block (`CompleteOutboundCall`) in a flow that is not an outbound whisper flow. */
  FLOW_CALL_PHONE_NUMBER_WRONG_TYPE = 'FLOW_CALL_PHONE_NUMBER_WRONG_TYPE',
  /** A participant action (e.g. Play prompt) that can run before the Call phone number block. */
  FLOW_PARTICIPANT_BEFORE_CALL = 'FLOW_PARTICIPANT_BEFORE_CALL',
  /** A Transfer to phone number block in a flow type where Connect does not allow it. */
  FLOW_TRANSFER_WRONG_TYPE = 'FLOW_TRANSFER_WRONG_TYPE',
  /** A caller ID number or name or a transfer destination that is not a JSON string (a number, `null`, `true`, an object), or a `CallerId` that is not an object. */
  FLOW_VALUE_NOT_STRING = 'FLOW_VALUE_NOT_STRING',
  /** In a file `check` reads, a caller ID or destination holding a template placeholder (`${var}`, `{{name}}`, `%NAME%`) that a deployment tool fills in: the value is not judged. One warning per file. */
  FLOW_TEMPLATE_PLACEHOLDER = 'FLOW_TEMPLATE_PLACEHOLDER',
  /** In flow content an app deploys (`ExportedFlow`, a `CfnContactFlow` that `CallerIdChecks` judges), a caller ID or destination holding a template placeholder (`${var}`, `{{name}}`, `%NAME%`): nothing fills it in after synth, so Connect receives it as written. One error per flow. */
  FLOW_TEMPLATE_PLACEHOLDER_DEPLOYED = 'FLOW_TEMPLATE_PLACEHOLDER_DEPLOYED',
  /** A file that states no flow type and holds a Call phone number block (outbound whisper only), checked with another default type (`--type`). The rules use the type the content shows. (A flow module is not a flow of any type, so the default never applies to one.) */
  FLOW_DEFAULT_TYPE_CONTRADICTED = 'FLOW_DEFAULT_TYPE_CONTRADICTED',
  /** A draft export (`Metadata.status` "SAVED", or an empty `StartAction`) with problems that Connect rejects when the flow is published: all of them in one finding, with the count per rule and the first actions. */
  FLOW_DRAFT_UNPUBLISHABLE = 'FLOW_DRAFT_UNPUBLISHABLE',
  /** A flow whose `Version` is not `2019-10-30`. */
  FLOW_VERSION = 'FLOW_VERSION',
  /** A flow with no actions, or whose `StartAction` names no action of the flow. */
  FLOW_START_ACTION = 'FLOW_START_ACTION',
  /** Two actions with the same `Identifier`. */
  FLOW_DUPLICATE_IDENTIFIER = 'FLOW_DUPLICATE_IDENTIFIER',
  /** An action `Identifier` that is empty, over 50 characters, contains one of `% : ( \ / ) = $ , ; [ ] { }` or is a reserved word. */
  FLOW_INVALID_IDENTIFIER = 'FLOW_INVALID_IDENTIFIER',
  /** A transition whose `NextAction` is not an action of the flow. */
  FLOW_DANGLING_TRANSITION = 'FLOW_DANGLING_TRANSITION',
  /** A flow with more than 250 actions. */
  FLOW_TOO_MANY_ACTIONS = 'FLOW_TOO_MANY_ACTIONS',
  /** Flow content over 256,000 characters. */
  FLOW_CONTENT_TOO_LONG = 'FLOW_CONTENT_TOO_LONG',
  /** A generated action without a branch for one of the errors Connect requires it to handle. */
  FLOW_UNHANDLED_ERROR = 'FLOW_UNHANDLED_ERROR',
  /** A generated Disconnect or End flow action with transitions. */
  FLOW_TERMINAL_WITH_TRANSITIONS = 'FLOW_TERMINAL_WITH_TRANSITIONS',
  /** A Disconnect block (`DisconnectParticipant`) in a whisper or hold flow. */
  FLOW_DISCONNECT_WRONG_TYPE = 'FLOW_DISCONNECT_WRONG_TYPE',
  /** An End flow / Resume block (`EndFlowExecution`) in an inbound, hold, agent-transfer or queue-transfer flow. */
  FLOW_END_FLOW_WRONG_TYPE = 'FLOW_END_FLOW_WRONG_TYPE',
  /** A Transfer to phone number block with `CallFailed` or `ConnectionTimeLimitExceeded` branches while `ContinueFlowExecution` is not `"True"`. */
  FLOW_TRANSFER_FAILURE_BRANCH_NOT_CONTINUING = 'FLOW_TRANSFER_FAILURE_BRANCH_NOT_CONTINUING',
  /** A Transfer to phone number block with `CallFailed` or `ConnectionTimeLimitExceeded` branches in an `AGENT_TRANSFER` flow. */
  FLOW_TRANSFER_FAILURE_BRANCH_AGENT_TRANSFER = 'FLOW_TRANSFER_FAILURE_BRANCH_AGENT_TRANSFER',
  /** A Transfer to phone number block without `ContinueFlowExecution` or `ThirdPartyConnectionTimeLimitSeconds`. */
  FLOW_TRANSFER_PARAMETER_MISSING = 'FLOW_TRANSFER_PARAMETER_MISSING',
  /** An empty string as an action's parameter, or as a member of an object in its `Parameters` (at any depth; values inside arrays are not judged). */
  FLOW_EMPTY_PARAMETER = 'FLOW_EMPTY_PARAMETER',
  /** A Check contact attributes (`Compare`) condition whose operand is an empty string. */
  FLOW_EMPTY_CONDITION_OPERAND = 'FLOW_EMPTY_CONDITION_OPERAND',
  /** A Check contact attributes (`Compare`) block whose `ComparisonValue` is not a JSONPath ending in a value: a literal, or a namespace alone such as `$.External`. */
  FLOW_COMPARISON_VALUE_NOT_PATH = 'FLOW_COMPARISON_VALUE_NOT_PATH',
  /** An action that does not end the flow and has no `NextAction`. */
  FLOW_MISSING_NEXT_ACTION = 'FLOW_MISSING_NEXT_ACTION',
  /** Answering machine detection is on, but the campaign's flow never runs a Check call progress block. */
  CAMPAIGN_DETECTION_NOT_CHECKED = 'CAMPAIGN_DETECTION_NOT_CHECKED',
  /** The campaign's flow branches on Check call progress, but the campaign has answering machine detection off. */
  CAMPAIGN_CALL_PROGRESS_WITHOUT_DETECTION = 'CAMPAIGN_CALL_PROGRESS_WITHOUT_DETECTION',
  /** A voicemail branch plays a message while the campaign does not wait for the greeting to end (`awaitPrompt` off). */
  CAMPAIGN_VOICEMAIL_MESSAGE_OVER_GREETING = 'CAMPAIGN_VOICEMAIL_MESSAGE_OVER_GREETING',
  /** An agentless campaign whose flow transfers the call to a queue. */
  CAMPAIGN_AGENTLESS_QUEUE_TRANSFER = 'CAMPAIGN_AGENTLESS_QUEUE_TRANSFER',
  /** A campaign whose queue is not an `OutboundQueue` of the app, so the queue's own caller ID number, which customers may see, is not checked. */
  CAMPAIGN_QUEUE_CALLER_ID_UNCHECKED = 'CAMPAIGN_QUEUE_CALLER_ID_UNCHECKED',
  /** A queue's `OutboundCallerIdNumberArn` that is not a phone-number ARN: the `instance/<id>/phone-number/<id>` form of the old ListPhoneNumbers API, or a number written where the ARN goes. */
  QUEUE_CALLER_ID_ARN_FORM = 'QUEUE_CALLER_ID_ARN_FORM',
  /** A queue's `OutboundFlowArn` naming a flow of the app that is not an `OUTBOUND_WHISPER` flow. */
  QUEUE_OUTBOUND_FLOW_WRONG_TYPE = 'QUEUE_OUTBOUND_FLOW_WRONG_TYPE',
  /** A `CfnContactFlow` whose literal `Content` is not a flow: not JSON, not the flow language, or a DescribeContactFlow response. */
  FLOW_CONTENT_UNREADABLE = 'FLOW_CONTENT_UNREADABLE',
  /** A `CfnContactFlow` whose whole `Content` is known only at deploy time (a parameter, an import, an attribute). */
  FLOW_CONTENT_DEPLOY_TIME = 'FLOW_CONTENT_DEPLOY_TIME',
  /** A resource of a Connect instance for which CallerIdChecks was given no ClaimedNumbers. */
  CHECKS_INSTANCE_UNKNOWN = 'CHECKS_INSTANCE_UNKNOWN',
  /** A resource whose instance is known only at deploy time, with several ClaimedNumbers to choose from. */
  CHECKS_INSTANCE_AMBIGUOUS = 'CHECKS_INSTANCE_AMBIGUOUS',
  /** `ClaimedNumbers.fromLookup` finds no inventory for the instance in `cdk.context.json`, or an unreadable one, or the CDK CLI plugin could not look it up. */
  INVENTORY_MISSING = 'INVENTORY_MISSING',
  /** A `claimNumber` whose description matches a number the inventory lists, but whose country, type or prefix that number does not have: those properties cannot change in place, so the deployment claims a new number in its place. */
  CLAIM_REPLACED = 'CLAIM_REPLACED',
  /** The inventory lists a number described `Claimed by <path>` for a path under the stack where the stack now has no claim: a claim renamed or moved without a pinned `logicalId` gets a new logical id, so the deployment claims a new number and the old claim leaves the stack. */
  CLAIM_MOVED = 'CLAIM_MOVED',
  /** A traffic distribution group ARN where CloudFormation takes an instance ARN (a queue's or flow's `InstanceArn`, a campaign's instance). */
  INSTANCE_ARN_IS_TRAFFIC_DISTRIBUTION_GROUP = 'INSTANCE_ARN_IS_TRAFFIC_DISTRIBUTION_GROUP',
  /** The flows this library generates in one stack hold more `Content` than CloudFormation accepts in a whole template (1,000,000 bytes), usually call-time guards over a large inventory, one condition per claimed number in every flow. */
  STACK_TEMPLATE_TOO_LARGE = 'STACK_TEMPLATE_TOO_LARGE',
  /** A stack with more resources than CloudFormation accepts (500, or the `@aws-cdk/core:stackResourceLimit` context value). */
  STACK_TOO_MANY_RESOURCES = 'STACK_TOO_MANY_RESOURCES',
}
