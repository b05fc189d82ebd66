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
    expect(constructWarning.message).toMatch(/The generated Compare lets through only the claimed numbers \(\+61255501234, \+61255501235\)/);
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
