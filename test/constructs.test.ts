import { CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  CallerId, ClaimedNumbers, OutboundQueue, OutboundWhisperFlow, PhoneNumberType, TransferDestination, TransferFlowType, TransferToPhoneNumberFlow,
} from '../lib';
import { readFlowContent } from '../lib/core/flow/reader';
import { checkOf, usesOf } from './support/checks';
import { errorsOf, HOURS_ARN, INSTANCE_ARN, stackWithInventory } from './support/stacks';

const contentOf = (stack: Stack, flowPath: string) => {
  const flow = stack.node.findChild(flowPath.split('/')[1]) as TransferToPhoneNumberFlow | OutboundWhisperFlow;
  return stack.resolve(flow.resource.content);
};
const literalContent = (stack: Stack, flowPath: string) => readFlowContent(JSON.parse(contentOf(stack, flowPath)), flowPath).flow;

describe('TransferToPhoneNumberFlow', () => {
  const transfer = (callerId: CallerId, extra: object = {}) => {
    const { stack, numbers } = stackWithInventory();
    new TransferToPhoneNumberFlow(stack, 'Transfer', {
      claimedNumbers: numbers, name: 'Transfer', destination: TransferDestination.fromNumber('+81368009999'), callerId, ...extra,
    });
    return stack;
  };

  test('GIVEN a claimed static caller ID WHEN synthesized THEN a CONTACT_FLOW with the caller ID and no errors', () => {
    const stack = transfer(CallerId.fromNumber('+81368001234'));
    expect(errorsOf(stack)).toEqual([]);
    Template.fromStack(stack).hasResourceProperties('AWS::Connect::ContactFlow', { Type: 'CONTACT_FLOW', InstanceArn: INSTANCE_ARN });
    const flow = literalContent(stack, 'Centre/Transfer');
    const action = flow.Actions.find((a) => a.Type === 'TransferParticipantToThirdParty')!;
    expect(action.Parameters).toEqual({
      ThirdPartyPhoneNumber: '+81368009999', ThirdPartyConnectionTimeLimitSeconds: '30', ContinueFlowExecution: 'False',
      CallerId: { Number: '+81368001234' },
    });
    expect(action.Transitions).toEqual({ NextAction: 'disconnect', Errors: [{ NextAction: 'disconnect', ErrorType: 'NoMatchingError' }] });
    expect(flow.StartAction).toBe(action.Identifier);
  });

  test.each([
    ['ap-northeast-1', 'CALLER_ID_NOT_E164', 'callerId "ap-northeast-1" is refused'],
    ['+81368001299', 'CALLER_ID_NOT_CLAIMED', 'closest claimed: +81368001234'],
    ['03-6800-1234', 'CALLER_ID_NOT_E164', 'did you mean +81368001234?'],
  ])('GIVEN caller ID %s THEN synth reports %s on the construct path with the fix', (number, ruleId, fix) => {
    const errors = errorsOf(transfer(CallerId.fromNumber(number)));
    expect(errors).toHaveLength(1);
    expect(errors[0].path).toBe('/Centre/Transfer');
    expect(errors[0].message).toContain(`[${ruleId}]`);
    expect(errors[0].message).toContain(fix);
  });

  test('all problems of one construct are reported together', () => {
    const { stack, numbers } = stackWithInventory();
    new TransferToPhoneNumberFlow(stack, 'Transfer', {
      claimedNumbers: numbers, name: 'Transfer', destination: TransferDestination.fromNumber('0368009999'),
      callerId: CallerId.fromAttribute('x'), fallbackCallerId: CallerId.fromNumber('+81368001299'),
    });
    expect(errorsOf(stack).map((e) => e.message.match(/\[(\w+)\]/)![1]).sort()).toEqual(['CALLER_ID_NOT_CLAIMED', 'DESTINATION_NOT_E164']);
  });

  test('pass-through is an explicit choice: no CallerId in the flow, no error', () => {
    const stack = transfer(CallerId.passThrough());
    expect(errorsOf(stack)).toEqual([]);
    const action = literalContent(stack, 'Centre/Transfer').Actions.find((a) => a.Type === 'TransferParticipantToThirdParty')!;
    expect(action.Parameters.CallerId).toBeUndefined();
  });

  test('the customer\'s own number as caller ID is refused', () => {
    expect(errorsOf(transfer(CallerId.fromPath('$.CustomerEndpoint.Address'), { fallbackCallerId: CallerId.fromNumber('+81368001234') }))[0].message)
      .toContain('[CALLER_ID_CUSTOMER_NUMBER]');
  });

  test('a dynamic caller ID without fallback is refused when constructed', () => {
    expect(() => transfer(CallerId.fromAttribute('callerId'))).toThrow(/Centre\/Transfer: callerId \$\.Attributes\.callerId is dynamic, so fallbackCallerId is required/);
  });

  test('GIVEN a dynamic caller ID THEN a Compare against every claimed number guards it and falls back to the static number', () => {
    const stack = transfer(CallerId.fromAttribute('callerId'), { fallbackCallerId: CallerId.fromNumber('+81368001235'), continueFlowExecution: true });
    expect(errorsOf(stack)).toEqual([]);
    const flow = literalContent(stack, 'Centre/Transfer');
    const compare = flow.Actions.find((a) => a.Identifier === flow.StartAction)!;
    expect(compare.Type).toBe('Compare');
    expect(compare.Parameters).toEqual({ ComparisonValue: '$.Attributes.callerId' });
    expect(compare.Transitions.Conditions!.map((c) => c.Condition.Operands[0]))
      .toEqual(['+81120123456', '+81368001234', '+81368001235', '+815012345678']);
    const guarded = flow.Actions.find((a) => a.Identifier === compare.Transitions.Conditions![0].NextAction)!;
    const fallback = flow.Actions.find((a) => a.Identifier === compare.Transitions.NextAction)!;
    expect(guarded.Parameters.CallerId).toEqual({ Number: '$.Attributes.callerId' });
    expect(fallback.Parameters.CallerId).toEqual({ Number: '+81368001235' });
    expect(compare.Transitions.Errors).toEqual([{ NextAction: fallback.Identifier, ErrorType: 'NoMatchingCondition' }]);
    for (const t of [guarded, fallback]) {
      expect(t.Transitions.Errors!.map((e) => e.ErrorType)).toEqual(['CallFailed', 'ConnectionTimeLimitExceeded', 'NoMatchingError']);
    }
  });

  test('allowedCallerIds narrows the guard', () => {
    const stack = transfer(CallerId.fromExternal('cid'), {
      fallbackCallerId: CallerId.fromNumber('+81368001235'), allowedCallerIds: [CallerId.fromNumber('+81368001234')],
    });
    const flow = literalContent(stack, 'Centre/Transfer');
    const compare = flow.Actions.find((a) => a.Type === 'Compare')!;
    expect(compare.Transitions.Conditions!.map((c) => c.Condition.Operands[0])).toEqual(['+81368001234']);
  });

  test('every action has a designer position', () => {
    const stack = transfer(CallerId.fromAttribute('callerId'), { fallbackCallerId: CallerId.fromNumber('+81368001235') });
    const content = JSON.parse(contentOf(stack, 'Centre/Transfer'));
    for (const action of content.Actions) expect(content.Metadata.ActionMetadata[action.Identifier].position).toEqual({ x: expect.any(Number), y: expect.any(Number) });
  });

  test('QUEUE_TRANSFER, timeout and DTMF digits are emitted as given; out-of-range values are refused', () => {
    const stack = transfer(CallerId.fromNumber('+81368001234'), {
      flowType: TransferFlowType.QUEUE_TRANSFER, timeout: Duration.seconds(120), continueFlowExecution: true, dtmfDigits: '1,2#',
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Connect::ContactFlow', { Type: 'QUEUE_TRANSFER' });
    const action = literalContent(stack, 'Centre/Transfer').Actions.find((a) => a.Type === 'TransferParticipantToThirdParty')!;
    expect(action.Parameters).toMatchObject({ ThirdPartyConnectionTimeLimitSeconds: '120', ContinueFlowExecution: 'True', ThirdPartyDTMFDigits: '1,2#' });
    expect(() => transfer(CallerId.fromNumber('+81368001234'), { timeout: Duration.minutes(11) })).toThrow(/timeout must be a whole number of seconds from 0 to 600, got 660/);
    expect(() => transfer(CallerId.fromNumber('+81368001234'), { dtmfDigits: 'abc' })).toThrow(/dtmfDigits "abc" must be 1-50 of 0-9/);
  });

  test('GIVEN a caller ID from a CloudFormation parameter THEN synth does not judge it and the deploy-time check receives it', () => {
    const { stack, numbers } = stackWithInventory();
    const param = new CfnParameter(stack, 'CallerIdNumber');
    new TransferToPhoneNumberFlow(stack, 'Transfer', {
      claimedNumbers: numbers, name: 'Transfer', destination: TransferDestination.fromNumber('+81368009999'),
      callerId: CallerId.fromNumber(param.valueAsString),
    });
    expect(errorsOf(stack)).toEqual([]);
    const { properties } = checkOf(stack);
    expect(properties.TargetArns).toEqual([INSTANCE_ARN]);
    expect(properties.Numbers).toEqual([{
      Number: { Ref: 'CallerIdNumber' }, UsedBy: [{ Path: 'Centre/Transfer', Context: 'transfer to phone number', Destination: '+81368009999' }],
    }]);
  });
});

describe('OutboundWhisperFlow', () => {
  test('Call phone number is the first block, followed by the prompt', () => {
    const { stack, numbers } = stackWithInventory();
    new OutboundWhisperFlow(stack, 'Whisper', { claimedNumbers: numbers, name: 'W', callerId: CallerId.fromNumber('+81368001234'), prompt: 'Hello' });
    expect(errorsOf(stack)).toEqual([]);
    Template.fromStack(stack).hasResourceProperties('AWS::Connect::ContactFlow', { Type: 'OUTBOUND_WHISPER' });
    const flow = literalContent(stack, 'Centre/Whisper');
    const start = flow.Actions.find((a) => a.Identifier === flow.StartAction)!;
    expect(start).toMatchObject({ Type: 'CompleteOutboundCall', Parameters: { CallerId: { Number: '+81368001234' } } });
    expect(flow.Actions.find((a) => a.Identifier === start.Transitions.NextAction)).toMatchObject({ Type: 'MessageParticipant', Parameters: { Text: 'Hello' } });
  });

  test('a dynamic caller ID falls back to the queue\'s number (a Call phone number block without caller ID)', () => {
    const { stack, numbers } = stackWithInventory();
    const whisper = new OutboundWhisperFlow(stack, 'Whisper', { claimedNumbers: numbers, name: 'W', callerId: CallerId.fromAttribute('callerId') });
    expect(whisper.usesDynamicCallerId).toBe(true);
    const flow = literalContent(stack, 'Centre/Whisper');
    const compare = flow.Actions.find((a) => a.Identifier === flow.StartAction)!;
    expect(compare.Type).toBe('Compare');
    const fallback = flow.Actions.find((a) => a.Identifier === compare.Transitions.NextAction)!;
    expect(fallback).toMatchObject({ Type: 'CompleteOutboundCall', Parameters: {} });
  });

  test('an unclaimed caller ID is refused; pass-through is refused', () => {
    const { stack, numbers } = stackWithInventory();
    new OutboundWhisperFlow(stack, 'A', { claimedNumbers: numbers, name: 'A', callerId: CallerId.fromNumber('+81368001299') });
    new OutboundWhisperFlow(stack, 'B', { claimedNumbers: numbers, name: 'B', callerId: CallerId.passThrough() });
    expect(errorsOf(stack).map((e) => [e.path, e.message.match(/\[(\w+)\]/)![1]])).toEqual([
      ['/Centre/A', 'CALLER_ID_NOT_CLAIMED'], ['/Centre/B', 'CALLER_ID_UNSET'],
    ]);
  });
});

describe('OutboundQueue', () => {
  test('the number ARN is the inventory\'s, verified by the deploy-time check; the whisper flow is wired, the name is set', () => {
    const { stack, numbers } = stackWithInventory();
    const whisper = new OutboundWhisperFlow(stack, 'Whisper', { claimedNumbers: numbers, name: 'W', callerId: CallerId.fromNumber('+81368001235') });
    new OutboundQueue(stack, 'Queue', {
      claimedNumbers: numbers, name: 'Sales', hoursOfOperationArn: HOURS_ARN,
      callerIdNumber: CallerId.fromNumber('+81368001234'), callerIdName: 'Example Corp', outboundWhisperFlow: whisper,
    });
    expect(errorsOf(stack)).toEqual([]);
    const template = Template.fromStack(stack);
    const { id, properties } = checkOf(stack);
    const arn = 'arn:aws:connect:ap-northeast-1:123456789012:phone-number/3f8e2d1c-4b5a-4c6d-9e7f-0a1b2c3d4e5f';
    template.hasResource('AWS::Connect::Queue', {
      Properties: {
        Name: 'Sales', InstanceArn: INSTANCE_ARN, HoursOfOperationArn: HOURS_ARN,
        OutboundCallerConfig: {
          OutboundCallerIdName: 'Example Corp',
          OutboundCallerIdNumberArn: arn,
          OutboundFlowArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Whisper'), 'ContactFlowArn'] },
        },
      },
      DependsOn: [id],
    });
    expect(properties.Numbers).toEqual([
      { Number: '+81368001234', UsedBy: [{ Path: 'Centre/Queue', Context: 'queue' }], Arn: arn },
      { Number: '+81368001235', UsedBy: [{ Path: 'Centre/Whisper', Context: 'outbound whisper flow' }] },
    ]);
  });

  test('without the deploy-time check the ARN comes from the inventory, never the instance/... form', () => {
    const { stack } = stackWithInventory();
    const numbers = ClaimedNumbers.fromNumbers(stack, 'Declared', {
      instanceArn: INSTANCE_ARN, deployTimeCheck: false,
      numbers: [{ number: '+81368001234', type: PhoneNumberType.DID, arn: 'arn:aws:connect:ap-northeast-1:123456789012:phone-number/abc-1' }],
    });
    new OutboundQueue(stack, 'Queue', { claimedNumbers: numbers, name: 'Q', hoursOfOperationArn: HOURS_ARN, callerIdNumber: CallerId.fromNumber('+81368001234') });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Connect::Queue', {
      OutboundCallerConfig: { OutboundCallerIdNumberArn: 'arn:aws:connect:ap-northeast-1:123456789012:phone-number/abc-1' },
    });
    template.resourceCountIs('Custom::ConnectCallerIdCheck', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    expect(() => ClaimedNumbers.fromNumbers(stack, 'Bad', {
      instanceArn: INSTANCE_ARN,
      numbers: [{ number: '+81368001234', type: PhoneNumberType.DID, arn: `${INSTANCE_ARN}/phone-number/abc-1` }],
    })).toThrow(/the form queues accept is arn:aws:connect:ap-northeast-1:123456789012:phone-number\/abc-1/);
  });

  test('a number claimed in the stack is used through its own ARN, with no deploy-time lookup', () => {
    const { stack, numbers } = stackWithInventory();
    const claimed = numbers.claimNumber('Sales', { countryCode: 'JP', type: PhoneNumberType.DID, prefix: '+8150' });
    new OutboundQueue(stack, 'Queue', { claimedNumbers: numbers, name: 'Q', hoursOfOperationArn: HOURS_ARN, callerIdNumber: CallerId.fromClaimedNumber(claimed) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Connect::PhoneNumber', { TargetArn: INSTANCE_ARN, CountryCode: 'JP', Type: 'DID', Prefix: '+8150' });
    template.hasResourceProperties('AWS::Connect::Queue', {
      OutboundCallerConfig: { OutboundCallerIdNumberArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NumbersSales'), 'PhoneNumberArn'] } },
    });
    template.resourceCountIs('Custom::ConnectCallerIdCheck', 0);
  });

  test('a queue caller ID must be fixed before the call; an unclaimed one is refused', () => {
    const { stack, numbers } = stackWithInventory();
    expect(() => new OutboundQueue(stack, 'Dyn', { claimedNumbers: numbers, name: 'Q', hoursOfOperationArn: HOURS_ARN, callerIdNumber: CallerId.fromAttribute('x') }))
      .toThrow(/Centre\/Dyn: callerIdNumber must be a number fixed before the call/);
    new OutboundQueue(stack, 'Unclaimed', { claimedNumbers: numbers, name: 'Q', hoursOfOperationArn: HOURS_ARN, callerIdNumber: CallerId.fromNumber('+81368001299') });
    expect(errorsOf(stack)).toEqual([{ path: '/Centre/Unclaimed', message: expect.stringContaining('[CALLER_ID_NOT_CLAIMED]') }]);
  });

  test('a queue without a caller ID number is refused', () => {
    const { stack, numbers } = stackWithInventory();
    new OutboundQueue(stack, 'Queue', { claimedNumbers: numbers, name: 'Q', hoursOfOperationArn: HOURS_ARN } as any);
    expect(errorsOf(stack)[0].message).toContain('[QUEUE_CALLER_ID_UNSET]');
  });
});

describe('ClaimedNumbers', () => {
  test('fromLookup without an inventory fails synth with the command that fills it', () => {
    const stack = new Stack();
    const numbers = ClaimedNumbers.fromLookup(stack, 'Numbers', { instanceArn: INSTANCE_ARN });
    new TransferToPhoneNumberFlow(stack, 'Transfer', {
      claimedNumbers: numbers, name: 'T', destination: TransferDestination.fromNumber('+81368009999'), callerId: CallerId.fromNumber('+81368001299'),
    });
    expect(errorsOf(stack)).toEqual([{
      path: '/Default/Numbers',
      message: expect.stringContaining(`Fill it with: npx connect-caller-id lookup --instance-arn ${INSTANCE_ARN} --region ap-northeast-1`),
    }]);
  });

  test('fromLookup with a corrupt inventory names the problem', () => {
    const { App } = require('aws-cdk-lib');
    const app = new App({ context: { [`connect-caller-id:claimed-numbers:${INSTANCE_ARN}`]: { instanceArn: INSTANCE_ARN, numbers: [{ number: '0368001234', type: 'DID' }] } } });
    const stack = new Stack(app, 'S');
    ClaimedNumbers.fromLookup(stack, 'Numbers', { instanceArn: INSTANCE_ARN });
    expect(errorsOf(stack)[0].message).toMatch(/numbers\[0\]\.number must be an E\.164 string such as "\+81368001234", got "0368001234"/);
  });

  test('claimNumber refuses an unknown country code and a bad prefix', () => {
    const { numbers } = stackWithInventory();
    expect(() => numbers.claimNumber('A', { countryCode: 'JPN', type: PhoneNumberType.DID })).toThrow(/countryCode "JPN" is not an ISO 3166-1 alpha-2 code/);
    expect(() => numbers.claimNumber('B', { countryCode: 'JP', type: PhoneNumberType.DID, prefix: '050' })).toThrow(/prefix "050" must be \+/);
  });
});

describe('the call-time guard over a large inventory', () => {
  test('a guard too long for one flow is refused with the way to narrow it; allowedCallerIds builds', () => {
    const { stack } = stackWithInventory();
    const many = Array.from({ length: 3000 }, (_, i) => ({ number: `+8150${10_000_000 + i}`, type: PhoneNumberType.DID }));
    const numbers = ClaimedNumbers.fromNumbers(stack, 'Many', { instanceArn: INSTANCE_ARN, numbers: many, deployTimeCheck: false });
    const props = {
      claimedNumbers: numbers, name: 'T', destination: TransferDestination.fromNumber('+81368009999'),
      callerId: CallerId.fromAttribute('callerId'), fallbackCallerId: CallerId.fromNumber(many[0].number),
    };
    expect(() => new TransferToPhoneNumberFlow(stack, 'All', props))
      .toThrow(/\[FLOW_CONTENT_TOO_LONG\][\s\S]*compares the dynamic caller ID with 3000 claimed numbers[\s\S]*set allowedCallerIds/);
    new TransferToPhoneNumberFlow(stack, 'Narrow', { ...props, allowedCallerIds: many.slice(0, 10).map((n) => CallerId.fromNumber(n.number)) });
    expect(errorsOf(stack)).toEqual([]);
  });
});

describe('edge cases a reviewer would try', () => {
  const destination = TransferDestination.fromNumber('+81368009999');

  test('GIVEN no claimed number could pass the guard THEN the flow starts at the fallback and has no unchecked transfer', () => {
    const { stack } = stackWithInventory();
    const empty = ClaimedNumbers.fromNumbers(stack, 'Empty', { instanceArn: INSTANCE_ARN, numbers: [], deployTimeCheck: false });
    new TransferToPhoneNumberFlow(stack, 'Transfer', {
      claimedNumbers: empty, name: 'T', destination, callerId: CallerId.fromAttribute('callerId'), fallbackCallerId: CallerId.fromNumber('+81368001234'),
    });
    const flow = literalContent(stack, 'Centre/Transfer');
    const start = flow.Actions.find((a) => a.Identifier === flow.StartAction)!;
    expect(start.Parameters.CallerId).toEqual({ Number: '+81368001234' });
    expect(flow.Actions.filter((a) => a.Type === 'TransferParticipantToThirdParty')).toHaveLength(1);
  });

  test('an empty allowedCallerIds is refused', () => {
    const { stack, numbers } = stackWithInventory();
    expect(() => new TransferToPhoneNumberFlow(stack, 'Transfer', {
      claimedNumbers: numbers, name: 'T', destination, callerId: CallerId.fromAttribute('callerId'),
      fallbackCallerId: CallerId.fromNumber('+81368001234'), allowedCallerIds: [],
    })).toThrow(/Centre\/Transfer: allowedCallerIds is empty/);
  });

  test('a queue whose number ARN is unknown is refused even when a warning is also reported', () => {
    const { stack } = stackWithInventory();
    const numbers = ClaimedNumbers.fromNumbers(stack, 'NoArn', {
      instanceArn: INSTANCE_ARN, deployTimeCheck: false, numbers: [{ number: '+81368001234', type: PhoneNumberType.DID }],
    });
    new OutboundQueue(stack, 'Queue', {
      claimedNumbers: numbers, name: 'Q', hoursOfOperationArn: HOURS_ARN, callerIdNumber: CallerId.fromNumber('+81368001234'), callerIdName: 'Example Corp',
    });
    expect(errorsOf(stack).map((e) => e.message)).toEqual([expect.stringContaining('[QUEUE_CALLER_ID_ARN_UNKNOWN]')]);
  });

  test('a number claimed for another instance is refused as a caller ID', () => {
    const { stack, numbers } = stackWithInventory();
    const other = ClaimedNumbers.fromNumbers(stack, 'Other', {
      instanceArn: 'arn:aws:connect:ap-northeast-1:123456789012:instance/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', numbers: [],
    });
    const claim = other.claimNumber('Sales', { countryCode: 'JP', type: PhoneNumberType.DID });
    expect(() => new OutboundQueue(stack, 'Queue', {
      claimedNumbers: numbers, name: 'Q', hoursOfOperationArn: HOURS_ARN, callerIdNumber: CallerId.fromClaimedNumber(claim),
    })).toThrow(/Centre\/Queue: callerIdNumber is a number claimed for arn:aws:connect:.*instance\/aaaaaaaa/);
  });

  test('a dynamic destination is not judged as a caller ID; a destination mixing text and a reference is refused', () => {
    const { stack, numbers } = stackWithInventory();
    new TransferToPhoneNumberFlow(stack, 'Back', {
      claimedNumbers: numbers, name: 'B', destination: TransferDestination.fromPath('$.CustomerEndpoint.Address'), callerId: CallerId.fromNumber('+81368001234'),
    });
    new TransferToPhoneNumberFlow(stack, 'Mixed', {
      claimedNumbers: numbers, name: 'M', destination: TransferDestination.fromPath('+81$.Attributes.x'), callerId: CallerId.fromNumber('+81368001234'),
    });
    expect(errorsOf(stack).map((e) => [e.path, e.message.match(/\[(\w+)\]/)![1]])).toEqual([['/Centre/Mixed', 'DESTINATION_INVALID_REFERENCE']]);
  });

  test('a timeout and an attribute name from parameters are left to deploy time', () => {
    const { stack, numbers } = stackWithInventory();
    const seconds = new CfnParameter(stack, 'Seconds', { type: 'Number' });
    const attribute = new CfnParameter(stack, 'Attribute');
    new TransferToPhoneNumberFlow(stack, 'Transfer', {
      claimedNumbers: numbers, name: 'T', destination, timeout: Duration.seconds(seconds.valueAsNumber),
      callerId: CallerId.fromAttribute(attribute.valueAsString), fallbackCallerId: CallerId.fromNumber('+81368001234'),
    });
    expect(errorsOf(stack)).toEqual([]);
    const content = JSON.stringify(contentOf(stack, 'Centre/Transfer'));
    expect(content).toContain('"Ref":"Seconds"');
    expect(content).toContain('"Ref":"Attribute"');
  });
});

describe('the guard\'s numbers at deploy time', () => {
  test('GIVEN a dynamic caller ID THEN the numbers its guard lets through are verified by the check, without ARNs', () => {
    const { stack, numbers } = stackWithInventory();
    new OutboundWhisperFlow(stack, 'Whisper', { claimedNumbers: numbers, name: 'W', callerId: CallerId.fromAttribute('callerId') });
    new TransferToPhoneNumberFlow(stack, 'Transfer', {
      claimedNumbers: numbers, name: 'T', destination: TransferDestination.fromNumber('+81368009999'),
      callerId: CallerId.fromExternal('callerId'), fallbackCallerId: CallerId.fromNumber('+81368001235'),
    });
    const template = Template.fromStack(stack);
    const checks = template.findResources('Custom::ConnectCallerIdCheck');
    expect(Object.keys(checks)).toHaveLength(1);
    const [checkId, check] = Object.entries<any>(checks)[0];
    expect(usesOf(check.Properties)).toEqual([['+81368001235', 'Centre/Transfer', 'transfer to phone number']]);
    expect(check.Properties).toMatchObject({
      GuardNumbers: ['+81120123456', '+81368001234', '+81368001235', '+815012345678'],
      GuardUsedBy: [{ Path: 'Centre/Transfer', Context: 'transfer to phone number' }, { Path: 'Centre/Whisper', Context: 'outbound whisper flow' }],
    });
    for (const flow of Object.values<any>(template.findResources('AWS::Connect::ContactFlow'))) expect(flow.DependsOn).toContain(checkId);
  });

  test('GIVEN allowedCallerIds THEN those numbers are verified as the flow\'s own, and nothing as a guard', () => {
    const { stack, numbers } = stackWithInventory();
    new OutboundWhisperFlow(stack, 'Whisper', {
      claimedNumbers: numbers, name: 'W', callerId: CallerId.fromAttribute('callerId'), allowedCallerIds: [CallerId.fromNumber('+81368001234')],
    });
    const check = Object.values<any>(Template.fromStack(stack).findResources('Custom::ConnectCallerIdCheck'))[0];
    expect(usesOf(check.Properties)).toEqual([['+81368001234', 'Centre/Whisper', 'outbound whisper flow']]);
    expect(check.Properties.GuardNumbers).toBeUndefined();
  });
});

describe('numbers claimed after the flow', () => {
  test('GIVEN a number claimed after a flow with a dynamic caller ID THEN the flow\'s guard lets it through', () => {
    const { stack, numbers } = stackWithInventory();
    new OutboundWhisperFlow(stack, 'Whisper', { claimedNumbers: numbers, name: 'W', callerId: CallerId.fromAttribute('callerId') });
    const claim = numbers.claimNumber('Later', { countryCode: 'JP', type: PhoneNumberType.DID });
    const content = JSON.stringify(contentOf(stack, 'Centre/Whisper'));
    expect(content).toContain(JSON.stringify(stack.resolve(claim.address)).slice(1, -1));
    expect(content).toContain('+81368001234');
  });
});
