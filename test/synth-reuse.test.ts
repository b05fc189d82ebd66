import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CallerId, ClaimedNumber, ClaimedNumbers, OutboundQueue, OutboundWhisperFlow, PhoneNumberType } from '../lib';
import { CallerIdRules } from '../lib/core/rules';
import { checkOf } from './support/checks';
import { errorsOf, INSTANCE_ARN } from './support/stacks';

/*
 * What synth computes once and reuses across stacks and users (the numbers declared in code, the deploy-time
 * check's logical id) must still follow every change the app makes before synth.
 */

const ENV = { account: '123456789012', region: 'ap-northeast-1' };
const SALES: ClaimedNumber = { number: '+81368001234', type: PhoneNumberType.DID, countryCode: 'JP' };
const SALES_ARN = 'arn:aws:connect:ap-northeast-1:123456789012:phone-number/5e1f0000-0000-4000-8000-000000000001';
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
  test('GIVEN one list declared in two stacks and an entry changed in place in between THEN the second stack judges the changed entry', () => {
    const app = new App();
    const numbers: ClaimedNumber[] = [{ ...SALES }];
    const first = new Stack(app, 'First', { env: ENV });
    whisperIn(first, numbers, SALES.number);
    (numbers[0] as { type: PhoneNumberType }).type = PhoneNumberType.UIFN;
    const second = new Stack(app, 'Second', { env: ENV });
    whisperIn(second, numbers, SALES.number);

    expect(errorsOf(first)).toEqual([]);
    expect(errorsOf(second).map((e) => e.message).join('\n')).toContain('CALLER_ID_UIFN_NO_OUTBOUND');
  });

  const OTHER_ARN = 'arn:aws:connect:ap-northeast-1:123456789012:phone-number/5e1f0000-0000-4000-8000-000000000002';
  test.each<[keyof ClaimedNumber, unknown]>([
    ['number', SUPPORT.number], ['type', PhoneNumberType.TOLL_FREE], ['countryCode', 'US'], ['arn', OTHER_ARN], ['description', 'Support line'],
  ])('GIVEN one list declared in two stacks and the %s of an entry changed in place in between THEN the second stack reads the new value', (field, value) => {
    const app = new App();
    const numbers: ClaimedNumber[] = [{ ...SALES, arn: SALES_ARN, description: 'Sales line' }];
    const declare = (stack: Stack) => ClaimedNumbers.fromNumbers(stack, 'Numbers', { instanceArn: INSTANCE_ARN, numbers });
    const first = declare(new Stack(app, 'First', { env: ENV }));
    (numbers[0] as unknown as Record<string, unknown>)[field] = value;
    const second = declare(new Stack(app, 'Second', { env: ENV }));

    expect(first.numbers[0][field]).not.toEqual(value);
    expect(second.numbers[0][field]).toEqual(value);
  });

  test('GIVEN one list declared in two stacks and an ARN added to an entry in between THEN the second stack\'s queue takes that ARN', () => {
    const app = new App();
    const numbers: ClaimedNumber[] = [{ ...SALES }];
    const queueIn = (stack: Stack): Stack => {
      const claimed = ClaimedNumbers.fromNumbers(stack, 'Numbers', { instanceArn: INSTANCE_ARN, numbers });
      new OutboundQueue(stack, 'Queue', {
        claimedNumbers: claimed, name: 'Queue', hoursOfOperationArn: `${INSTANCE_ARN}/operating-hours/2d3e4f50-6172-4839-a4b5-c6d7e8f90a1b`,
        callerIdNumber: CallerId.fromNumber(SALES.number),
      });
      return stack;
    };
    const queueArn = (stack: Stack): unknown => {
      const [queue] = Object.values<any>(Template.fromStack(stack).toJSON().Resources).filter((r) => r.Type === 'AWS::Connect::Queue');
      return queue.Properties.OutboundCallerConfig.OutboundCallerIdNumberArn;
    };
    const firstStack = queueIn(new Stack(app, 'First', { env: ENV }));
    (numbers[0] as { arn?: string }).arn = SALES_ARN;
    const secondStack = queueIn(new Stack(app, 'Second', { env: ENV }));
    const [first, second] = [queueArn(firstStack), queueArn(secondStack)];

    // Without an ARN in the inventory, the queue takes the one the deploy-time check returns.
    expect(first).toHaveProperty(['Fn::Join']);
    expect(second).toBe(SALES_ARN);
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

describe('the resources of the constructs keep the logical ids aws-cdk-lib gives them', () => {
  const HOURS_ARN = `${INSTANCE_ARN}/operating-hours/2d3e4f50-6172-4839-a4b5-c6d7e8f90a1b`;
  const queueIn = (stack: Stack): { whisper: OutboundWhisperFlow; queue: OutboundQueue } => {
    const claimed = ClaimedNumbers.fromNumbers(stack, 'Numbers', { instanceArn: INSTANCE_ARN, numbers: [{ ...SALES, arn: SALES_ARN }] });
    const callerId = CallerId.fromNumber(SALES.number);
    const whisper = new OutboundWhisperFlow(stack, 'Whisper', { claimedNumbers: claimed, name: 'Whisper', callerId });
    const queue = new OutboundQueue(stack, 'Queue', {
      claimedNumbers: claimed, name: 'Queue', hoursOfOperationArn: HOURS_ARN, callerIdNumber: callerId, outboundWhisperFlow: whisper,
    });
    return { whisper, queue };
  };
  const logicalIds = (stack: Stack) => Object.keys(Template.fromStack(stack).toJSON().Resources);

  test('GIVEN stack.renameLogicalId of a flow after the queue that references it THEN the flow and the reference use the new id', () => {
    const plain = new Stack(new App(), 'Centre', { env: ENV });
    const { whisper: original } = queueIn(plain);
    const id = plain.resolve(original.resource.logicalId) as string;

    const stack = new Stack(new App(), 'Centre', { env: ENV });
    queueIn(stack);
    stack.renameLogicalId(id, 'SalesWhisper');
    const template = Template.fromStack(stack).toJSON();
    expect(template.Resources.SalesWhisper.Type).toBe('AWS::Connect::ContactFlow');
    expect(template.Resources[id]).toBeUndefined();
    const [queue] = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::Connect::Queue');
    expect(queue.Properties.OutboundCallerConfig.OutboundFlowArn).toEqual({ 'Fn::GetAtt': ['SalesWhisper', 'ContactFlowArn'] });
  });

  test('GIVEN overrideLogicalId on a resource THEN it has that id', () => {
    const stack = new Stack(new App(), 'Centre', { env: ENV });
    const { queue } = queueIn(stack);
    queue.resource.overrideLogicalId('SalesQueue');
    expect(logicalIds(stack)).toContain('SalesQueue');
  });

  test('GIVEN a stack that allocates logical ids its own way THEN the resources have its ids', () => {
    class PrefixedStack extends Stack {
      protected allocateLogicalId(element: CfnElement): string {
        return `Sales${super.allocateLogicalId(element)}`;
      }
    }
    const stack = new PrefixedStack(new App(), 'Centre', { env: ENV });
    const { whisper, queue } = queueIn(stack);
    const ids = logicalIds(stack);
    expect(ids).toContain(stack.resolve(whisper.resource.logicalId));
    expect(ids).toContain(stack.resolve(queue.resource.logicalId));
    expect(ids.filter((id) => !id.startsWith('Sales'))).toEqual([]);
  });
});
