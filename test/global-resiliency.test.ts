import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnQueue } from 'aws-cdk-lib/aws-connect';
import {
  CallerId, CallerIdChecks, CallProgressFlow, CallProgressStep, ClaimedNumbers, DiallingMode, OutboundCampaign, OutboundQueue,
  OutboundWhisperFlow, PhoneNumberType, TransferDestination, TransferFlowType, TransferToPhoneNumberFlow,
} from '../lib';
import { InventoryDocument, inventoryContextKey } from '../lib/core/inventory';
import { exampleInventoryDocument } from './support/fixtures';
import { errorsOf, HOURS_ARN, INSTANCE_ARN } from './support/stacks';

// Global Resiliency (reference section 10): ListPhoneNumbersV2 lists a traffic distribution group's numbers only
// under the group's ARN; queues, flows and campaigns take the instance ARN; only a phone number's TargetArn
// takes the group's.
const TDG_ARN = 'arn:aws:connect:ap-northeast-1:123456789012:traffic-distribution-group/5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a';
const TDG_NUMBER = '+81368007777';
const TDG_INVENTORY: InventoryDocument = {
  instanceArn: TDG_ARN,
  numbers: [{ number: TDG_NUMBER, type: PhoneNumberType.DID, countryCode: 'JP', arn: 'arn:aws:connect:ap-northeast-1:123456789012:phone-number/7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d' }],
};

function tdgContext(): Record<string, unknown> {
  const doc = exampleInventoryDocument();
  return { [inventoryContextKey(doc.instanceArn)]: doc, [inventoryContextKey(TDG_ARN)]: TDG_INVENTORY };
}

/** A contact centre whose caller IDs include a number claimed to its traffic distribution group. */
function tdgContactCentre(app: App): Stack {
  const stack = new Stack(app, 'Resilient', { env: { account: '123456789012', region: 'ap-northeast-1' } });
  const numbers = ClaimedNumbers.fromLookup(stack, 'Numbers', { instanceArn: INSTANCE_ARN, trafficDistributionGroupArns: [TDG_ARN] });
  const claim = numbers.claimNumber('Replica', { countryCode: 'JP', type: PhoneNumberType.DID, trafficDistributionGroupArn: TDG_ARN });
  const whisper = new OutboundWhisperFlow(stack, 'Whisper', { claimedNumbers: numbers, name: 'W', callerId: CallerId.fromAttribute('callerId') });
  const queue = new OutboundQueue(stack, 'Queue', {
    claimedNumbers: numbers, name: 'Q', hoursOfOperationArn: HOURS_ARN, callerIdNumber: CallerId.fromNumber(TDG_NUMBER), outboundWhisperFlow: whisper,
  });
  new TransferToPhoneNumberFlow(stack, 'Transfer', {
    claimedNumbers: numbers, name: 'T', flowType: TransferFlowType.QUEUE_TRANSFER, destination: TransferDestination.fromNumber('+81368009999'),
    callerId: CallerId.fromClaimedNumber(claim),
  });
  const progress = new CallProgressFlow(stack, 'Progress', {
    claimedNumbers: numbers, name: 'P', callAnswered: CallProgressStep.transferToQueue(queue),
    voicemailBeep: CallProgressStep.disconnect(), voicemailNoBeep: CallProgressStep.disconnect(), notDetected: CallProgressStep.transferToQueue(queue),
  });
  new OutboundCampaign(stack, 'Campaign', {
    claimedNumbers: numbers, name: 'C', sourceCallerId: CallerId.fromNumber(TDG_NUMBER), mode: DiallingMode.progressive(), queue,
    contactFlow: progress, answerMachineDetection: { enabled: true },
  });
  CallerId.acknowledgeWarning(whisper, 'CALLER_ID_DYNAMIC', 'the guard lets through the instance\'s and the group\'s numbers');
  return stack;
}

describe('Global Resiliency: ClaimedNumbers with traffic distribution groups', () => {
  test('GIVEN a group\'s number as caller ID THEN it counts as claimed, and every construct writes the instance ARN where CloudFormation wants one', () => {
    const app = new App({ context: tdgContext() });
    const stack = tdgContactCentre(app);
    expect(errorsOf(stack)).toEqual([]);
    const template = Template.fromStack(stack);
    for (const type of ['AWS::Connect::Queue', 'AWS::Connect::ContactFlow']) {
      for (const resource of Object.values<any>(template.findResources(type))) expect(resource.Properties.InstanceArn).toBe(INSTANCE_ARN);
    }
    const campaign = Object.values<any>(template.findResources('AWS::ConnectCampaignsV2::Campaign'))[0];
    expect(campaign.Properties.ConnectInstanceId).toBe('7c4e1f0a-5d2b-4c8e-9a61-3f2d8b7e6a10');
    template.hasResourceProperties('AWS::Connect::PhoneNumber', { TargetArn: TDG_ARN });
    // One check lists the instance and the group, and verifies the group's number and the instance's guard numbers.
    const checks = Object.values<any>(template.findResources('Custom::ConnectCallerIdCheck'));
    expect(checks).toHaveLength(1);
    expect(checks[0].Properties.TargetArns).toEqual([INSTANCE_ARN, TDG_ARN]);
    expect(checks[0].Properties.Numbers.map((n: any) => n.Number)).toContain(TDG_NUMBER);
    expect(checks[0].Properties.GuardNumbers).toContain('+81368001234');
  });

  test('GIVEN a dynamic caller ID THEN the guard lets through the group\'s numbers too', () => {
    const app = new App({ context: tdgContext() });
    const stack = tdgContactCentre(app);
    const whisper = stack.node.findChild('Whisper') as OutboundWhisperFlow;
    // The claim in the app makes the content a Fn::Join; its literal parts hold the Compare's operands.
    const content = JSON.stringify(stack.resolve(whisper.resource.content));
    const allowed = [...content.matchAll(/\\"Operands\\":\[\\"(\+\d+)\\"\]/g)].map((m) => m[1]);
    expect(allowed).toContain(TDG_NUMBER);
    expect(allowed).toContain('+81368001234');
  });

  test('GIVEN the synthesized app THEN aws-cdk-lib\'s template validation reports nothing and cfn-lint no error', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'tdg-synth-'));
    const app = new App({ context: tdgContext(), outdir });
    tdgContactCentre(app);
    const assembly = app.synth();
    // aws-cdk-lib's CloudFormation validation runs inside synth and writes what it found here.
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
    const violations = report.pluginReports.flatMap((r: any) => r.violations.map((v: any) => `${r.pluginName} ${v.ruleName}: ${v.description}`));
    expect(violations).toEqual([]);

    const templateFile = assembly.getStackByName('Resilient').templateFullPath;
    const lint = spawnSync('cfn-lint', ['--format', 'json', '--', templateFile], { encoding: 'utf8' });
    if (lint.error && (lint.error as NodeJS.ErrnoException).code === 'ENOENT') {
      console.warn('cfn-lint is not installed on this machine: only aws-cdk-lib\'s template validation was asserted');
      return;
    }
    const matches: any[] = JSON.parse(lint.stdout || '[]');
    expect(matches.filter((m) => m.Level === 'Error').map((m) => `${m.Rule.Id} ${m.Message}`)).toEqual([]);
  });

  test('GIVEN a group without a cached inventory THEN synth fails with the lookup command for the group', () => {
    const doc = exampleInventoryDocument();
    const app = new App({ context: { [inventoryContextKey(doc.instanceArn)]: doc } });
    const stack = new Stack(app, 'S');
    const numbers = ClaimedNumbers.fromLookup(stack, 'Numbers', { instanceArn: INSTANCE_ARN, trafficDistributionGroupArns: [TDG_ARN] });
    new OutboundQueue(stack, 'Queue', { claimedNumbers: numbers, name: 'Q', hoursOfOperationArn: HOURS_ARN, callerIdNumber: CallerId.fromNumber('+81368001234') });
    // Only the missing inventory is reported: no number is called unclaimed for want of the group's list.
    expect(errorsOf(stack)).toEqual([{
      path: '/S/Numbers',
      message: expect.stringContaining(`Fill it with: npx connect-caller-id lookup --instance-arn ${TDG_ARN} --region ap-northeast-1`),
    }]);
  });

  test('GIVEN a number neither the instance nor the group claims THEN the message names both', () => {
    const app = new App({ context: tdgContext() });
    const stack = new Stack(app, 'S');
    const numbers = ClaimedNumbers.fromLookup(stack, 'Numbers', { instanceArn: INSTANCE_ARN, trafficDistributionGroupArns: [TDG_ARN] });
    new OutboundQueue(stack, 'Queue', { claimedNumbers: numbers, name: 'Q', hoursOfOperationArn: HOURS_ARN, callerIdNumber: CallerId.fromNumber('+81368001299') });
    expect(errorsOf(stack)[0].message).toContain(`is not claimed by ${INSTANCE_ARN} or its traffic distribution group ${TDG_ARN}`);
  });

  test('fromNumbers declares a group\'s numbers next to the instance\'s', () => {
    const stack = new Stack();
    const numbers = ClaimedNumbers.fromNumbers(stack, 'Numbers', {
      instanceArn: INSTANCE_ARN, numbers: exampleInventoryDocument().numbers, trafficDistributionGroups: [{ arn: TDG_ARN, numbers: TDG_INVENTORY.numbers }],
    });
    expect(numbers.targetArns).toEqual([INSTANCE_ARN, TDG_ARN]);
    expect(numbers.inventory?.get(TDG_NUMBER)?.type).toBe(PhoneNumberType.DID);
    expect(numbers.numbersOf(TDG_ARN).map((n) => n.number)).toEqual([TDG_NUMBER]);
  });
});

describe('a traffic distribution group ARN where an instance ARN belongs', () => {
  test.each(['fromLookup', 'fromNumbers'] as const)('ClaimedNumbers.%s refuses it as instanceArn, with the fix', (factory) => {
    const stack = new Stack();
    const create = () => (factory === 'fromLookup'
      ? ClaimedNumbers.fromLookup(stack, 'Numbers', { instanceArn: TDG_ARN })
      : ClaimedNumbers.fromNumbers(stack, 'Numbers', { instanceArn: TDG_ARN, numbers: [] }));
    expect(create).toThrow(new RegExp(`Default/Numbers: instanceArn ${TDG_ARN} is a traffic distribution group ARN, but queues, flows and campaigns ` +
      `take the instance ARN[\\s\\S]*Give the ARN of the instance the group belongs to, and list the group[\\s\\S]*trafficDistributionGroupArns: \\['${TDG_ARN}'\\]`));
  });

  test('an instance ARN, or something that is not one, in trafficDistributionGroupArns is refused', () => {
    const stack = new Stack();
    expect(() => ClaimedNumbers.fromLookup(stack, 'Numbers', { instanceArn: INSTANCE_ARN, trafficDistributionGroupArns: [INSTANCE_ARN] }))
      .toThrow(/traffic distribution group 0 ".*instance\/7c4e1f0a.*" is not a traffic distribution group ARN/);
  });

  test('a claim for a group the ClaimedNumbers does not list is refused', () => {
    const stack = new Stack();
    const numbers = ClaimedNumbers.fromNumbers(stack, 'Numbers', { instanceArn: INSTANCE_ARN, numbers: [] });
    expect(() => numbers.claimNumber('Replica', { countryCode: 'JP', type: PhoneNumberType.DID, trafficDistributionGroupArn: TDG_ARN }))
      .toThrow(/Default\/Numbers\/Replica: trafficDistributionGroupArn .* is not one of the traffic distribution groups of Default\/Numbers \(it has none\)/);
  });

  test('CallerIdChecks refuses a raw queue whose InstanceArn is a group, and still judges it against the group\'s ClaimedNumbers', () => {
    const app = new App({ context: tdgContext() });
    const stack = new Stack(app, 'Raw', { env: { account: '123456789012', region: 'ap-northeast-1' } });
    const numbers = ClaimedNumbers.fromLookup(stack, 'Numbers', { instanceArn: INSTANCE_ARN, trafficDistributionGroupArns: [TDG_ARN] });
    new CfnQueue(stack, 'Queue', {
      instanceArn: TDG_ARN, name: 'Q', hoursOfOperationArn: HOURS_ARN,
      outboundCallerConfig: { outboundCallerIdNumberArn: TDG_INVENTORY.numbers[0].arn },
    });
    Aspects.of(app).add(new CallerIdChecks({ claimedNumbers: [numbers] }));
    expect(errorsOf(stack)).toEqual([{
      path: '/Raw/Queue',
      message: expect.stringMatching(/^\[INSTANCE_ARN_IS_TRAFFIC_DISTRIBUTION_GROUP\] InstanceArn .*traffic-distribution-group.* is a traffic distribution group ARN/),
    }]);
  });
});
