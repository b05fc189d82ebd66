import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CallerId, TransferDestination } from '../lib/constructs/caller-id';
import { ClaimedNumbers } from '../lib/constructs/claimed-numbers';
import { OutboundWhisperFlow } from '../lib/constructs/outbound-whisper-flow';
import { TransferToPhoneNumberFlow } from '../lib/constructs/transfer-to-phone-number-flow';
import { checkFlow } from '../lib/core/flow/check';
import { guardableNumbers } from '../lib/core/flow/guard';
import { ActionTypes, ContactFlowType, FlowDocument } from '../lib/core/flow/model';
import { readFlowContent } from '../lib/core/flow/reader';
import { ClaimedNumber, Inventory, inventoryContextKey, PhoneNumberType } from '../lib/core/inventory';
import { CallerIdContext } from '../lib/core/rules';
import { warningsOf } from './support/stacks';

// An instance whose inventory holds numbers a guard must never let through: a UIFN number (no outbound calls)
// and an Australian toll-free number (Australia takes DIDs only), beside two numbers that may call.
const INSTANCE = 'arn:aws:connect:ap-southeast-2:123456789012:instance/0b6c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3';
const NUMBERS: ClaimedNumber[] = [
  { number: '+61255501234', type: PhoneNumberType.DID, countryCode: 'AU' },
  { number: '+80012345678', type: PhoneNumberType.UIFN },
  { number: '+611800123456', type: PhoneNumberType.TOLL_FREE, countryCode: 'AU' },
  { number: '+61255501235', type: PhoneNumberType.DID, countryCode: 'AU' },
];
const CALLING = ['+61255501234', '+61255501235'];

function app(): { stack: Stack; numbers: ClaimedNumbers; inventory: Inventory } {
  const a = new App({ context: { [inventoryContextKey(INSTANCE)]: { instanceArn: INSTANCE, numbers: NUMBERS } } });
  const stack = new Stack(a, 'Centre', { env: { account: '123456789012', region: 'ap-southeast-2' } });
  const numbers = ClaimedNumbers.fromLookup(stack, 'Numbers', { instanceArn: INSTANCE });
  return { stack, numbers, inventory: numbers.inventory! };
}

function generatedFlow(stack: Stack): FlowDocument {
  const [flow] = Object.values(Template.fromStack(stack).findResources('AWS::Connect::ContactFlow'));
  return readFlowContent(JSON.parse(flow.Properties.Content), 'generated').flow;
}

const guardedSentence = /It is reached only through Compare/;

describe('one answer to "which numbers may a guard let through, and is this caller ID guarded?"', () => {
  test('GIVEN an inventory with UIFN and Australian toll-free numbers THEN only the numbers that may call are guardable', () => {
    const { inventory } = app();
    expect(guardableNumbers(inventory)).toEqual(CALLING);
    expect(guardableNumbers(inventory, CallerIdContext.OUTBOUND_WHISPER)).toEqual(CALLING);
  });

  test.each([
    ['TransferToPhoneNumberFlow', ContactFlowType.CONTACT_FLOW, (stack: Stack, numbers: ClaimedNumbers) => new TransferToPhoneNumberFlow(stack, 'Flow', {
      claimedNumbers: numbers, name: 'T', destination: TransferDestination.fromNumber('+61255509999'),
      callerId: CallerId.fromAttribute('callerId'), fallbackCallerId: CallerId.fromNumber('+61255501234'),
    })],
    ['OutboundWhisperFlow', ContactFlowType.OUTBOUND_WHISPER, (stack: Stack, numbers: ClaimedNumbers) => new OutboundWhisperFlow(stack, 'Flow', {
      claimedNumbers: numbers, name: 'W', callerId: CallerId.fromAttribute('callerId'), fallbackCallerId: CallerId.fromNumber('+61255501234'),
    })],
  ])('GIVEN a %s with a dynamic caller ID THEN its Compare lets through the guardable numbers and check calls it guarded, as the construct does', (_name, type, build) => {
    // GIVEN
    const { stack, numbers, inventory } = app();
    build(stack, numbers);

    // WHEN
    const flow = generatedFlow(stack);
    const findings = checkFlow(flow, { type, inventory });

    // THEN the generated guard compares with exactly the guardable numbers
    const compare = flow.Actions.find((a) => a.Type === ActionTypes.COMPARE)!;
    expect(compare.Transitions.Conditions!.map((c) => c.Condition.Operands[0])).toEqual(CALLING);
    // and check reads the same flow as guarded, like the construct's own warning
    const dynamic = findings.filter((f) => f.ruleId === 'CALLER_ID_DYNAMIC');
    expect(dynamic).toHaveLength(1);
    expect(dynamic[0].message).toMatch(guardedSentence);
    const constructWarning = warningsOf(stack).find((w) => w.message.includes('CALLER_ID_DYNAMIC'))!;
    expect(constructWarning.message).toMatch(/The generated Compare lets through only the claimed numbers \(\+61255501234, \+61255501235, and any number claimed in this app after this construct\)/);
  });

  test.each([['+80012345678', 'a UIFN number'], ['+611800123456', 'an Australian toll-free number']])(
    'GIVEN the generated flow with its Compare also letting %s through (%s) THEN check no longer calls it guarded', (number) => {
      const { stack, numbers, inventory } = app();
      new TransferToPhoneNumberFlow(stack, 'Flow', {
        claimedNumbers: numbers, name: 'T', destination: TransferDestination.fromNumber('+61255509999'),
        callerId: CallerId.fromAttribute('callerId'), fallbackCallerId: CallerId.fromNumber('+61255501234'),
      });
      const flow = generatedFlow(stack);
      const compare = flow.Actions.find((a) => a.Type === ActionTypes.COMPARE)!;
      const guarded = compare.Transitions.Conditions![0].NextAction;
      compare.Transitions.Conditions!.push({ NextAction: guarded, Condition: { Operator: 'Equals', Operands: [number] } });

      const dynamic = checkFlow(flow, { type: ContactFlowType.CONTACT_FLOW, inventory }).filter((f) => f.ruleId === 'CALLER_ID_DYNAMIC');
      expect(dynamic).toHaveLength(1);
      expect(dynamic[0].message).toMatch(/Nothing guards it/);
    });
});

describe('a value checked by the guard and set again after it is not guarded', () => {
  // Synthetic flows in the shapes of console exports: Check contact attributes, then Set contact attributes
  // (`{Attributes, TargetContact: "Current"}`) or Invoke Lambda function, then the block placing the call.
  const CHECKED = '+61255501234';
  const between = (type: string, parameters: Record<string, unknown>) => ({
    Identifier: 'between', Type: type, Parameters: parameters,
    Transitions: { NextAction: 'call', Errors: [{ NextAction: 'call', ErrorType: 'NoMatchingError' }] },
  });
  const whisper = (reference: string, middle?: ReturnType<typeof between>): FlowDocument => ({
    Version: '2019-10-30', StartAction: 'check',
    Actions: [
      { Identifier: 'check', Type: ActionTypes.COMPARE, Parameters: { ComparisonValue: reference },
        Transitions: { NextAction: 'fallback', Conditions: [{ NextAction: middle ? 'between' : 'call', Condition: { Operator: 'Equals', Operands: [CHECKED] } }],
          Errors: [{ NextAction: 'fallback', ErrorType: 'NoMatchingCondition' }] } },
      ...(middle ? [middle] : []),
      { Identifier: 'call', Type: ActionTypes.CALL_PHONE_NUMBER, Parameters: { CallerId: { Number: reference } }, Transitions: { NextAction: 'end' } },
      { Identifier: 'fallback', Type: ActionTypes.CALL_PHONE_NUMBER, Parameters: { CallerId: { Number: CHECKED } }, Transitions: { NextAction: 'end' } },
      { Identifier: 'end', Type: ActionTypes.END_FLOW, Parameters: {}, Transitions: {} },
    ],
  });
  const dynamicMessage = (flow: FlowDocument): string => {
    const { inventory } = app();
    const findings = checkFlow(flow, { type: ContactFlowType.OUTBOUND_WHISPER, inventory }).filter((f) => f.ruleId === 'CALLER_ID_DYNAMIC');
    expect(findings).toHaveLength(1);
    return findings[0].message;
  };
  const setAttributes = (attributes: Record<string, string>) => between(ActionTypes.SET_CONTACT_ATTRIBUTES, { Attributes: attributes, TargetContact: 'Current' });
  const lambda = between(ActionTypes.INVOKE_LAMBDA, { LambdaFunctionARN: 'arn:aws:lambda:ap-southeast-2:123456789012:function:pick', InvocationTimeLimitSeconds: '3' });

  test('GIVEN nothing between the Compare and the call THEN it is guarded', () => {
    expect(dynamicMessage(whisper('$.Attributes.callerId'))).toMatch(guardedSentence);
  });

  test('GIVEN Set contact attributes setting the attribute again after the Compare THEN it is not guarded', () => {
    expect(dynamicMessage(whisper('$.Attributes.callerId', setAttributes({ callerId: '$.External.number' })))).toMatch(/Nothing guards it/);
  });

  test('GIVEN Set contact attributes setting another attribute after the Compare THEN it stays guarded', () => {
    expect(dynamicMessage(whisper('$.Attributes.callerId', setAttributes({ tier: 'gold' })))).toMatch(guardedSentence);
  });

  test('GIVEN a bracketed attribute reference and Set contact attributes after the Compare THEN it is not guarded (the key is not matched by name)', () => {
    expect(dynamicMessage(whisper("$.Attributes['callerId']", setAttributes({ tier: 'gold' })))).toMatch(/Nothing guards it/);
  });

  test('GIVEN an Invoke Lambda function after a Compare on $.External THEN it is not guarded: the call replaces External', () => {
    expect(dynamicMessage(whisper('$.External.callerId', lambda))).toMatch(/Nothing guards it/);
  });

  test('GIVEN an Invoke Lambda function after a Compare on a contact attribute THEN it stays guarded', () => {
    expect(dynamicMessage(whisper('$.Attributes.callerId', lambda))).toMatch(guardedSentence);
  });

  test('GIVEN the attribute set again and then checked again THEN it is guarded: the second Compare guards it', () => {
    const flow = whisper('$.Attributes.callerId', setAttributes({ callerId: '$.External.number' }));
    flow.Actions[1] = { ...flow.Actions[1], Transitions: { NextAction: 'recheck', Errors: [{ NextAction: 'recheck', ErrorType: 'NoMatchingError' }] } };
    flow.Actions.push({ Identifier: 'recheck', Type: ActionTypes.COMPARE, Parameters: { ComparisonValue: '$.Attributes.callerId' },
      Transitions: { NextAction: 'fallback', Conditions: [{ NextAction: 'call', Condition: { Operator: 'Equals', Operands: [CHECKED] } }],
        Errors: [{ NextAction: 'fallback', ErrorType: 'NoMatchingCondition' }] } });
    expect(dynamicMessage(flow)).toMatch(guardedSentence);
  });

  test('GIVEN a loop back through Set contact attributes to the call THEN it is not guarded, and the walk ends', () => {
    // check -> call -> between (sets callerId) -> call: the second time the call has an unchecked value.
    const base = whisper('$.Attributes.callerId');
    const flow: FlowDocument = { ...base, Actions: [
      ...base.Actions.map((a) => (a.Identifier === 'call' ? { ...a, Transitions: { NextAction: 'between' } } : a)),
      setAttributes({ callerId: '$.External.number' }),
    ] };
    expect(dynamicMessage(flow)).toMatch(/Nothing guards it/);
  });

  test.each([
    ['$.Attributes.callerId', CallerId.fromAttribute('callerId')],
    ['$.External.callerId', CallerId.fromExternal('callerId')],
  ])('GIVEN the generated guards on %s THEN check still calls them guarded', (_reference, callerId) => {
    const { stack, numbers, inventory } = app();
    new OutboundWhisperFlow(stack, 'Flow', { claimedNumbers: numbers, name: 'W', callerId, fallbackCallerId: CallerId.fromNumber('+61255501234') });
    const dynamic = checkFlow(generatedFlow(stack), { type: ContactFlowType.OUTBOUND_WHISPER, inventory }).filter((f) => f.ruleId === 'CALLER_ID_DYNAMIC');
    expect(dynamic).toHaveLength(1);
    expect(dynamic[0].message).toMatch(guardedSentence);
  });
});
