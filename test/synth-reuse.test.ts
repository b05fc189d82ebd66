import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CallerId, ClaimedNumber, ClaimedNumbers, OutboundWhisperFlow, PhoneNumberType } from '../lib';
import { CallerIdRules } from '../lib/core/rules';
import { checkOf } from './support/checks';
import { errorsOf, INSTANCE_ARN } from './support/stacks';

/*
 * What synth computes once and reuses across stacks and users (the numbers declared in code, the deploy-time
 * check's logical id) must still follow every change the app makes before synth.
 */

const ENV = { account: '123456789012', region: 'ap-northeast-1' };
const SALES: ClaimedNumber = { number: '+81368001234', type: PhoneNumberType.DID, countryCode: 'JP' };
const SUPPORT: ClaimedNumber = { number: '+81368001235', type: PhoneNumberType.DID, countryCode: 'JP' };

function whisperIn(stack: Stack, numbers: ClaimedNumber[], callerId: string): void {
  const claimed = ClaimedNumbers.fromNumbers(stack, 'Numbers', { instanceArn: INSTANCE_ARN, numbers });
  new OutboundWhisperFlow(stack, 'Whisper', { claimedNumbers: claimed, name: 'Whisper', callerId: CallerId.fromNumber(callerId) });
}

describe('numbers declared in several stacks', () => {
  test('GIVEN one list declared in two stacks and a number added in between THEN the second stack knows the added number', () => {
    const app = new App();
    const numbers = [SALES];
    const first = new Stack(app, 'First', { env: ENV });
    whisperIn(first, numbers, SUPPORT.number);
    numbers.push(SUPPORT);
    const second = new Stack(app, 'Second', { env: ENV });
    whisperIn(second, numbers, SUPPORT.number);

    expect(errorsOf(first).map((e) => e.message).join('\n')).toContain(CallerIdRules.NOT_CLAIMED.id);
    expect(errorsOf(second)).toEqual([]);
  });

  test('GIVEN one list declared in two stacks and an entry replaced in between THEN the second stack judges the new entry', () => {
    const app = new App();
    const numbers = [SALES];
    const first = new Stack(app, 'First', { env: ENV });
    whisperIn(first, numbers, SALES.number);
    numbers[0] = { ...SALES, type: PhoneNumberType.UIFN };
    const second = new Stack(app, 'Second', { env: ENV });
    whisperIn(second, numbers, SALES.number);

    expect(errorsOf(first)).toEqual([]);
    // The type recorded in the inventory is what the rules go by: a UIFN cannot place outbound calls.
    expect(errorsOf(second).map((e) => e.message).join('\n')).toContain('CALLER_ID_UIFN_NO_OUTBOUND');
  });
});

describe('the deploy-time check keeps the logical id aws-cdk-lib gives it', () => {
  const centre = (): Stack => {
    const stack = new Stack(new App(), 'Centre', { env: ENV });
    whisperIn(stack, [SALES], SALES.number);
    return stack;
  };

  test('GIVEN stack.renameLogicalId of the check, after its users, THEN the check and every DependsOn use the new id', () => {
    const { id } = checkOf(centre());
    const stack = centre();
    stack.renameLogicalId(id, 'CallerIdCheck');

    const template = Template.fromStack(stack).toJSON();
    expect(template.Resources.CallerIdCheck.Type).toBe('Custom::ConnectCallerIdCheck');
    expect(template.Resources[id]).toBeUndefined();
    const [flow] = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::Connect::ContactFlow');
    expect(flow.DependsOn).toEqual(['CallerIdCheck']);
  });
});
