import { CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { CallerId } from '../lib/constructs/caller-id';
import { CallProgressFlow, CallProgressFlowProps, CallProgressStep } from '../lib/constructs/call-progress-flow';
import { ConnectQueue, IConnectQueue } from '../lib/constructs/connect-queue';
import { ClaimedNumbers } from '../lib/constructs/claimed-numbers';
import { DiallingMode, OutboundCampaign, OutboundCampaignProps, PreviewAgentAction } from '../lib/constructs/outbound-campaign';
import { OutboundQueue } from '../lib/constructs/outbound-queue';
import {
  CallProgressOutcome, campaignFlowFacts, CampaignRules, checkCampaignFlow, DiallingModeKind,
} from '../lib/core/campaign-rules';
import { FlowAction, FlowDocument } from '../lib/core/flow/model';
import { PhoneNumberType } from '../lib/core/inventory';
import { checkOf, usesOf } from './support/checks';
import { errorsOf, HOURS_ARN, INSTANCE_ARN, stackWithInventory, warningsOf } from './support/stacks';

const INSTANCE_ID = '7c4e1f0a-5d2b-4c8e-9a61-3f2d8b7e6a10';
const QUEUE_ID = '1d2c3b4a-5f6e-4789-8a9b-0c1d2e3f4a5b';
const QUEUE_ARN = `${INSTANCE_ARN}/queue/${QUEUE_ID}`;
const FLOW_ID = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const FLOW_ARN = `${INSTANCE_ARN}/contact-flow/${FLOW_ID}`;

type CampaignOverrides = Partial<OutboundCampaignProps> & { flow?: Partial<CallProgressFlowProps> };

/** A stack with an imported queue, a call-progress flow and a campaign; every part can be overridden. */
function build(overrides: CampaignOverrides = {}): { stack: Stack; campaign: OutboundCampaign; flow: CallProgressFlow; queue: IConnectQueue } {
  const { stack, numbers } = stackWithInventory();
  const queue = ConnectQueue.fromQueueArn(stack, 'SalesQueue', QUEUE_ARN);
  const { flow: flowOverrides, ...campaignOverrides } = overrides;
  const flow = new CallProgressFlow(stack, 'Flow', {
    claimedNumbers: numbers,
    name: 'Campaign call progress',
    callAnswered: CallProgressStep.transferToQueue(queue),
    voicemailBeep: CallProgressStep.playMessageAndDisconnect('We will call you again.'),
    voicemailNoBeep: CallProgressStep.disconnect(),
    notDetected: CallProgressStep.transferToQueue(queue),
    ...flowOverrides,
  });
  const campaign = new OutboundCampaign(stack, 'Campaign', {
    claimedNumbers: numbers,
    name: 'Renewals',
    sourceCallerId: CallerId.fromNumber('+81368001234'),
    mode: DiallingMode.progressive({ bandwidthAllocation: 0.5 }),
    queue,
    contactFlow: flow,
    answerMachineDetection: { enabled: true, awaitPrompt: true },
    ...campaignOverrides,
  });
  if (campaignOverrides.queue === undefined) {
    // What a user with a queue from another stack does once that stack is checked on its own.
    CallerId.acknowledgeWarning(campaign, 'CAMPAIGN_QUEUE_CALLER_ID_UNCHECKED', 'the queue is defined and checked in the telephony stack');
  }
  return { stack, campaign, flow, queue };
}

const ruleIds = (messages: { message: string }[]): string[] => messages.map((m) => m.message.match(/\[(\w+)\]/)![1]);
const action = (flow: FlowDocument, id: string | undefined): FlowAction => flow.Actions.find((a) => a.Identifier === id)!;

describe('OutboundCampaign template', () => {
  test('GIVEN a progressive campaign with detection WHEN synthesized THEN instance, queue and flow ids, source number, detection and ring timeout are set', () => {
    const { stack } = build({ ringTimeout: Duration.seconds(30), capacity: 0.5 });

    expect(errorsOf(stack)).toEqual([]);
    expect(warningsOf(stack)).toEqual([]);
    Template.fromStack(stack).hasResourceProperties('AWS::ConnectCampaignsV2::Campaign', {
      Name: 'Renewals',
      ConnectInstanceId: INSTANCE_ID,
      ChannelSubtypeConfig: {
        Telephony: {
          Capacity: 0.5,
          ConnectQueueId: QUEUE_ID,
          OutboundMode: { ProgressiveConfig: { BandwidthAllocation: 0.5 } },
          DefaultOutboundConfig: {
            ConnectContactFlowId: { 'Fn::Select': [3, { 'Fn::Split': ['/', { 'Fn::GetAtt': [Match.stringLikeRegexp('^Flow'), 'ContactFlowArn'] }] }] },
            ConnectSourcePhoneNumber: '+81368001234',
            AnswerMachineDetectionConfig: { EnableAnswerMachineDetection: true, AwaitAnswerMachinePrompt: true },
            RingTimeout: 30,
          },
        },
      },
      Tags: [{ Key: 'owner', Value: INSTANCE_ARN }],
    });
  });

  test.each<[string, DiallingMode, object]>([
    ['predictive', DiallingMode.predictive({ bandwidthAllocation: 0.8 }), { PredictiveConfig: { BandwidthAllocation: 0.8 } }],
    ['progressive, default bandwidth', DiallingMode.progressive(), { ProgressiveConfig: { BandwidthAllocation: 1 } }],
    ['preview', DiallingMode.preview({ timeout: Duration.seconds(30), agentActions: [PreviewAgentAction.DISCARD] }),
      { PreviewConfig: { BandwidthAllocation: 1, TimeoutConfig: { DurationInSeconds: 30 }, AgentActions: ['DISCARD'] } }],
  ])('GIVEN the %s mode THEN OutboundMode holds its config', (_name, mode, outboundMode) => {
    const { stack } = build({ mode });
    Template.fromStack(stack).hasResourceProperties('AWS::ConnectCampaignsV2::Campaign', {
      ChannelSubtypeConfig: { Telephony: { OutboundMode: Match.exact(outboundMode), DefaultOutboundConfig: { RingTimeout: Match.absent() } } },
    });
  });

  test('GIVEN the agentless mode THEN AgentlessConfig is set and no queue is named', () => {
    const { stack } = build({
      mode: DiallingMode.agentless(), queue: undefined,
      flow: { callAnswered: CallProgressStep.playMessageAndDisconnect('Your order has shipped.'), notDetected: CallProgressStep.disconnect() },
    });
    expect(errorsOf(stack)).toEqual([]);
    Template.fromStack(stack).hasResourceProperties('AWS::ConnectCampaignsV2::Campaign', {
      ChannelSubtypeConfig: { Telephony: { OutboundMode: { AgentlessConfig: {} }, ConnectQueueId: Match.absent() } },
    });
  });

  test('GIVEN no answerMachineDetection and a flow without Check call progress THEN no detection config is emitted', () => {
    const { stack, numbers } = stackWithInventory();
    const flow = CallProgressFlow.fromFlowArn(stack, 'Imported', FLOW_ARN);
    new OutboundCampaign(stack, 'Campaign', {
      claimedNumbers: numbers, name: 'Plain', sourceCallerId: CallerId.fromNumber('+81368001235'),
      mode: DiallingMode.agentless(), contactFlow: flow,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ConnectCampaignsV2::Campaign', {
      ChannelSubtypeConfig: {
        Telephony: { DefaultOutboundConfig: { ConnectContactFlowId: FLOW_ID, AnswerMachineDetectionConfig: Match.absent() } },
      },
    });
  });

  test('GIVEN the queue and instance ARNs as tokens THEN their ids are cut from the ARNs by CloudFormation', () => {
    const { stack } = stackWithInventory();
    const instanceArn = new CfnParameter(stack, 'InstanceArn').valueAsString;
    const numbers = ClaimedNumbers.fromNumbers(stack, 'Declared', { instanceArn, numbers: [{ number: '+81368001234', type: PhoneNumberType.DID }] });
    const queue = new OutboundQueue(stack, 'Queue', {
      claimedNumbers: numbers, name: 'Q', hoursOfOperationArn: HOURS_ARN, callerIdNumber: CallerId.fromNumber('+81368001234'),
    });
    new OutboundCampaign(stack, 'Campaign', {
      claimedNumbers: numbers, name: 'C', sourceCallerId: CallerId.fromNumber('+81368001234'), mode: DiallingMode.predictive(), queue,
      contactFlow: CallProgressFlow.fromFlowArn(stack, 'Imported', FLOW_ARN),
    });
    expect(errorsOf(stack)).toEqual([]);
    Template.fromStack(stack).hasResourceProperties('AWS::ConnectCampaignsV2::Campaign', {
      ConnectInstanceId: { 'Fn::Select': [1, { 'Fn::Split': ['/', { Ref: 'InstanceArn' }] }] },
      ChannelSubtypeConfig: {
        Telephony: { ConnectQueueId: { 'Fn::Select': [3, { 'Fn::Split': ['/', { 'Fn::GetAtt': [Match.stringLikeRegexp('^Queue'), 'QueueArn'] }] }] } },
      },
    });
  });

  test('a traffic distribution group is refused where the campaign\'s instance goes, with the fix', () => {
    const { stack } = stackWithInventory();
    const tdg = 'arn:aws:connect:ap-northeast-1:123456789012:traffic-distribution-group/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
    expect(() => ClaimedNumbers.fromNumbers(stack, 'Tdg', { instanceArn: tdg, numbers: [{ number: '+81368001234', type: PhoneNumberType.DID }] }))
      .toThrow(/Centre\/Tdg: instanceArn .*traffic-distribution-group.* is a traffic distribution group ARN, but queues, flows and campaigns take the instance ARN[\s\S]*trafficDistributionGroupArns/);
  });
});

describe('OutboundCampaign source caller ID', () => {
  test.each([
    ['+81368001299', 'CALLER_ID_NOT_CLAIMED', 'sourceCallerId +81368001299 is not claimed'],
    ['03-6800-1234', 'CALLER_ID_NOT_E164', 'did you mean +81368001234?'],
    ['ap-northeast-1', 'CALLER_ID_NOT_E164', 'sourceCallerId "ap-northeast-1" is refused'],
  ])('GIVEN source number %s THEN synth reports %s on the campaign', (number, ruleId, text) => {
    const { stack } = build({ sourceCallerId: CallerId.fromNumber(number) });
    const errors = errorsOf(stack);
    expect(errors.map((e) => e.path)).toEqual(['/Centre/Campaign']);
    expect(errors[0].message).toContain(`[${ruleId}]`);
    expect(errors[0].message).toContain(text);
  });

  test('a reference is refused: the source number must be fixed before the call', () => {
    expect(() => build({ sourceCallerId: CallerId.fromAttribute('callerId') }))
      .toThrow(/Centre\/Campaign: sourceCallerId must be a number fixed before the call .*got \$\.Attributes\.callerId/);
  });

  test('GIVEN a static number THEN it is registered with the deploy-time check and the campaign waits for it', () => {
    const { stack } = build();
    const template = Template.fromStack(stack);
    const [checkId] = Object.keys(template.findResources('Custom::ConnectCallerIdCheck'));
    expect(usesOf(checkOf(stack).properties)).toEqual([['+81368001234', 'Centre/Campaign', 'campaign']]);
    template.hasResource('AWS::ConnectCampaignsV2::Campaign', { DependsOn: Match.arrayWith([checkId]) });
  });

  test('GIVEN a source number from a CloudFormation parameter THEN synth leaves it to the deploy-time check', () => {
    const { stack, numbers } = stackWithInventory();
    const source = new CfnParameter(stack, 'SourceNumber').valueAsString;
    new OutboundCampaign(stack, 'Campaign', {
      claimedNumbers: numbers, name: 'C', sourceCallerId: CallerId.fromNumber(source), mode: DiallingMode.agentless(),
      contactFlow: CallProgressFlow.fromFlowArn(stack, 'Imported', FLOW_ARN),
    });
    expect(errorsOf(stack)).toEqual([]);
    const template = Template.fromStack(stack);
    expect(usesOf(checkOf(stack).properties)).toEqual([[{ Ref: 'SourceNumber' }, 'Centre/Campaign', 'campaign']]);
    template.hasResourceProperties('AWS::ConnectCampaignsV2::Campaign', {
      ChannelSubtypeConfig: { Telephony: { DefaultOutboundConfig: { ConnectSourcePhoneNumber: { Ref: 'SourceNumber' } } } },
    });
  });

  test('GIVEN a number claimed in the app THEN its address is the source number, trusted by construction', () => {
    const { stack, numbers } = stackWithInventory();
    const claim = numbers.claimNumber('CampaignNumber', { countryCode: 'JP', type: PhoneNumberType.DID });
    new OutboundCampaign(stack, 'Campaign', {
      claimedNumbers: numbers, name: 'C', sourceCallerId: CallerId.fromClaimedNumber(claim), mode: DiallingMode.agentless(),
      contactFlow: CallProgressFlow.fromFlowArn(stack, 'Imported', FLOW_ARN),
    });
    expect(errorsOf(stack)).toEqual([]);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ConnectCampaignsV2::Campaign', {
      ChannelSubtypeConfig: {
        Telephony: { DefaultOutboundConfig: { ConnectSourcePhoneNumber: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NumbersCampaignNumber'), 'Address'] } } },
      },
    });
    template.resourceCountIs('Custom::ConnectCallerIdCheck', 0);
  });
});

describe('OutboundCampaign parameters', () => {
  test.each<[string, CampaignOverrides, RegExp]>([
    ['bandwidth above 1', { mode: DiallingMode.progressive({ bandwidthAllocation: 1.5 }) }, /mode bandwidthAllocation 1\.5 is out of range; accepted 0 to 1/],
    ['negative bandwidth', { mode: DiallingMode.predictive({ bandwidthAllocation: -0.1 }) }, /mode bandwidthAllocation -0\.1 is out of range; accepted 0 to 1/],
    ['capacity 0', { capacity: 0 }, /capacity 0 is out of range; accepted 0\.01 to 1/],
    ['capacity above 1', { capacity: 2 }, /capacity 2 is out of range; accepted 0\.01 to 1/],
    ['ring timeout 10 s', { ringTimeout: Duration.seconds(10) }, /ringTimeout 10 s is out of range; accepted 15 s to 60 s/],
    ['ring timeout 2 min', { ringTimeout: Duration.minutes(2) }, /ringTimeout 120 s is out of range; accepted 15 s to 60 s/],
    ['ring timeout 15.5 s', { ringTimeout: Duration.millis(15500) }, /ringTimeout 15\.5 s is not a whole number; accepted whole numbers from 15 s to 60 s/],
    ['preview countdown 5 s', { mode: DiallingMode.preview({ timeout: Duration.seconds(5) }) }, /mode timeout 5 s is out of range; accepted 10 s to 300 s/],
    ['preview countdown 6 min', { mode: DiallingMode.preview({ timeout: Duration.minutes(6) }) }, /mode timeout 360 s is out of range; accepted 10 s to 300 s/],
    ['preview with a ring timeout', { mode: DiallingMode.preview({ timeout: Duration.seconds(30) }), ringTimeout: Duration.seconds(30) },
      /ringTimeout 30 s is not supported by the preview mode/],
    ['progressive without queue', { queue: undefined }, /queue is required by the progressive mode/],
    ['predictive without queue', { mode: DiallingMode.predictive(), queue: undefined }, /queue is required by the predictive mode/],
    ['preview without queue', { mode: DiallingMode.preview({ timeout: Duration.seconds(30) }), queue: undefined }, /queue is required by the preview mode/],
    ['await prompt without detection', { answerMachineDetection: { enabled: false, awaitPrompt: true } }, /answerMachineDetection.awaitPrompt only applies when detection is enabled/],
  ])('GIVEN %s THEN the constructor throws naming the campaign, the property, the value and the range', (_name, overrides, message) => {
    expect(() => build(overrides)).toThrow(message);
    expect(() => build(overrides)).toThrow(/^Centre\/Campaign: /);
  });

  test('a queue with the agentless mode is refused', () => {
    expect(() => build({ mode: DiallingMode.agentless() })).toThrow(/Centre\/Campaign: queue is refused by the agentless mode/);
  });

  test('every parameter problem is reported at once', () => {
    expect(() => build({ mode: DiallingMode.progressive({ bandwidthAllocation: 3 }), capacity: 5, ringTimeout: Duration.seconds(90), queue: undefined }))
      .toThrow(/^Centre\/Campaign: \n {2}- mode bandwidthAllocation 3 .*\n {2}- capacity 5 .*\n {2}- ringTimeout 90 s .*\n {2}- queue is required/);
  });

  test('the range limits themselves are accepted', () => {
    for (const overrides of [
      { mode: DiallingMode.progressive({ bandwidthAllocation: 0 }), capacity: 0.01, ringTimeout: Duration.seconds(15) },
      { mode: DiallingMode.predictive({ bandwidthAllocation: 1 }), capacity: 1, ringTimeout: Duration.seconds(60) },
      { mode: DiallingMode.preview({ timeout: Duration.seconds(10) }) },
      { mode: DiallingMode.preview({ timeout: Duration.minutes(5) }) },
    ]) {
      expect(errorsOf(build(overrides).stack)).toEqual([]);
    }
  });

  test('a name outside 1-127 characters is refused', () => {
    expect(() => build({ name: 'x'.repeat(128) })).toThrow(/Centre\/Campaign: name must be 1-127 characters, got 128/);
  });
});

describe('OutboundCampaign consistency with its flow', () => {
  /** A console-style export: a greeting, then disconnect. No Check call progress. */
  const exportWithout = (extra: FlowAction[] = [], start = 'greet'): string => JSON.stringify({
    Version: '2019-10-30', StartAction: start,
    Actions: [
      { Identifier: 'greet', Type: 'MessageParticipant', Parameters: { Text: 'Hello' }, Transitions: { NextAction: 'bye', Errors: [{ NextAction: 'bye', ErrorType: 'NoMatchingError' }] } },
      { Identifier: 'bye', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} },
      ...extra,
    ],
  });

  const withImportedFlow = (content: string | undefined, overrides: Partial<OutboundCampaignProps> = {}): Stack => {
    const { stack, numbers } = stackWithInventory();
    new OutboundCampaign(stack, 'Campaign', {
      claimedNumbers: numbers, name: 'C', sourceCallerId: CallerId.fromNumber('+81368001234'), mode: DiallingMode.agentless(),
      contactFlow: CallProgressFlow.fromFlowArn(stack, 'Imported', FLOW_ARN, { exportedContent: content }),
      answerMachineDetection: { enabled: true },
      ...overrides,
    });
    return stack;
  };

  describe(CampaignRules.DETECTION_NOT_CHECKED.id, () => {
    test('GIVEN detection on and an exported flow without Check call progress THEN a warning with a stable id', () => {
      const stack = withImportedFlow(exportWithout());
      expect(errorsOf(stack)).toEqual([]);
      Annotations.fromStack(stack).hasWarning('/Centre/Campaign',
        Match.stringLikeRegexp('\\[CAMPAIGN_DETECTION_NOT_CHECKED\\] answerMachineDetection is on, but the contact flow never runs Check call progress'));
      expect(ruleIds(warningsOf(stack))).toEqual(['CAMPAIGN_DETECTION_NOT_CHECKED']);
    });

    test('GIVEN a Check call progress block no path reaches THEN it still counts as never run', () => {
      const unreachable: FlowAction = {
        Identifier: 'orphan', Type: 'CheckOutboundCallStatus', Parameters: {},
        Transitions: { Errors: [{ NextAction: 'bye', ErrorType: 'NoMatchingError' }] },
      };
      expect(ruleIds(warningsOf(withImportedFlow(exportWithout([unreachable]))))).toEqual(['CAMPAIGN_DETECTION_NOT_CHECKED']);
    });

    test('GIVEN a CallProgressFlow THEN it does not fire', () => {
      expect(warningsOf(build().stack)).toEqual([]);
    });

    test('GIVEN a flow that hands the call to another flow THEN it is not applied: that flow may check', () => {
      const handOff: FlowAction[] = [
        { Identifier: 'next', Type: 'TransferToFlow', Parameters: { ContactFlowId: FLOW_ARN }, Transitions: { Errors: [{ NextAction: 'bye', ErrorType: 'NoMatchingError' }] } },
      ];
      expect(warningsOf(withImportedFlow(exportWithout(handOff, 'next')))).toEqual([]);
    });

    test('GIVEN a flow imported by ARN alone THEN no rule is applied', () => {
      const stack = withImportedFlow(undefined);
      expect(errorsOf(stack)).toEqual([]);
      expect(warningsOf(stack)).toEqual([]);
    });
  });

  describe(CampaignRules.CALL_PROGRESS_WITHOUT_DETECTION.id, () => {
    test('GIVEN a CallProgressFlow and no detection THEN an error names the Check call progress action', () => {
      const { stack } = build({ answerMachineDetection: undefined });
      const errors = errorsOf(stack);
      expect(ruleIds(errors)).toEqual(['CAMPAIGN_CALL_PROGRESS_WITHOUT_DETECTION']);
      expect(errors[0].path).toBe('/Centre/Campaign');
      expect(errors[0].message).toContain('answerMachineDetection is off');
      expect(errors[0].message).toContain('(action check-call-progress)');
    });

    test('GIVEN detection explicitly off THEN it fires too', () => {
      expect(ruleIds(errorsOf(build({ answerMachineDetection: { enabled: false } }).stack))).toEqual(['CAMPAIGN_CALL_PROGRESS_WITHOUT_DETECTION']);
    });

    test('GIVEN detection on THEN it does not fire', () => {
      expect(errorsOf(build({ answerMachineDetection: { enabled: true, awaitPrompt: true } }).stack)).toEqual([]);
    });
  });

  describe(CampaignRules.VOICEMAIL_MESSAGE_OVER_GREETING.id, () => {
    test('GIVEN awaitPrompt off and a message on the voicemail branch THEN an error names the message action', () => {
      const { stack } = build({ answerMachineDetection: { enabled: true } });
      const errors = errorsOf(stack);
      expect(ruleIds(errors)).toEqual(['CAMPAIGN_VOICEMAIL_MESSAGE_OVER_GREETING']);
      expect(errors[0].message).toContain('the VoicemailBeep branch of "check-call-progress" plays a message');
      expect(errors[0].message).toContain('(action voicemail-beep-play-message)');
    });

    test('GIVEN one message shared by both voicemail branches behind Set contact attributes THEN it is reported once, naming both', () => {
      const leaveMessage = CallProgressStep.setAttributes({ outcome: 'voicemail' }, CallProgressStep.playMessageAndDisconnect('Please call us back.'));
      const { stack } = build({ answerMachineDetection: { enabled: true, awaitPrompt: false }, flow: { voicemailBeep: leaveMessage, voicemailNoBeep: leaveMessage } });
      const errors = errorsOf(stack);
      expect(ruleIds(errors)).toEqual(['CAMPAIGN_VOICEMAIL_MESSAGE_OVER_GREETING']);
      expect(errors[0].message).toContain('the VoicemailBeep and VoicemailNoBeep branches of "check-call-progress" play a message');
    });

    test('GIVEN awaitPrompt on THEN it does not fire', () => {
      expect(errorsOf(build({ answerMachineDetection: { enabled: true, awaitPrompt: true } }).stack)).toEqual([]);
    });

    test('GIVEN a message only on the person and not-detected branches THEN it does not fire', () => {
      const { stack } = build({
        answerMachineDetection: { enabled: true },
        flow: {
          callAnswered: CallProgressStep.playMessageAndDisconnect('Hello.'), notDetected: CallProgressStep.playMessageAndDisconnect('Hello?'),
          voicemailBeep: CallProgressStep.disconnect(), voicemailNoBeep: CallProgressStep.disconnect(),
        },
      });
      expect(errorsOf(stack)).toEqual([]);
    });
  });

  describe(CampaignRules.AGENTLESS_QUEUE_TRANSFER.id, () => {
    test('GIVEN an agentless campaign whose flow transfers to a queue THEN a warning per transfer', () => {
      const { stack } = build({ mode: DiallingMode.agentless(), queue: undefined });
      const warnings = warningsOf(stack);
      expect(ruleIds(warnings)).toEqual(['CAMPAIGN_AGENTLESS_QUEUE_TRANSFER', 'CAMPAIGN_AGENTLESS_QUEUE_TRANSFER']);
      expect(warnings.map((w) => w.message.match(/\(action ([\w-]+)\)/)![1])).toEqual(['call-answered-transfer-to-queue', 'not-detected-transfer-to-queue']);
      expect(warnings[0].message).toContain('the campaign is agentless but its contact flow transfers the call to a queue');
      expect(errorsOf(stack)).toEqual([]);
    });

    test('GIVEN the same flow in a progressive campaign THEN it does not fire', () => {
      expect(warningsOf(build().stack)).toEqual([]);
    });
  });
});

describe('CallProgressFlow', () => {
  const literalFlow = (stack: Stack): FlowDocument => {
    const content = Template.fromStack(stack).findResources('AWS::Connect::ContactFlow');
    return JSON.parse(Object.values<any>(content)[0].Properties.Content);
  };

  test('GIVEN a step for every outcome WHEN synthesized THEN Check call progress starts the flow and each branch leads to its step', () => {
    const { stack, numbers } = stackWithInventory();
    const queue = ConnectQueue.fromQueueArn(stack, 'SalesQueue', QUEUE_ARN);
    const leaveMessage = CallProgressStep.setAttributes({ outcome: 'voicemail' }, CallProgressStep.playMessageAndDisconnect('Please call us back.'));
    new CallProgressFlow(stack, 'Flow', {
      claimedNumbers: numbers, name: 'Call progress', description: 'Routes campaign calls by who answered',
      callAnswered: CallProgressStep.transferToQueue(queue, { whenAtCapacity: CallProgressStep.playMessageAndDisconnect('All agents are busy.') }),
      voicemailBeep: leaveMessage,
      voicemailNoBeep: leaveMessage,
      notDetected: CallProgressStep.disconnect(),
      error: CallProgressStep.setAttributes({ outcome: 'error' }, CallProgressStep.disconnect()),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Connect::ContactFlow', {
      Type: 'CONTACT_FLOW', Name: 'Call progress', InstanceArn: INSTANCE_ARN, Description: 'Routes campaign calls by who answered',
    });
    const flow = literalFlow(stack);

    const check = action(flow, flow.StartAction);
    expect(check).toMatchObject({ Type: 'CheckOutboundCallStatus', Parameters: {} });
    // Console exports give Check call progress its Error branch's target as NextAction.
    expect(check.Transitions.NextAction).toBe(check.Transitions.Errors!.find((e) => e.ErrorType === 'NoMatchingError')!.NextAction);
    const conditions = check.Transitions.Conditions!;
    expect(conditions.map((c) => c.Condition)).toEqual(
      ['CallAnswered', 'VoicemailBeep', 'VoicemailNoBeep', 'NotDetected'].map((o) => ({ Operator: 'Equals', Operands: [o] })));
    const [answered, beep, noBeep, notDetected] = conditions.map((c) => action(flow, c.NextAction));

    // A person: set the working queue, then transfer; a full queue hears a message, any error disconnects.
    expect(answered).toMatchObject({ Type: 'UpdateContactTargetQueue', Parameters: { QueueId: QUEUE_ARN } });
    const transfer = action(flow, answered.Transitions.NextAction);
    expect(transfer.Type).toBe('TransferContactToQueue');
    expect(transfer.Transitions.NextAction).toBe(transfer.Transitions.Errors!.find((e) => e.ErrorType === 'NoMatchingError')!.NextAction);
    const transferErrors = Object.fromEntries(transfer.Transitions.Errors!.map((e) => [e.ErrorType, action(flow, e.NextAction)]));
    expect(Object.keys(transferErrors)).toEqual(['QueueAtCapacity', 'NoMatchingError']);
    expect(transferErrors.QueueAtCapacity).toMatchObject({ Type: 'MessageParticipant', Parameters: { Text: 'All agents are busy.' } });
    expect(transferErrors.NoMatchingError.Type).toBe('DisconnectParticipant');
    expect(action(flow, answered.Transitions.Errors![0].NextAction).Type).toBe('DisconnectParticipant');

    // Both voicemail outcomes share one step: attributes, then the message, then disconnect.
    expect(noBeep.Identifier).toBe(beep.Identifier);
    expect(beep).toMatchObject({ Type: 'UpdateContactAttributes', Parameters: { Attributes: { outcome: 'voicemail' }, TargetContact: 'Current' } });
    const message = action(flow, beep.Transitions.NextAction);
    expect(message).toMatchObject({ Type: 'MessageParticipant', Parameters: { Text: 'Please call us back.' } });
    expect(beep.Transitions.Errors).toEqual([{ NextAction: message.Identifier, ErrorType: 'NoMatchingError' }]);
    expect(action(flow, message.Transitions.NextAction).Type).toBe('DisconnectParticipant');

    // Not detected: hang up. Error: record it, then hang up.
    expect(notDetected).toMatchObject({ Type: 'DisconnectParticipant', Transitions: {} });
    const error = action(flow, check.Transitions.Errors!.find((e) => e.ErrorType === 'NoMatchingError')!.NextAction);
    expect(error).toMatchObject({ Type: 'UpdateContactAttributes', Parameters: { Attributes: { outcome: 'error' } } });
    expect(action(flow, error.Transitions.NextAction).Identifier).toBe(notDetected.Identifier);

    // One shared Disconnect block, and every block drawn at its own place in the designer.
    expect(flow.Actions.filter((a) => a.Type === 'DisconnectParticipant')).toHaveLength(1);
    const positions = flow.Actions.map((a) => JSON.stringify((flow.Metadata as any).ActionMetadata[a.Identifier].position));
    expect(new Set(positions).size).toBe(flow.Actions.length);
    expect((flow.Metadata as any).type).toBe('contactFlow');
  });

  test('GIVEN no error step THEN the error branch disconnects', () => {
    const { flow } = build();
    const check = action(flow._flowDocument, flow._flowDocument.StartAction);
    expect(check.Transitions.Errors).toEqual([{ NextAction: 'disconnect', ErrorType: 'NoMatchingError' }]);
  });

  test('GIVEN a queue of this app THEN its ARN reaches the flow content through CloudFormation', () => {
    const { stack, numbers } = stackWithInventory();
    const queue = new OutboundQueue(stack, 'Queue', {
      claimedNumbers: numbers, name: 'Q', hoursOfOperationArn: HOURS_ARN, callerIdNumber: CallerId.fromNumber('+81368001234'),
    });
    new CallProgressFlow(stack, 'Flow', {
      claimedNumbers: numbers, name: 'F', callAnswered: CallProgressStep.transferToQueue(queue),
      voicemailBeep: CallProgressStep.disconnect(), voicemailNoBeep: CallProgressStep.disconnect(), notDetected: CallProgressStep.transferToQueue(queue),
    });
    const [flow] = Object.values<any>(Template.fromStack(stack).findResources('AWS::Connect::ContactFlow'));
    expect(JSON.stringify(flow.Properties.Content)).toContain('QueueArn');
  });

  test('the same step on two branches is emitted once; equal but separate steps are emitted each', () => {
    const { stack, numbers } = stackWithInventory();
    const queue = ConnectQueue.fromQueueArn(stack, 'SalesQueue', QUEUE_ARN);
    const toAgents = CallProgressStep.transferToQueue(queue);
    const flowWith = (id: string, notDetected: CallProgressStep): FlowDocument => new CallProgressFlow(stack, id, {
      claimedNumbers: numbers, name: id, callAnswered: toAgents, notDetected,
      voicemailBeep: CallProgressStep.disconnect(), voicemailNoBeep: CallProgressStep.disconnect(),
    })._flowDocument;
    const transfers = (flow: FlowDocument) => flow.Actions.filter((a) => a.Type === 'TransferContactToQueue');
    expect(transfers(flowWith('Shared', toAgents))).toHaveLength(1);
    expect(transfers(flowWith('Separate', CallProgressStep.transferToQueue(queue)))).toHaveLength(2);
  });

  test.each<[string, Partial<CallProgressFlowProps>, RegExp]>([
    ['an empty message', { voicemailBeep: CallProgressStep.playMessageAndDisconnect(' ') }, /voicemailBeep: playMessageAndDisconnect needs the text to speak/],
    ['an attribute key with a space', { error: CallProgressStep.setAttributes({ 'call outcome': 'x' }, CallProgressStep.disconnect()) },
      /error: setAttributes key "call outcome" is refused/],
    ['no attributes', { notDetected: CallProgressStep.setAttributes({}, CallProgressStep.disconnect()) }, /notDetected: setAttributes needs at least one attribute/],
    ['a missing step', { callAnswered: undefined }, /callAnswered must be a CallProgressStep/],
  ])('GIVEN %s THEN the constructor throws naming the flow and the branch', (_name, flowOverrides, message) => {
    expect(() => build({ flow: flowOverrides })).toThrow(message);
    expect(() => build({ flow: flowOverrides })).toThrow(/^Centre\/Flow: /);
  });

  test('fromFlowArn refuses what is not a flow ARN, and unreadable exported content', () => {
    const { stack } = stackWithInventory();
    expect(() => CallProgressFlow.fromFlowArn(stack, 'A', QUEUE_ARN)).toThrow(/Centre\/A: flowArn .* is not a flow ARN/);
    expect(() => CallProgressFlow.fromFlowArn(stack, 'B', FLOW_ARN, { exportedContent: '{"Version": ' })).toThrow(/Centre\/B exportedContent/);
    expect(() => ConnectQueue.fromQueueArn(stack, 'C', FLOW_ARN)).toThrow(/Centre\/C: queueArn .* is not a queue ARN/);
  });
});

describe('campaign rules (pure)', () => {
  const flow = (actions: FlowAction[]): FlowDocument => ({ Version: '2019-10-30', StartAction: actions[0].Identifier, Actions: actions });
  const check: FlowAction = {
    Identifier: 'check', Type: 'CheckOutboundCallStatus', Parameters: {},
    Transitions: {
      Conditions: [
        { NextAction: 'queue', Condition: { Operator: 'Equals', Operands: ['CallAnswered'] } },
        { NextAction: 'message', Condition: { Operator: 'Equals', Operands: ['VoicemailNoBeep'] } },
      ],
      Errors: [{ NextAction: 'bye', ErrorType: 'NoMatchingError' }],
    },
  };
  const rest: FlowAction[] = [
    { Identifier: 'queue', Type: 'TransferContactToQueue', Parameters: {}, Transitions: { Errors: [{ NextAction: 'bye', ErrorType: 'QueueAtCapacity' }] } },
    { Identifier: 'message', Type: 'MessageParticipant', Parameters: { Text: 'Hi' }, Transitions: { NextAction: 'bye' } },
    { Identifier: 'bye', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} },
  ];

  test('facts are read from what can run', () => {
    expect(campaignFlowFacts(flow([check, ...rest]))).toEqual({
      callProgressChecks: ['check'],
      voicemailMessages: [{ outcomes: [CallProgressOutcome.VOICEMAIL_NO_BEEP], checkActionId: 'check', messageActionId: 'message' }],
      queueTransfers: ['queue'],
      leavesFlow: false,
    });
    expect(campaignFlowFacts(flow([rest[2], check, rest[0], rest[1]]))).toEqual({
      callProgressChecks: [], voicemailMessages: [], queueTransfers: [], leavesFlow: false,
    });
  });

  test('two rules of one flow are reported together, each with its own severity', () => {
    const findings = checkCampaignFlow({ mode: DiallingModeKind.AGENTLESS, answerMachineDetection: true, awaitAnswerMachinePrompt: false }, flow([check, ...rest]));
    expect(findings.map((f) => [f.ruleId, f.severity, f.actionId])).toEqual([
      ['CAMPAIGN_VOICEMAIL_MESSAGE_OVER_GREETING', 'error', 'message'],
      ['CAMPAIGN_AGENTLESS_QUEUE_TRANSFER', 'warning', 'queue'],
    ]);
    expect(checkCampaignFlow({ mode: DiallingModeKind.PROGRESSIVE, answerMachineDetection: true, awaitAnswerMachinePrompt: true }, flow([check, ...rest])))
      .toEqual([]);
  });
});

describe('the queue\'s own caller ID', () => {
  test('GIVEN a queue imported by ARN THEN a warning says its caller ID number is not checked', () => {
    const { stack, numbers } = stackWithInventory();
    const queue = ConnectQueue.fromQueueArn(stack, 'Imported', QUEUE_ARN);
    const flow = new CallProgressFlow(stack, 'Flow', {
      claimedNumbers: numbers, name: 'F', callAnswered: CallProgressStep.transferToQueue(queue),
      voicemailBeep: CallProgressStep.disconnect(), voicemailNoBeep: CallProgressStep.disconnect(), notDetected: CallProgressStep.disconnect(),
    });
    new OutboundCampaign(stack, 'Campaign', {
      claimedNumbers: numbers, name: 'C', sourceCallerId: CallerId.fromNumber('+81368001234'), mode: DiallingMode.progressive(),
      queue, contactFlow: flow, answerMachineDetection: { enabled: true },
    });
    expect(ruleIds(warningsOf(stack))).toEqual(['CAMPAIGN_QUEUE_CALLER_ID_UNCHECKED']);
  });

  test('GIVEN an OutboundQueue of the app THEN no warning: its number is checked like every caller ID', () => {
    const { stack, numbers } = stackWithInventory();
    const queue = new OutboundQueue(stack, 'Queue', {
      claimedNumbers: numbers, name: 'Q', hoursOfOperationArn: HOURS_ARN, callerIdNumber: CallerId.fromNumber('+81368001235'),
    });
    const flow = new CallProgressFlow(stack, 'Flow', {
      claimedNumbers: numbers, name: 'F', callAnswered: CallProgressStep.transferToQueue(queue),
      voicemailBeep: CallProgressStep.disconnect(), voicemailNoBeep: CallProgressStep.disconnect(), notDetected: CallProgressStep.disconnect(),
    });
    new OutboundCampaign(stack, 'Campaign', {
      claimedNumbers: numbers, name: 'C', sourceCallerId: CallerId.fromNumber('+81368001234'), mode: DiallingMode.progressive(),
      queue, contactFlow: flow, answerMachineDetection: { enabled: true },
    });
    expect(warningsOf(stack)).toEqual([]);
    expect(errorsOf(stack)).toEqual([]);
  });
});
