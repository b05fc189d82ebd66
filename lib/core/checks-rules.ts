import { Severity } from './findings';
import { RuleDefinition } from './rule-definition';

const QUEUE_SCHEMA = 'CloudFormation `AWS::Connect::Queue`';

/**
 * The rules `CallerIdChecks` adds for raw L1 resources (queues' ARNs, flow content it cannot read): the ones only
 * raw resources can break; everything else is judged by the rules every layer shares.
 */
export const CallerIdChecksRules = {
  QUEUE_ARN_FORM: {
    id: 'QUEUE_CALLER_ID_ARN_FORM', severity: Severity.ERROR,
    trigger: 'A queue\'s `OutboundCallerIdNumberArn` that is not a phone-number ARN: the `instance/<id>/phone-number/<id>` form of the old ListPhoneNumbers API, or a number written where the ARN goes.',
    fix: 'Use the `arn:<partition>:connect:<region>:<account>:phone-number/<id>` form (the message gives it when it can be told).',
    source: `${QUEUE_SCHEMA}: OutboundCallerIdNumberArn takes the form ListPhoneNumbersV2 returns; the queue refuses the instance/... form`,
  },
  QUEUE_OUTBOUND_FLOW_WRONG_TYPE: {
    id: 'QUEUE_OUTBOUND_FLOW_WRONG_TYPE', severity: Severity.ERROR,
    trigger: 'A queue\'s `OutboundFlowArn` naming a flow of the app that is not an `OUTBOUND_WHISPER` flow.',
    fix: 'Point OutboundFlowArn at an OUTBOUND_WHISPER flow, whose first block is Call phone number.',
    source: 'Connect flow language reference: CompleteOutboundCall runs only in outbound whisper flows',
  },
  FLOW_CONTENT_UNREADABLE: {
    id: 'FLOW_CONTENT_UNREADABLE', severity: Severity.ERROR,
    trigger: 'A `CfnContactFlow` whose literal `Content` is not a flow: not JSON, not the flow language, or a DescribeContactFlow response.',
    fix: 'Give the flow content itself (for a DescribeContactFlow response, its ContactFlow.Content), or deploy the file with ExportedFlow.',
    source: 'CloudFormation `AWS::Connect::ContactFlow`: Content is the flow language JSON',
  },
  FLOW_CONTENT_DEPLOY_TIME: {
    id: 'FLOW_CONTENT_DEPLOY_TIME', severity: Severity.WARNING,
    trigger: 'A `CfnContactFlow` whose whole `Content` is known only at deploy time (a parameter, an import, an attribute).',
    fix: 'Put the flow in the app (a JSON string, or text with Fn::Sub / Fn::Join for the parts that vary) so its caller IDs can be checked, or acknowledge the warning.',
    source: 'cdk-connect-caller-id',
  },
  INSTANCE_UNKNOWN: {
    id: 'CHECKS_INSTANCE_UNKNOWN', severity: Severity.WARNING,
    trigger: 'A resource of a Connect instance for which CallerIdChecks was given no ClaimedNumbers.',
    fix: 'Add that instance\'s ClaimedNumbers to CallerIdChecks `claimedNumbers`; until then its caller IDs are checked for form only.',
    source: 'cdk-connect-caller-id',
  },
  INSTANCE_AMBIGUOUS: {
    id: 'CHECKS_INSTANCE_AMBIGUOUS', severity: Severity.WARNING,
    trigger: 'A resource whose instance is known only at deploy time, with several ClaimedNumbers to choose from.',
    fix: 'Give the resource the same instance ARN value (or token) as one of the ClaimedNumbers; until then its caller IDs are checked for form only.',
    source: 'cdk-connect-caller-id',
  },
} as const satisfies Record<string, RuleDefinition>;
