import { App, Aspects, CfnParameter, Fn, Stack, Stage, Tags, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { CfnContactFlow, CfnPhoneNumber, CfnQueue } from 'aws-cdk-lib/aws-connect';
import * as campaignsV1 from 'aws-cdk-lib/aws-connectcampaigns';
import * as campaignsV2 from 'aws-cdk-lib/aws-connectcampaignsv2';
import {
  CallerId, ClaimedNumbers, OutboundQueue, OutboundWhisperFlow, PhoneNumberType, TransferDestination, TransferToPhoneNumberFlow,
} from '../lib';
import { CallProgressFlow, CallProgressStep } from '../lib/constructs/call-progress-flow';
import { ConnectQueue } from '../lib/constructs/connect-queue';
import { CallerIdChecks } from '../lib/constructs/caller-id-checks';
import { ExportedFlow } from '../lib/constructs/exported-flow';
import { DiallingMode, OutboundCampaign } from '../lib/constructs/outbound-campaign';
import { readTemplateFlowContent } from '../lib/core/cfn-content';
import { inventoryContextKey } from '../lib/core/inventory';
import { exampleInventoryDocument, flowFixture, flowFixtureText, FLOW_FIXTURES } from './support/fixtures';
import { checksOf, usesOf } from './support/checks';
import { errorsOf, HOURS_ARN, INSTANCE_ARN, stackWithInventory, warningsOf } from './support/stacks';

const OTHER_INSTANCE_ARN = 'arn:aws:connect:ap-northeast-1:123456789012:instance/0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e';
const ARN_1234 = 'arn:aws:connect:ap-northeast-1:123456789012:phone-number/3f8e2d1c-4b5a-4c6d-9e7f-0a1b2c3d4e5f';
const TRANSFER_ACTION = '2f48bcad-1e39-4656-b773-295eb2fc189d';
const WHISPER_CALL_ACTION = '026d93ae-d9de-4ada-acf9-81cd611536c2';

/** The example app of `stackWithInventory`, with CallerIdChecks added the one-line way. */
function checkedApp(context: Record<string, unknown> = {}) {
  const doc = exampleInventoryDocument();
  const app = new App({ context: { [inventoryContextKey(doc.instanceArn)]: doc, ...context } });
  const stack = new Stack(app, 'Centre', { env: { account: '123456789012', region: 'ap-northeast-1' } });
  const numbers = ClaimedNumbers.fromLookup(stack, 'Numbers', { instanceArn: doc.instanceArn });
  Aspects.of(app).add(new CallerIdChecks({ claimedNumbers: [numbers] }));
  return { app, stack, numbers };
}

const ruleIds = (messages: { message: string }[]) => messages.map((m) => m.message.match(/\[(\w+)\]/)![1]);

/** The inbound export with its transfer's caller ID replaced (or removed, for undefined). */
function transferContent(callerId: string | undefined): any {
  const flow = flowFixture('inbound-transfer-to-phone.json');
  const transfer = flow.Actions.find((a: any) => a.Type === 'TransferParticipantToThirdParty');
  if (callerId === undefined) delete transfer.Parameters.CallerId;
  else transfer.Parameters.CallerId.Number = callerId;
  return flow;
}

function rawFlow(stack: Stack, id: string, type: string, content: string, instanceArn = INSTANCE_ARN): CfnContactFlow {
  return new CfnContactFlow(stack, id, { instanceArn, name: id, type, content });
}

function dynamicWhisper(): string {
  const flow = flowFixture('outbound-whisper.json');
  flow.Actions[0].Parameters.CallerId.Number = '$.Attributes.callerId';
  return JSON.stringify(flow);
}

function rawQueue(stack: Stack, id: string, outboundCallerConfig?: CfnQueue.OutboundCallerConfigProperty, instanceArn = INSTANCE_ARN): CfnQueue {
  return new CfnQueue(stack, id, { instanceArn, name: id, hoursOfOperationArn: HOURS_ARN, outboundCallerConfig });
}

/** The numbers the stack's deploy-time checks verify, sorted as the properties hold them, and the paths using them. */
function checkNumbers(stack: Stack): { numbers: unknown[]; usedBy: string[] } {
  const checks = Object.values(checksOf(stack));
  return {
    numbers: checks.flatMap((c) => c.Properties.Numbers.map((n) => n.Number)),
    usedBy: checks.flatMap((c) => c.Properties.Numbers.flatMap((n) => n.UsedBy.map((u) => u.Path))),
  };
}

describe('CallerIdChecks on raw flows', () => {
  test.each([
    ['ap-northeast-1', 'CALLER_ID_NOT_E164', 'CallerId.Number "ap-northeast-1" is refused'],
    ['+81368001299', 'CALLER_ID_NOT_CLAIMED', 'closest claimed: +81368001234'],
    ['03-6800-1234', 'CALLER_ID_NOT_E164', 'did you mean +81368001234?'],
    [undefined, 'CALLER_ID_UNSET', 'sets no CallerId.Number'],
  ])('GIVEN a CfnContactFlow whose transfer has caller ID %s WHEN synthesized THEN %s on its path with the action', (callerId, ruleId, text) => {
    const { stack } = checkedApp();
    rawFlow(stack, 'Flow', 'CONTACT_FLOW', JSON.stringify(transferContent(callerId)));
    const errors = errorsOf(stack);
    expect(errors).toEqual([{ path: '/Centre/Flow', message: expect.stringContaining(`[${ruleId}]`) }]);
    expect(errors[0].message).toContain(text);
    expect(errors[0].message).toContain(`(action ${TRANSFER_ACTION})`);
  });

  test('GIVEN the good twin (a claimed caller ID) THEN no finding, and the number is verified at deploy time before the flow deploys', () => {
    const { stack } = checkedApp();
    rawFlow(stack, 'Flow', 'CONTACT_FLOW', JSON.stringify(transferContent('+81368001234')));
    expect(errorsOf(stack)).toEqual([]);
    expect(warningsOf(stack)).toEqual([]);
    expect(checkNumbers(stack)).toEqual({ numbers: ['+81368001234'], usedBy: ['Centre/Flow'] });
    const template = Template.fromStack(stack);
    const [checkId] = Object.keys(template.findResources('Custom::ConnectCallerIdCheck'));
    template.hasResource('AWS::Connect::ContactFlow', { DependsOn: Match.arrayWith([checkId]) });
  });

  test('GIVEN a whisper flow deployed as CONTACT_FLOW THEN the wrong flow type is refused; as OUTBOUND_WHISPER it passes', () => {
    const { stack } = checkedApp();
    rawFlow(stack, 'Wrong', 'CONTACT_FLOW', flowFixtureText('outbound-whisper.json'));
    rawFlow(stack, 'Right', 'OUTBOUND_WHISPER', flowFixtureText('outbound-whisper.json'));
    const errors = errorsOf(stack);
    expect(errors.map((e) => e.path)).toEqual(['/Centre/Wrong', '/Centre/Wrong']);
    // The flow also ends with End flow, which an inbound flow may not.
    expect(ruleIds(errors)).toEqual(['FLOW_END_FLOW_WRONG_TYPE', 'FLOW_CALL_PHONE_NUMBER_WRONG_TYPE']);
    expect(errors[1].message).toContain(`(action ${WHISPER_CALL_ACTION})`);
  });

  test('GIVEN a whisper export with a prompt before Call phone number THEN it is refused; the export with Call phone number first passes', () => {
    const { stack } = checkedApp();
    rawFlow(stack, 'PromptFirst', 'OUTBOUND_WHISPER', flowFixtureText('whisper-prompt-before-call.json'));
    rawFlow(stack, 'CallFirst', 'OUTBOUND_WHISPER', flowFixtureText('outbound-whisper.json'));
    const errors = errorsOf(stack);
    expect(errors).toEqual([{ path: '/Centre/PromptFirst', message: expect.stringContaining('[FLOW_PARTICIPANT_BEFORE_CALL]') }]);
    expect(errors[0].message).toContain('MessageParticipant "19cdacfb-6b3f-41b2-a3a2-0742323b01a3" can run before Call phone number');
  });

  test('GIVEN content built with Fn::Sub THEN literal caller IDs are judged and the substituted ones go to the deploy-time check', () => {
    const { stack } = checkedApp();
    new CfnParameter(stack, 'CallerIdNumber');
    const flow = flowFixture('inbound-transfer-to-phone.json');
    flow.Actions.find((a: any) => a.Type === 'TransferParticipantToThirdParty').Parameters.CallerId.Number = '${CallerIdNumber}';
    rawFlow(stack, 'SubParam', 'CONTACT_FLOW', Fn.sub(JSON.stringify(flow)));
    flow.Actions.find((a: any) => a.Type === 'TransferParticipantToThirdParty').Parameters.CallerId.Number = '${Number}';
    rawFlow(stack, 'SubLiteral', 'CONTACT_FLOW', Fn.sub(JSON.stringify(flow), { Number: 'ap-northeast-1' }));

    expect(errorsOf(stack)).toEqual([{ path: '/Centre/SubLiteral', message: expect.stringContaining('[CALLER_ID_NOT_E164]') }]);
    expect(checkNumbers(stack)).toEqual({ numbers: [{ Ref: 'CallerIdNumber' }], usedBy: ['Centre/SubParam'] });
  });

  test('GIVEN literal content holding template placeholders THEN they are refused, since CloudFormation deploys them as written', () => {
    const { stack } = checkedApp();
    rawFlow(stack, 'Mustache', 'CONTACT_FLOW', JSON.stringify(transferContent('+1{{callerId}}')));
    // `${Name}` inside Fn::Sub is a substitution, not a placeholder: CloudFormation fills it in.
    new CfnParameter(stack, 'CallerIdNumber');
    rawFlow(stack, 'Sub', 'CONTACT_FLOW', Fn.sub(JSON.stringify(transferContent('${CallerIdNumber}'))));
    const errors = errorsOf(stack);
    expect(errors).toEqual([{ path: '/Centre/Mustache', message: expect.stringContaining('[FLOW_TEMPLATE_PLACEHOLDER_DEPLOYED]') }]);
    expect(errors[0].message).toContain(`CallerId.Number "{{callerId}}" (action "${TRANSFER_ACTION}")`);
    expect(errors[0].message).toContain('use Fn::Sub with a variable map');
  });

  test('GIVEN content with tokens inside (Fn::Join, Stack.toJsonString) THEN only the literal parts are judged', () => {
    const { stack } = checkedApp();
    const param = new CfnParameter(stack, 'CallerIdNumber');
    const queueArn = new CfnParameter(stack, 'QueueArn');
    const withToken = transferContent(param.valueAsString);
    withToken.Actions.find((a: any) => a.Type === 'UpdateContactAttributes').Parameters.Attributes.queue = queueArn.valueAsString;
    rawFlow(stack, 'Joined', 'CONTACT_FLOW', JSON.stringify(withToken));
    const bad = transferContent('+81368001299');
    bad.Actions.find((a: any) => a.Type === 'UpdateContactAttributes').Parameters.Attributes.queue = queueArn.valueAsString;
    rawFlow(stack, 'ToJson', 'CONTACT_FLOW', stack.toJsonString(bad));

    expect(errorsOf(stack)).toEqual([{ path: '/Centre/ToJson', message: expect.stringContaining('[CALLER_ID_NOT_CLAIMED]') }]);
    // Sorted by number; a token by what it resolves to in the template.
    expect(checkNumbers(stack).numbers).toEqual(['+81368001299', { Ref: 'CallerIdNumber' }]);
  });

  test('GIVEN a console export in DescribeContactFlow form THEN its ContactFlow.Content is judged; the wrapper itself is refused as Content', () => {
    const { stack } = checkedApp();
    const describe = JSON.parse(flowFixtureText('queue-transfer-describe-contact-flow.json'));
    rawFlow(stack, 'Unwrapped', describe.ContactFlow.Type, describe.ContactFlow.Content);
    const unclaimed = JSON.parse(describe.ContactFlow.Content);
    unclaimed.Actions[1].Parameters.CallerId.Number = '+81120123499';
    rawFlow(stack, 'Unclaimed', describe.ContactFlow.Type, JSON.stringify(unclaimed));
    rawFlow(stack, 'Wrapped', describe.ContactFlow.Type, flowFixtureText('queue-transfer-describe-contact-flow.json'));

    expect(errorsOf(stack)).toEqual([
      { path: '/Centre/Unclaimed', message: expect.stringMatching(/\[CALLER_ID_NOT_CLAIMED\].*\(action b2c2784a-5f2f-4844-920c-cbb410fbd5e1\)/) },
      { path: '/Centre/Wrapped', message: expect.stringContaining('[FLOW_CONTENT_UNREADABLE] Content: is a DescribeContactFlow response') },
    ]);
    expect(errorsOf(stack)[1].message).toContain('use the value of its ContactFlow.Content');
  });

  test('GIVEN content that is not JSON THEN it is refused with where it breaks', () => {
    const { stack } = checkedApp();
    rawFlow(stack, 'Broken', 'CONTACT_FLOW', '{"Version": "2019-10-30",');
    expect(errorsOf(stack)).toEqual([{ path: '/Centre/Broken', message: expect.stringMatching(/\[FLOW_CONTENT_UNREADABLE\] Content: is not valid JSON at line 1/) }]);
  });

  test('GIVEN content known only at deploy time THEN an acknowledgeable warning says it cannot be checked', () => {
    const { stack } = checkedApp();
    rawFlow(stack, 'Opaque', 'CONTACT_FLOW', Fn.importValue('shared-flow-content'));
    expect(errorsOf(stack)).toEqual([]);
    expect(warningsOf(stack)).toEqual([{ path: '/Centre/Opaque', message: expect.stringContaining('[FLOW_CONTENT_DEPLOY_TIME]') }]);

    const again = checkedApp();
    rawFlow(again.stack, 'Opaque', 'CONTACT_FLOW', Fn.importValue('shared-flow-content'));
    Validations.of(again.stack).acknowledge({ id: 'FLOW_CONTENT_DEPLOY_TIME', reason: 'content comes from the platform stack' });
    expect(warningsOf(again.stack)).toEqual([]);
  });
});

describe('CallerIdChecks on raw queues', () => {
  test('GIVEN the instance/... ARN form THEN it is refused with the form queues accept', () => {
    const { stack } = checkedApp();
    rawQueue(stack, 'Queue', { outboundCallerIdNumberArn: `${INSTANCE_ARN}/phone-number/3f8e2d1c-4b5a-4c6d-9e7f-0a1b2c3d4e5f` });
    expect(errorsOf(stack)).toEqual([{
      path: '/Centre/Queue',
      message: expect.stringContaining(`[QUEUE_CALLER_ID_ARN_FORM] OutboundCallerConfig.OutboundCallerIdNumberArn ${INSTANCE_ARN}/phone-number/`),
    }]);
    expect(errorsOf(stack)[0].message).toContain(`use ${ARN_1234} (+81368001234)`);
  });

  test('GIVEN a number where the ARN goes THEN it is refused with that number\'s ARN', () => {
    const { stack } = checkedApp();
    rawQueue(stack, 'Queue', { outboundCallerIdNumberArn: '+81368001234' });
    expect(errorsOf(stack)[0].message).toContain(`[QUEUE_CALLER_ID_ARN_FORM] OutboundCallerConfig.OutboundCallerIdNumberArn "+81368001234" is not a phone-number ARN`);
    expect(errorsOf(stack)[0].message).toContain(`the ARN of +81368001234 is ${ARN_1234}`);
  });

  test('GIVEN the good twin (a claimed number\'s ARN) THEN no finding, and its number is verified at deploy time', () => {
    const { stack } = checkedApp();
    rawQueue(stack, 'Queue', { outboundCallerIdNumberArn: ARN_1234 });
    expect(errorsOf(stack)).toEqual([]);
    expect(checkNumbers(stack)).toEqual({ numbers: ['+81368001234'], usedBy: ['Centre/Queue'] });
  });

  test('GIVEN an ARN of no claimed number THEN CALLER_ID_NOT_CLAIMED names it', () => {
    const { stack } = checkedApp();
    const unknown = 'arn:aws:connect:ap-northeast-1:123456789012:phone-number/ffffffff-0000-4000-8000-000000000000';
    rawQueue(stack, 'Queue', { outboundCallerIdNumberArn: unknown });
    expect(errorsOf(stack)).toEqual([{ path: '/Centre/Queue', message: expect.stringContaining(`[CALLER_ID_NOT_CLAIMED] OutboundCallerConfig.OutboundCallerIdNumberArn ${unknown} is not the ARN of a number claimed by ${INSTANCE_ARN}`) }]);
  });

  test('GIVEN an outbound queue with no caller ID number THEN QUEUE_CALLER_ID_UNSET; a queue with no outbound config is inbound and not judged', () => {
    const { stack } = checkedApp();
    const whisper = rawFlow(stack, 'Whisper', 'OUTBOUND_WHISPER', flowFixtureText('outbound-whisper.json'));
    rawQueue(stack, 'Outbound', { outboundFlowArn: whisper.attrContactFlowArn });
    rawQueue(stack, 'Inbound');
    expect(errorsOf(stack)).toEqual([{ path: '/Centre/Outbound', message: expect.stringContaining('[QUEUE_CALLER_ID_UNSET]') }]);
  });

  test('GIVEN a queue whose outbound flow is not OUTBOUND_WHISPER THEN it is refused, naming the flow', () => {
    const { stack } = checkedApp();
    const inbound = rawFlow(stack, 'Inbound', 'CONTACT_FLOW', JSON.stringify(transferContent('+81368001234')));
    const whisper = rawFlow(stack, 'Whisper', 'OUTBOUND_WHISPER', flowFixtureText('outbound-whisper.json'));
    rawQueue(stack, 'Wrong', { outboundCallerIdNumberArn: ARN_1234, outboundFlowArn: inbound.attrContactFlowArn });
    rawQueue(stack, 'Right', { outboundCallerIdNumberArn: ARN_1234, outboundFlowArn: whisper.ref });
    expect(errorsOf(stack)).toEqual([{
      path: '/Centre/Wrong',
      message: expect.stringContaining('[QUEUE_OUTBOUND_FLOW_WRONG_TYPE] OutboundCallerConfig.OutboundFlowArn is Centre/Inbound, a CONTACT_FLOW flow'),
    }]);
  });

  test('GIVEN a whisper with a dynamic caller ID on a queue with no number THEN WHISPER_DYNAMIC_CALLER_ID_QUEUE_UNSET, reported once', () => {
    const { stack } = checkedApp();
    const whisper = rawFlow(stack, 'Whisper', 'OUTBOUND_WHISPER', dynamicWhisper());
    rawQueue(stack, 'Queue', { outboundFlowArn: whisper.attrContactFlowArn });
    rawQueue(stack, 'WithNumber', { outboundFlowArn: whisper.attrContactFlowArn, outboundCallerIdNumberArn: ARN_1234 });
    expect(errorsOf(stack)).toEqual([{ path: '/Centre/Queue', message: expect.stringContaining('[WHISPER_DYNAMIC_CALLER_ID_QUEUE_UNSET]') }]);
  });

  test('GIVEN a queue using the ARN of a number claimed in the app THEN the claim is trusted', () => {
    const { stack } = checkedApp();
    const claim = new CfnPhoneNumber(stack, 'Claim', { targetArn: INSTANCE_ARN, countryCode: 'JP', type: 'DID' });
    rawQueue(stack, 'Queue', { outboundCallerIdNumberArn: claim.attrPhoneNumberArn });
    expect(errorsOf(stack)).toEqual([]);
    Template.fromStack(stack).resourceCountIs('Custom::ConnectCallerIdCheck', 0);
  });
});

describe('CallerIdChecks on the caller ID name of raw queues', () => {
  const name = 'Example Corporation Sales';

  test('GIVEN a name with a claimed number THEN the name rules of the queue apply, as for OutboundQueue', () => {
    const raw = checkedApp();
    rawQueue(raw.stack, 'Queue', { outboundCallerIdNumberArn: ARN_1234, outboundCallerIdName: name });
    const l2 = checkedApp();
    new OutboundQueue(l2.stack, 'Queue', {
      claimedNumbers: l2.numbers, name: 'Q', hoursOfOperationArn: HOURS_ARN, callerIdNumber: CallerId.fromNumber('+81368001234'), callerIdName: name,
    });
    const rules = (stack: Stack) => [...errorsOf(stack), ...warningsOf(stack)].map((m) => m.message.match(/\[(\w+)\]/)![1]).sort();
    expect(rules(raw.stack)).toEqual(rules(l2.stack));
    expect(rules(raw.stack).length).toBeGreaterThan(0);
  });

  test('GIVEN a whisper flow that presents its own number THEN the queue\'s name is not shown', () => {
    const { stack } = checkedApp();
    const whisper = rawFlow(stack, 'Whisper', 'OUTBOUND_WHISPER', flowFixtureText('outbound-whisper.json'));
    rawQueue(stack, 'Queue', { outboundCallerIdNumberArn: ARN_1234, outboundCallerIdName: 'Sales', outboundFlowArn: whisper.attrContactFlowArn });
    expect(warningsOf(stack)).toEqual([{ path: '/Centre/Queue', message: expect.stringContaining('[CALLER_ID_NAME_NOT_SHOWN] OutboundCallerConfig.OutboundCallerIdName "Sales" goes with the queue\'s number, but the outbound whisper flow Centre/Whisper') }]);
  });
});

describe('CallerIdChecks on raw campaigns', () => {
  const v2 = (stack: Stack, id: string, source?: string, queue?: string) => new campaignsV2.CfnCampaign(stack, id, {
    name: id, connectInstanceId: '7c4e1f0a-5d2b-4c8e-9a61-3f2d8b7e6a10',
    channelSubtypeConfig: {
      telephony: {
        capacity: 1, connectQueueId: queue,
        outboundMode: { progressiveConfig: { bandwidthAllocation: 1 } },
        defaultOutboundConfig: { connectContactFlowId: 'flow', connectSourcePhoneNumber: source },
      },
    },
  });
  const v1 = (stack: Stack, id: string, source: string) => new campaignsV1.CfnCampaign(stack, id, {
    name: id, connectInstanceArn: INSTANCE_ARN,
    dialerConfig: { progressiveDialerConfig: { bandwidthAllocation: 1 } },
    outboundCallConfig: { connectContactFlowArn: 'flow', connectSourcePhoneNumber: source },
  });

  test.each([
    ['ap-northeast-1', 'CALLER_ID_NOT_E164'],
    ['+81368001299', 'CALLER_ID_NOT_CLAIMED'],
    ['03-6800-1234', 'CALLER_ID_NOT_E164'],
  ])('GIVEN source number %s THEN %s, for campaigns v2 (instance by id) and v1', (source, ruleId) => {
    const { stack } = checkedApp();
    v2(stack, 'V2', source);
    v1(stack, 'V1', source);
    const errors = errorsOf(stack);
    expect(errors.map((e) => e.path)).toEqual(['/Centre/V2', '/Centre/V1']);
    expect(ruleIds(errors)).toEqual([ruleId, ruleId]);
    expect(errors[0].message).toContain('ChannelSubtypeConfig.Telephony.DefaultOutboundConfig.ConnectSourcePhoneNumber');
    expect(errors[1].message).toContain('OutboundCallConfig.ConnectSourcePhoneNumber');
  });

  test('GIVEN the good twins THEN no finding and the numbers are verified at deploy time', () => {
    const { stack } = checkedApp();
    v2(stack, 'V2', '+81368001234');
    v1(stack, 'V1', '+81368001235');
    expect(errorsOf(stack)).toEqual([]);
    expect(checkNumbers(stack)).toEqual({ numbers: ['+81368001234', '+81368001235'], usedBy: ['Centre/V2', 'Centre/V1'] });
  });

  test('GIVEN a claimed-in-app number or a parameter as source THEN the claim is trusted and the parameter is verified at deploy time', () => {
    const { stack } = checkedApp();
    const claim = new CfnPhoneNumber(stack, 'Claim', { targetArn: INSTANCE_ARN, countryCode: 'JP', type: 'DID' });
    v2(stack, 'Claimed', claim.attrAddress);
    v2(stack, 'Param', new CfnParameter(stack, 'Source').valueAsString);
    expect(errorsOf(stack)).toEqual([]);
    expect(checkNumbers(stack)).toEqual({ numbers: [{ Ref: 'Source' }], usedBy: ['Centre/Param'] });
  });

  test('GIVEN a campaign with no source number THEN the queue it calls through must have a caller ID number', () => {
    const { stack } = checkedApp();
    const queue = rawQueue(stack, 'Queue');
    v2(stack, 'Campaign', undefined, queue.attrQueueArn);
    expect(errorsOf(stack)).toEqual([{ path: '/Centre/Queue', message: expect.stringContaining('campaign Centre/Campaign places calls through it with no source phone number') }]);
  });
});

describe('CallerIdChecks and the instance of each resource', () => {
  test('GIVEN a resource of an instance with no ClaimedNumbers THEN a warning with an id, and the form is still judged', () => {
    const { stack } = checkedApp();
    rawFlow(stack, 'Flow', 'CONTACT_FLOW', JSON.stringify(transferContent('ap-northeast-1')), OTHER_INSTANCE_ARN);
    rawFlow(stack, 'Unclaimed', 'CONTACT_FLOW', JSON.stringify(transferContent('+81368001299')), OTHER_INSTANCE_ARN);
    expect(ruleIds(errorsOf(stack))).toEqual(['CALLER_ID_NOT_E164']);
    expect(warningsOf(stack).map((w) => [w.path, w.message.match(/\[(\w+)\]/)![1]])).toEqual([
      ['/Centre/Flow', 'CHECKS_INSTANCE_UNKNOWN'], ['/Centre/Unclaimed', 'CHECKS_INSTANCE_UNKNOWN'],
    ]);
    expect(warningsOf(stack)[0].message).toContain(`InstanceArn ${OTHER_INSTANCE_ARN} is not the instance of any ClaimedNumbers`);
    Template.fromStack(stack).resourceCountIs('Custom::ConnectCallerIdCheck', 0);
  });

  test('GIVEN two instances THEN each resource is judged against its own instance\'s numbers', () => {
    const { app, stack, numbers } = stackWithInventory();
    const other = ClaimedNumbers.fromNumbers(stack, 'Other', {
      instanceArn: OTHER_INSTANCE_ARN, numbers: [{ number: '+81368001299', type: PhoneNumberType.DID }],
    });
    Aspects.of(app).add(new CallerIdChecks({ claimedNumbers: [numbers, other] }));
    rawFlow(stack, 'Main', 'CONTACT_FLOW', JSON.stringify(transferContent('+81368001299')));
    rawFlow(stack, 'Second', 'CONTACT_FLOW', JSON.stringify(transferContent('+81368001299')), OTHER_INSTANCE_ARN);
    expect(errorsOf(stack)).toEqual([{ path: '/Centre/Main', message: expect.stringContaining('[CALLER_ID_NOT_CLAIMED]') }]);
    const second = Object.values(checksOf(stack)).find((c) => c.Properties.TargetArns[0] === OTHER_INSTANCE_ARN)!;
    expect(usesOf(second.Properties)).toEqual([['+81368001299', 'Centre/Second', 'transfer to phone number']]);
  });

  test('GIVEN an instance ARN known only at deploy time THEN the only ClaimedNumbers is used; with several it warns that it cannot tell', () => {
    const single = checkedApp();
    const arn = new CfnParameter(single.stack, 'InstanceArn').valueAsString;
    rawFlow(single.stack, 'Flow', 'CONTACT_FLOW', JSON.stringify(transferContent('+81368001299')), arn);
    expect(ruleIds(errorsOf(single.stack))).toEqual(['CALLER_ID_NOT_CLAIMED']);

    const { app, stack, numbers } = stackWithInventory();
    const other = ClaimedNumbers.fromNumbers(stack, 'Other', { instanceArn: OTHER_INSTANCE_ARN, numbers: [] });
    Aspects.of(app).add(new CallerIdChecks({ claimedNumbers: [numbers, other] }));
    rawFlow(stack, 'Flow', 'CONTACT_FLOW', JSON.stringify(transferContent('+81368001299')), new CfnParameter(stack, 'InstanceArn').valueAsString);
    expect(errorsOf(stack)).toEqual([]);
    expect(warningsOf(stack)).toEqual([{ path: '/Centre/Flow', message: expect.stringContaining('[CHECKS_INSTANCE_AMBIGUOUS] InstanceArn is known only at deploy time') }]);
  });

  test('GIVEN the same token as a ClaimedNumbers\' instanceArn THEN that ClaimedNumbers is used', () => {
    const { app, stack, numbers } = stackWithInventory();
    const arn = new CfnParameter(stack, 'InstanceArn').valueAsString;
    const fromParam = ClaimedNumbers.fromNumbers(stack, 'FromParam', { instanceArn: arn, numbers: [{ number: '+81368001299', type: PhoneNumberType.DID }] });
    Aspects.of(app).add(new CallerIdChecks({ claimedNumbers: [numbers, fromParam] }));
    rawFlow(stack, 'Flow', 'CONTACT_FLOW', JSON.stringify(transferContent('+81368001299')), arn);
    expect(errorsOf(stack)).toEqual([]);
    expect(warningsOf(stack)).toEqual([]);
  });

  test('GIVEN numbers AWS Support approved THEN they need not be claimed nor are verified at deploy time; the country rules still apply', () => {
    const { app, stack, numbers } = stackWithInventory();
    Aspects.of(app).add(new CallerIdChecks({
      claimedNumbers: [numbers], approvedExternalNumbers: { '+12025550143': 'case-123456', '+81368001299': 'case-654321' },
    }));
    rawFlow(stack, 'Us', 'CONTACT_FLOW', JSON.stringify(transferContent('+12025550143')));
    rawFlow(stack, 'Japan', 'CONTACT_FLOW', JSON.stringify(transferContent('+81368001299')));
    expect(errorsOf(stack)).toEqual([{ path: '/Centre/Japan', message: expect.stringContaining('[CALLER_ID_EXTERNAL_NOT_SUPPORTED]') }]);
    Template.fromStack(stack).resourceCountIs('Custom::ConnectCallerIdCheck', 0);
  });

  test('CallerIdChecks needs at least one ClaimedNumbers', () => {
    expect(() => new CallerIdChecks({ claimedNumbers: [] })).toThrow(/claimedNumbers must list the ClaimedNumbers of at least one instance/);
  });
});

describe('CallerIdChecks with the rest of the library', () => {
  test('GIVEN this library\'s own constructs THEN each problem is reported once, by the construct', () => {
    const { stack, numbers } = checkedApp();
    new TransferToPhoneNumberFlow(stack, 'Transfer', {
      claimedNumbers: numbers, name: 'T', destination: TransferDestination.fromNumber('+81368009999'), callerId: CallerId.fromNumber('+81368001299'),
    });
    const whisper = new OutboundWhisperFlow(stack, 'Whisper', { claimedNumbers: numbers, name: 'W', callerId: CallerId.fromNumber('ap-northeast-1') });
    new OutboundQueue(stack, 'Queue', {
      claimedNumbers: numbers, name: 'Q', hoursOfOperationArn: HOURS_ARN, callerIdNumber: CallerId.fromNumber('+81368001234'), outboundWhisperFlow: whisper,
    });
    new ExportedFlow(stack, 'Exported', { claimedNumbers: numbers, file: `${FLOW_FIXTURES}/whisper-prompt-before-call.json` });
    expect(errorsOf(stack).map((e) => [e.path, e.message.match(/\[(\w+)\]/)![1]])).toEqual([
      ['/Centre/Transfer', 'CALLER_ID_NOT_CLAIMED'],
      ['/Centre/Whisper', 'CALLER_ID_NOT_E164'],
      ['/Centre/Exported', 'FLOW_PARTICIPANT_BEFORE_CALL'],
    ]);
  });

  test('GIVEN this library\'s campaign and call-progress flow THEN CallerIdChecks leaves them to themselves', () => {
    const { stack, numbers } = checkedApp();
    const queue = ConnectQueue.fromQueueArn(stack, 'SalesQueue', `${INSTANCE_ARN}/queue/1d2c3b4a-5f6e-4789-8a9b-0c1d2e3f4a5b`);
    const flow = new CallProgressFlow(stack, 'Progress', {
      claimedNumbers: numbers, name: 'Progress',
      callAnswered: CallProgressStep.transferToQueue(queue), voicemailBeep: CallProgressStep.disconnect(),
      voicemailNoBeep: CallProgressStep.disconnect(), notDetected: CallProgressStep.transferToQueue(queue),
    });
    new OutboundCampaign(stack, 'Campaign', {
      claimedNumbers: numbers, name: 'Renewals', sourceCallerId: CallerId.fromNumber('+81368001299'),
      mode: DiallingMode.progressive({ bandwidthAllocation: 0.5 }), queue, contactFlow: flow,
      answerMachineDetection: { enabled: true, awaitPrompt: true },
    });
    expect(errorsOf(stack).map((e) => [e.path, e.message.match(/\[(\w+)\]/)![1]])).toEqual([['/Centre/Campaign', 'CALLER_ID_NOT_CLAIMED']]);
  });

  test('GIVEN a raw queue using this library\'s whisper flows THEN their type and caller ID are known', () => {
    const { stack, numbers } = checkedApp();
    const dynamic = new OutboundWhisperFlow(stack, 'Dynamic', { claimedNumbers: numbers, name: 'D', callerId: CallerId.fromAttribute('callerId') });
    const exported = new ExportedFlow(stack, 'Inbound', { claimedNumbers: numbers, file: `${FLOW_FIXTURES}/inbound-transfer-to-phone.json` });
    rawQueue(stack, 'DynamicNoNumber', { outboundFlowArn: dynamic.flowArn });
    rawQueue(stack, 'InboundAsWhisper', { outboundCallerIdNumberArn: ARN_1234, outboundFlowArn: exported.flowArn });
    expect(errorsOf(stack).map((e) => [e.path, e.message.match(/\[(\w+)\]/)![1]])).toEqual([
      ['/Centre/DynamicNoNumber', 'WHISPER_DYNAMIC_CALLER_ID_QUEUE_UNSET'],
      ['/Centre/InboundAsWhisper', 'QUEUE_OUTBOUND_FLOW_WRONG_TYPE'],
    ]);
  });

  test('GIVEN deployTimeCheck off THEN raw resources are judged at synth but nothing is added for deploy time', () => {
    const { app, stack } = stackWithInventory();
    const numbers = ClaimedNumbers.fromNumbers(stack, 'Declared', {
      instanceArn: INSTANCE_ARN, deployTimeCheck: false, numbers: [{ number: '+81368001234', type: PhoneNumberType.DID, arn: ARN_1234 }],
    });
    Aspects.of(app).add(new CallerIdChecks({ claimedNumbers: [numbers] }));
    rawFlow(stack, 'Flow', 'CONTACT_FLOW', JSON.stringify(transferContent('+81368001234')));
    rawQueue(stack, 'Queue', { outboundCallerIdNumberArn: ARN_1234 });
    expect(errorsOf(stack)).toEqual([]);
    Template.fromStack(stack).resourceCountIs('Custom::ConnectCallerIdCheck', 0);
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 0);
  });

  test.each([
    ['without', {}],
    ['with', { '@aws-cdk/core:aspectStabilization': true }],
  ])('%s aspect stabilization, the deploy-time check it adds is visited by the app\'s other aspects (tags)', (_, context) => {
    const { app, stack } = checkedApp(context);
    Tags.of(app).add('team', 'contact-centre');
    rawFlow(stack, 'Flow', 'CONTACT_FLOW', JSON.stringify(transferContent('+81368001234')));
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::ConnectCallerIdCheck', 1);
    template.hasResourceProperties('AWS::Lambda::Function', { Tags: Match.arrayWith([{ Key: 'team', Value: 'contact-centre' }]) });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('Aspect was added via another Aspect'))).toEqual([]);
  });

  test('GIVEN the aspect on one stack THEN only that stack is judged, and references to other stacks still resolve', () => {
    const { app, numbers } = stackWithInventory();
    const flows = new Stack(app, 'Flows', { env: { account: '123456789012', region: 'ap-northeast-1' } });
    const queues = new Stack(app, 'Queues', { env: { account: '123456789012', region: 'ap-northeast-1' } });
    const inbound = rawFlow(flows, 'Inbound', 'CONTACT_FLOW', JSON.stringify(transferContent('ap-northeast-1')));
    rawQueue(queues, 'Queue', { outboundCallerIdNumberArn: ARN_1234, outboundFlowArn: inbound.attrContactFlowArn });
    Aspects.of(queues).add(new CallerIdChecks({ claimedNumbers: [numbers] }));
    expect(errorsOf(flows)).toEqual([]);
    expect(ruleIds(errorsOf(queues))).toEqual(['QUEUE_OUTBOUND_FLOW_WRONG_TYPE']);
  });

  test('nested stages are left to an aspect of their own', () => {
    const { app, numbers } = stackWithInventory();
    Aspects.of(app).add(new CallerIdChecks({ claimedNumbers: [numbers] }));
    const stage = new Stage(app, 'Prod');
    const inStage = new Stack(stage, 'Centre');
    rawFlow(inStage, 'Flow', 'CONTACT_FLOW', JSON.stringify(transferContent('ap-northeast-1')));
    expect(errorsOf(inStage)).toEqual([]);

    const again = stackWithInventory();
    const stage2 = new Stage(again.app, 'Prod');
    const inStage2 = new Stack(stage2, 'Centre');
    rawFlow(inStage2, 'Flow', 'CONTACT_FLOW', JSON.stringify(transferContent('ap-northeast-1')));
    Aspects.of(stage2).add(new CallerIdChecks({ claimedNumbers: [again.numbers] }));
    expect(ruleIds(errorsOf(inStage2))).toEqual(['CALLER_ID_NOT_E164']);
  });
});

describe('readTemplateFlowContent', () => {
  const flow = (number: string) => transferContent(number);

  test('a plain string is read as it is', () => {
    const read = readTemplateFlowContent(JSON.stringify(flow('+81368001234')), 'Content')!;
    expect(read.deployTimeValues).toEqual([]);
    expect(read.type).toBe('CONTACT_FLOW');
  });

  test('Fn::Join parts become placeholders that map back to their CloudFormation values', () => {
    const text = JSON.stringify(flow('@@'));
    const [before, after] = text.split('@@');
    const read = readTemplateFlowContent({ 'Fn::Join': ['', [before, '+81', { Ref: 'Rest' }, after]] }, 'Content')!;
    const number = (read.flow.Actions.find((a) => a.Type === 'TransferParticipantToThirdParty')!.Parameters.CallerId as any).Number;
    expect(read.isDeployTimeValue(number)).toBe(true);
    expect(read.cloudFormationValue(number)).toEqual({ 'Fn::Join': ['', ['+81', { Ref: 'Rest' }]] });
    expect(read.isDeployTimeValue('+81368001234')).toBe(false);
  });

  test('a Join of 200,000 parts nested in another Join is read without overflowing the stack', () => {
    // A DisconnectParticipant whose parameter alternates literal text and a parameter, 100,000 times over.
    const pieces: unknown[] = [];
    for (let i = 0; i < 100_000; i++) pieces.push('x', { Ref: 'P' });
    const content = { 'Fn::Join': ['', [
      '{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a","Type":"DisconnectParticipant","Parameters":{"n":"',
      { 'Fn::Join': ['', pieces] },
      '"},"Transitions":{}}]}',
    ]] };
    const read = readTemplateFlowContent(content, 'Content')!;
    expect(read.deployTimeValues).toHaveLength(100_000);
  });

  test('a value outside a JSON string (a number from a parameter) still parses', () => {
    const read = readTemplateFlowContent({ 'Fn::Join': ['', ['{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a","Type":"DisconnectParticipant","Parameters":{"n":', { Ref: 'N' }, '},"Transitions":{}}]}']] }, 'Content')!;
    expect(read.cloudFormationValue(read.flow.Actions[0].Parameters.n as string)).toEqual({ Ref: 'N' });
  });

  test('Fn::Sub expands map variables, parameters, attributes and escapes', () => {
    const template = '{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a","Type":"DisconnectParticipant","Parameters":' +
      '{"map":"${Literal}","ref":"${Param}","att":"${Res.Arn}","region":"${AWS::Region}","escaped":"${!Kept}"},"Transitions":{}}]}';
    const read = readTemplateFlowContent({ 'Fn::Sub': [template, { Literal: '+81368001234' }] }, 'Content')!;
    const p = read.flow.Actions[0].Parameters as Record<string, string>;
    expect(p.map).toBe('+81368001234');
    expect(p.escaped).toBe('${Kept}');
    expect(read.cloudFormationValue(p.ref)).toEqual({ Ref: 'Param' });
    expect(read.cloudFormationValue(p.att)).toEqual({ 'Fn::GetAtt': ['Res', 'Arn'] });
    expect(read.cloudFormationValue(p.region)).toEqual({ Ref: 'AWS::Region' });
  });

  test('content that is one deploy-time value cannot be read', () => {
    expect(readTemplateFlowContent({ 'Fn::ImportValue': 'x' }, 'Content')).toBeUndefined();
    expect(readTemplateFlowContent({ 'Fn::Join': ['', { Ref: 'List' }] }, 'Content')).toBeUndefined();
  });
});
