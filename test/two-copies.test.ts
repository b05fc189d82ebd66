import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ROOT } from './support/run';
import { errorsOf, HOURS_ARN, INSTANCE_ARN, warningsOf } from './support/stacks';

// An app that loads two copies of this package (a company's construct library pinned to one, the app to
// another), sharing one aws-cdk-lib as npm installs peers: what one copy makes is recognised by the other.

type Package = typeof import('../lib');
const SECOND = path.join(ROOT, 'node_modules', `.second-copy-${process.pid}`);

const NUMBERS = [{
  number: '+81368001234', type: 'DID' as never, countryCode: 'JP',
  arn: 'arn:aws:connect:ap-northeast-1:123456789012:phone-number/5e1f0000-0000-4000-8000-000000000001',
}];

let first: Package;
let second: Package;

beforeAll(() => {
  for (const dir of ['lib', 'handler']) fs.cpSync(path.join(ROOT, 'dist', dir), path.join(SECOND, 'dist', dir), { recursive: true });
  first = require(path.join(ROOT, 'dist', 'lib'));
  second = require(path.join(SECOND, 'dist', 'lib'));
});
afterAll(() => fs.rmSync(SECOND, { recursive: true, force: true }));

test('a campaign of one copy takes the queue, flow and dialling mode of the other, as its own', () => {
  const stack = new Stack(new App(), 'Centre', { env: { account: '123456789012', region: 'ap-northeast-1' } });
  const ours = first.ClaimedNumbers.fromNumbers(stack, 'Numbers', { instanceArn: INSTANCE_ARN, numbers: NUMBERS });
  // One check per stack and instance: the library's copy checks at deploy time (see the next test).
  const theirs = second.ClaimedNumbers.fromNumbers(stack, 'TheirNumbers', { instanceArn: INSTANCE_ARN, numbers: NUMBERS, deployTimeCheck: false });
  const queue = new second.OutboundQueue(stack, 'Queue', {
    claimedNumbers: theirs, name: 'Q', hoursOfOperationArn: HOURS_ARN, callerIdNumber: second.CallerId.fromNumber('+81368001234'),
  });
  const flow = new second.CallProgressFlow(stack, 'Flow', {
    claimedNumbers: theirs, name: 'F',
    callAnswered: second.CallProgressStep.transferToQueue(queue), notDetected: second.CallProgressStep.disconnect(),
    voicemailBeep: second.CallProgressStep.disconnect(), voicemailNoBeep: second.CallProgressStep.disconnect(),
  });
  // Two copies indeed: instanceof cannot tell.
  expect(queue instanceof first.OutboundQueue).toBe(false);

  new first.OutboundCampaign(stack, 'Campaign', {
    claimedNumbers: ours, name: 'Renewals', sourceCallerId: first.CallerId.fromNumber('+81368001234'),
    mode: second.DiallingMode.progressive(), queue, contactFlow: flow, answerMachineDetection: { enabled: true },
  });

  expect(errorsOf(stack)).toEqual([]);
  // The queue is an OutboundQueue, whose caller ID was checked: no warning that it is not.
  expect(warningsOf(stack).filter((w) => w.message.includes('CAMPAIGN_QUEUE_CALLER_ID_UNCHECKED'))).toEqual([]);
  Template.fromStack(stack).resourceCountIs('AWS::ConnectCampaignsV2::Campaign', 1);
  expect([first.OutboundQueue.isOutboundQueue(queue), first.DiallingMode.isDiallingMode(second.DiallingMode.agentless())]).toEqual([true, true]);
  expect([first.OutboundQueue.isOutboundQueue(flow), first.CallProgressStep.isCallProgressStep({ kind: 'disconnect' })]).toEqual([false, false]);
});

test('two copies that both add the deploy-time check to one stack are refused with the fix, not with a construct-id clash', () => {
  const stack = new Stack(new App(), 'Centre', { env: { account: '123456789012', region: 'ap-northeast-1' } });
  const ours = first.ClaimedNumbers.fromNumbers(stack, 'Numbers', { instanceArn: INSTANCE_ARN, numbers: NUMBERS });
  const theirs = second.ClaimedNumbers.fromNumbers(stack, 'TheirNumbers', { instanceArn: INSTANCE_ARN, numbers: NUMBERS });
  new first.OutboundQueue(stack, 'Ours', { claimedNumbers: ours, name: 'A', hoursOfOperationArn: HOURS_ARN, callerIdNumber: first.CallerId.fromNumber('+81368001234') });
  expect(() => new second.OutboundQueue(stack, 'Theirs', {
    claimedNumbers: theirs, name: 'B', hoursOfOperationArn: HOURS_ARN, callerIdNumber: second.CallerId.fromNumber('+81368001234'),
  })).toThrow(/^Centre: two copies of cdk-connect-caller-id in this app both add the deploy-time check for arn:aws:connect:.*`npm ls cdk-connect-caller-id`/);
});
