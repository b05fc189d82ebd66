import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn } from 'child_process';
import { App, CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  CallerId, CallProgressFlow, ClaimedNumber, ClaimedNumbers, DiallingMode, OutboundCampaign, OutboundQueue, OutboundWhisperFlow, PhoneNumberType, TransferDestination,
  TransferToPhoneNumberFlow,
} from '../lib';
import { CallerIdVerification } from '../lib/constructs/caller-id-verification';
import { MAX_RETURNED_ARNS } from '../lib/core/deploy-time-check';
import { CallerIdContext } from '../lib/core/rule-definition';
import { createHandler, CustomResourceEvent } from '../lib/handler';
import { createConnectClient } from '../lib/lookup/connect-client';
import { INSTANCE_ARN, useTestAwsEnvironment } from './support/aws-env';
import { checkOf, checksOf, resolveParameters, usesOf } from './support/checks';
import { ConnectEndpoint, generateNumbers, PhoneNumberSummary, startConnectEndpoint } from './support/connect-endpoint';
import { CLI, ROOT, runCdk } from './support/run';
import { errorsOf } from './support/stacks';

const ENV = { account: '123456789012', region: 'ap-northeast-1' };
const HOURS_ARN = `${INSTANCE_ARN}/operating-hours/2d3e4f50-6172-4839-a4b5-c6d7e8f90a1b`;
const INSTANCE_NUMBERS = generateNumbers(5000, { targetArn: INSTANCE_ARN });
const inventory = (summaries: PhoneNumberSummary[], withArns = true): ClaimedNumber[] => summaries.map((n) => ({
  number: n.PhoneNumber!, type: n.PhoneNumberType as PhoneNumberType, countryCode: n.PhoneNumberCountryCode, ...(withArns ? { arn: n.PhoneNumberArn } : {}),
}));

/**
 * A stack using 300 numbers of a 5,000-number instance: 100 queues, each with the outbound whisper flow that
 * calls with its number, and 200 transfers, each with a number of its own.
 */
function stackUsing300Numbers(options: { order?: 'forward' | 'reverse'; extra?: boolean } = {}): Stack {
  const stack = new Stack(new App(), 'Big', { env: ENV });
  const claimed = ClaimedNumbers.fromNumbers(stack, 'Numbers', { instanceArn: INSTANCE_ARN, numbers: inventory(INSTANCE_NUMBERS) });
  const units = Array.from({ length: 100 }, (_x, i) => i);
  if (options.order === 'reverse') units.reverse();
  if (options.extra) {
    new TransferToPhoneNumberFlow(stack, 'Unrelated', {
      claimedNumbers: claimed, name: 'Unrelated', destination: TransferDestination.fromNumber('+81368009999'),
      callerId: CallerId.fromNumber(INSTANCE_NUMBERS[4999].PhoneNumber!),
    });
  }
  for (const i of units) {
    const number = (k: number) => CallerId.fromNumber(INSTANCE_NUMBERS[k].PhoneNumber!);
    const whisper = new OutboundWhisperFlow(stack, `Whisper${i}`, { claimedNumbers: claimed, name: `Whisper ${i}`, callerId: number(i) });
    new OutboundQueue(stack, `Queue${i}`, { claimedNumbers: claimed, name: `Queue ${i}`, hoursOfOperationArn: HOURS_ARN, callerIdNumber: number(i), outboundWhisperFlow: whisper });
    for (const j of [0, 1]) {
      new TransferToPhoneNumberFlow(stack, `Transfer${i}x${j}`, {
        claimedNumbers: claimed, name: `Transfer ${i} ${j}`, destination: TransferDestination.fromNumber('+81368009999'), callerId: number(100 + 2 * i + j),
      });
    }
  }
  return stack;
}

function createEvent(logicalId: string, properties: unknown): CustomResourceEvent {
  return {
    RequestType: 'Create', StackId: `arn:aws:cloudformation:ap-northeast-1:123456789012:stack/Big/${'0'.repeat(36)}`,
    RequestId: '9f3c0a4e-1111-4222-8333-444455556666', LogicalResourceId: logicalId, ResourceType: 'Custom::ConnectCallerIdCheck',
    ResourceProperties: properties,
  };
}

describe('one check per stack and instance', () => {
  let endpoint: ConnectEndpoint;
  let restore: () => void;
  beforeAll(async () => {
    restore = useTestAwsEnvironment();
    endpoint = await startConnectEndpoint({ numbers: { [INSTANCE_ARN]: INSTANCE_NUMBERS } });
  });
  afterAll(async () => {
    await endpoint.close();
    restore();
  });

  test('GIVEN 300 numbers of a 5,000-number instance WHEN the stack deploys THEN one check lists the instance once: 5 calls', async () => {
    // GIVEN
    const stack = stackUsing300Numbers();
    const { id, properties } = checkOf(stack);
    expect(new Set(properties.Numbers.map((n) => n.Number)).size).toBe(300);
    const handler = createHandler({ createClient: () => createConnectClient({ endpoint: endpoint.url, region: 'ap-northeast-1' }), log: () => undefined });
    const before = endpoint.calls;

    // WHEN
    const event = createEvent(id, properties);
    const result = await handler(event);

    // THEN
    expect(endpoint.calls - before).toBe(Math.ceil(INSTANCE_NUMBERS.length / 1000));
    // The queues take the ARNs the inventory records, which the check verified: nothing comes back.
    expect(result).toEqual({ Data: {} });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Connect::Queue', {
      Name: 'Queue 7', OutboundCallerConfig: { OutboundCallerIdNumberArn: INSTANCE_NUMBERS[7].PhoneNumberArn },
    });
    for (const resource of Object.values<any>(template.findResources('AWS::Connect::Queue'))) expect(resource.DependsOn).toEqual([id]);
    for (const resource of Object.values<any>(template.findResources('AWS::Connect::ContactFlow'))) expect(resource.DependsOn).toEqual([id]);
  });

  test('GIVEN the same constructs created in the other order, or an unrelated one added THEN the template is the same but for that one', () => {
    const forward = Template.fromStack(stackUsing300Numbers()).toJSON();
    const reverse = Template.fromStack(stackUsing300Numbers({ order: 'reverse' })).toJSON();
    expect(reverse).toEqual(forward);

    const extended = Template.fromStack(stackUsing300Numbers({ extra: true })).toJSON();
    const changed = Object.keys(extended.Resources).filter((k) => JSON.stringify(extended.Resources[k]) !== JSON.stringify(forward.Resources[k]));
    const [id] = Object.keys(forward.Resources).filter((k) => forward.Resources[k].Type === 'Custom::ConnectCallerIdCheck');
    expect(changed.sort()).toEqual([id, ...Object.keys(extended.Resources).filter((k) => k.startsWith('Unrelated'))].sort());
  });

  test('GIVEN queues whose numbers have no recorded ARN THEN each takes ArnPrefix plus the attribute named after its number, whatever the order', () => {
    const build = (order: number[]) => {
      const stack = new Stack(new App(), 'Queues', { env: ENV });
      const claimed = ClaimedNumbers.fromNumbers(stack, 'Numbers', { instanceArn: INSTANCE_ARN, numbers: inventory(INSTANCE_NUMBERS.slice(0, 3), false) });
      for (const i of order) {
        new OutboundQueue(stack, `Queue${i}`, {
          claimedNumbers: claimed, name: `Q${i}`, hoursOfOperationArn: HOURS_ARN, callerIdNumber: CallerId.fromNumber(INSTANCE_NUMBERS[i].PhoneNumber!),
        });
      }
      return stack;
    };
    const stack = build([0, 1, 2]);
    const { id } = checkOf(stack);
    const queue = Object.values<any>(Template.fromStack(stack).findResources('AWS::Connect::Queue')).find((q) => q.Properties.Name === 'Q1');
    expect(queue.Properties.OutboundCallerConfig.OutboundCallerIdNumberArn).toEqual({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'ArnPrefix'] }, { 'Fn::GetAtt': [id, 'N815010000001'] }]],
    });
    // The GetAtt is the queue's dependency on the check; no DependsOn beside it.
    expect(queue.DependsOn).toBeUndefined();
    expect(Template.fromStack(build([2, 0, 1])).toJSON()).toEqual(Template.fromStack(stack).toJSON());
  });

  test(`GIVEN more than ${MAX_RETURNED_ARNS} queues needing an ARN from the check THEN synth refuses the next one, saying how to fix it`, () => {
    const stack = new Stack(new App(), 'Many', { env: ENV });
    const claimed = ClaimedNumbers.fromNumbers(stack, 'Numbers', { instanceArn: INSTANCE_ARN, numbers: inventory(INSTANCE_NUMBERS.slice(0, 60), false) });
    const queue = (i: number) => new OutboundQueue(stack, `Queue${i}`, {
      claimedNumbers: claimed, name: `Q${i}`, hoursOfOperationArn: HOURS_ARN, callerIdNumber: CallerId.fromNumber(INSTANCE_NUMBERS[i].PhoneNumber!),
    });
    for (let i = 0; i < MAX_RETURNED_ARNS; i++) queue(i);
    // A second queue on a number already returned costs nothing more.
    new OutboundQueue(stack, 'Again', { claimedNumbers: claimed, name: 'Again', hoursOfOperationArn: HOURS_ARN, callerIdNumber: CallerId.fromNumber(INSTANCE_NUMBERS[0].PhoneNumber!) });
    expect(() => queue(MAX_RETURNED_ARNS)).toThrow(
      `Many/Queue${MAX_RETURNED_ARNS}: the deploy-time check of stack Many already returns the phone-number ARNs of ${MAX_RETURNED_ARNS} caller ID numbers ` +
      `that the inventory records no ARN for, the most that fit in CloudFormation's 4096-byte custom resource response; ${INSTANCE_NUMBERS[MAX_RETURNED_ARNS].PhoneNumber} ` +
      'would be one more. Record each number\'s arn in the inventory (connect-caller-id lookup does; ClaimedNumbers.fromNumbers takes arn)',
    );
    expect(checkOf(stack).properties.Numbers.filter((n) => n.ArnAttribute !== undefined)).toHaveLength(MAX_RETURNED_ARNS);
  });

  test('GIVEN traffic distribution groups THEN the check lists the instance first, then each group', () => {
    const tdg = 'arn:aws:connect:ap-northeast-1:123456789012:traffic-distribution-group/7d1e2f30-4a5b-4c6d-8e9f-a0b1c2d3e4f5';
    const stack = new Stack(new App(), 'Resilient', { env: ENV });
    const flow = new TransferToPhoneNumberFlow(stack, 'Flow', {
      claimedNumbers: ClaimedNumbers.fromNumbers(stack, 'Numbers', { instanceArn: INSTANCE_ARN, numbers: inventory(INSTANCE_NUMBERS.slice(0, 1)), deployTimeCheck: false }),
      name: 'F', destination: TransferDestination.fromNumber('+81368009999'), callerId: CallerId.fromNumber(INSTANCE_NUMBERS[0].PhoneNumber!),
    });
    CallerIdVerification.forInstance(stack, INSTANCE_ARN, [INSTANCE_ARN, tdg]).use(flow, '+815010000900', { context: CallerIdContext.TRANSFER });
    expect(checkOf(stack).properties.TargetArns).toEqual([INSTANCE_ARN, tdg]);
  });

  test('the check is four resources: the only permission beyond its own log group is connect:ListPhoneNumbersV2', () => {
    const template = Template.fromStack(stackUsing300Numbers());
    const own = Object.entries<any>(template.toJSON().Resources).filter(([id]) => id.startsWith('ConnectCallerIdCheck'));
    expect(own.map(([, r]) => r.Type).sort()).toEqual(['AWS::IAM::Role', 'AWS::Lambda::Function', 'AWS::Logs::LogGroup', 'Custom::ConnectCallerIdCheck']);
    const [[logGroupId]] = own.filter(([, r]) => r.Type === 'AWS::Logs::LogGroup');
    const [[functionId]] = own.filter(([, r]) => r.Type === 'AWS::Lambda::Function');
    const [[, role]] = own.filter(([, r]) => r.Type === 'AWS::IAM::Role');
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement)).toEqual([
      { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] } },
      { Action: 'connect:ListPhoneNumbersV2', Effect: 'Allow', Resource: '*' },
    ]);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::Lambda::Function', {
      // aws-cdk-lib's entry point, which answers CloudFormation, calls the handler (index.handler) beside it.
      Runtime: 'nodejs24.x', Handler: '__entrypoint__.handler', Timeout: 300,
      LoggingConfig: { LogGroup: { Ref: logGroupId } },
      Environment: { Variables: { CALLER_ID_CHECK_LOG_GROUP: { Ref: logGroupId } } },
    });
    // CloudFormation invokes the function itself, and gives up a minute after the function's own timeout.
    template.hasResourceProperties('Custom::ConnectCallerIdCheck', { ServiceToken: { 'Fn::GetAtt': [functionId, 'Arn'] }, ServiceTimeout: '360' });
  });

  test('the function\'s code is the bundled handler with aws-cdk-lib\'s entry point and the licences of both', () => {
    // The context the CDK CLI sets, so the function names its asset as SAM and other tools read it.
    const app = new App({ context: { 'aws:cdk:enable-asset-metadata': true } });
    const stack = new Stack(app, 'Check', { env: ENV });
    CallerIdVerification.forInstance(stack, INSTANCE_ARN).use(new CfnResource(stack, 'User', { type: 'AWS::SNS::Topic' }), '+815010000000', { context: CallerIdContext.TRANSFER });
    const assembly = app.synth();
    const fn = Object.values<any>(assembly.getStackByName('Check').template.Resources).find((r) => r.Type === 'AWS::Lambda::Function');
    const code = path.join(assembly.directory, fn.Metadata['aws:asset:path']);
    expect(fs.readdirSync(code).sort()).toEqual(['THIRD-PARTY-NOTICES.txt', '__entrypoint__.js', 'index.js']);
    expect(fs.readFileSync(path.join(code, '__entrypoint__.js'), 'utf8')).toContain('userHandlerIndex:"./index"');
    expect(fs.readFileSync(path.join(code, 'THIRD-PARTY-NOTICES.txt'), 'utf8')).toMatch(/^aws-cdk-lib \d+\.\d+\.\d+ \(Apache-2\.0\)$/m);
  });
});

describe('the rules synth applies, at deploy time (parameter) and at synth (literal)', () => {
  const UIFN = { PhoneNumber: '+80012345678', PhoneNumberType: 'UIFN', PhoneNumberArn: 'arn:aws:connect:ap-northeast-1:123456789012:phone-number/0a0a0a0a-0000-4000-8000-000000000001' };
  const AU_TOLL_FREE = {
    PhoneNumber: '+611800123456', PhoneNumberType: 'TOLL_FREE', PhoneNumberCountryCode: 'AU',
    PhoneNumberArn: 'arn:aws:connect:ap-northeast-1:123456789012:phone-number/0a0a0a0a-0000-4000-8000-000000000002',
  };
  const listed = [...INSTANCE_NUMBERS.slice(0, 3), UIFN, AU_TOLL_FREE];
  let endpoint: ConnectEndpoint;
  let restore: () => void;
  beforeAll(async () => {
    restore = useTestAwsEnvironment();
    endpoint = await startConnectEndpoint({ numbers: { [INSTANCE_ARN]: listed } });
  });
  afterAll(async () => {
    await endpoint.close();
    restore();
  });

  /** A whisper flow, a transfer and a campaign whose caller ID is `callerId`. */
  function stackWith(callerId: (stack: Stack) => string): Stack {
    const stack = new Stack(new App(), 'Rules', { env: ENV });
    const claimed = ClaimedNumbers.fromNumbers(stack, 'Numbers', { instanceArn: INSTANCE_ARN, numbers: inventory(listed as PhoneNumberSummary[]) });
    new OutboundWhisperFlow(stack, 'Whisper', { claimedNumbers: claimed, name: 'W', callerId: CallerId.fromNumber(callerId(stack)) });
    return stack;
  }

  test.each([
    ['a claimed UIFN number', UIFN.PhoneNumber, 'CALLER_ID_UIFN_NO_OUTBOUND'],
    ['an Australian toll-free number', AU_TOLL_FREE.PhoneNumber, 'CALLER_ID_AU_DID_ONLY'],
  ])('GIVEN %s THEN the deployment fails naming %s when it comes from a parameter, as synth does for a literal', async (_what, number, ruleId) => {
    // GIVEN: the caller ID is a CloudFormation parameter, so synth cannot judge it
    const deployed = stackWith((stack) => new CfnParameter(stack, 'CallerIdNumber').valueAsString);
    expect(errorsOf(deployed)).toEqual([]);
    const { id, properties } = checkOf(deployed);
    expect(usesOf(properties)).toEqual([[{ Ref: 'CallerIdNumber' }, 'Rules/Whisper', CallerIdContext.OUTBOUND_WHISPER]]);
    const handler = createHandler({ createClient: () => createConnectClient({ endpoint: endpoint.url, region: 'ap-northeast-1' }), log: () => undefined });

    // WHEN: CloudFormation resolves the parameter and runs the check
    const deployment = handler(createEvent(id, resolveParameters(properties, { CallerIdNumber: number })));

    // THEN
    await expect(deployment).rejects.toThrow(`[${ruleId}] caller ID ${number}`);
    await expect(deployment).rejects.toThrow('used by Rules/Whisper');
    const literal = errorsOf(stackWith(() => number));
    expect(literal).toEqual([{ path: '/Rules/Whisper', message: expect.stringContaining(`[${ruleId}] callerId ${number}`) }]);
  });

  test('the context of each use reaches the check: queue, outbound whisper flow, transfer with its destination, campaign', () => {
    const stack = new Stack(new App(), 'Contexts', { env: ENV });
    const claimed = ClaimedNumbers.fromNumbers(stack, 'Numbers', { instanceArn: INSTANCE_ARN, numbers: inventory(INSTANCE_NUMBERS.slice(0, 4)) });
    const number = (i: number) => CallerId.fromNumber(INSTANCE_NUMBERS[i].PhoneNumber!);
    new OutboundQueue(stack, 'Queue', { claimedNumbers: claimed, name: 'Q', hoursOfOperationArn: HOURS_ARN, callerIdNumber: number(0) });
    new OutboundWhisperFlow(stack, 'Whisper', { claimedNumbers: claimed, name: 'W', callerId: number(1) });
    new TransferToPhoneNumberFlow(stack, 'Transfer', { claimedNumbers: claimed, name: 'T', destination: TransferDestination.fromNumber('+12065550100'), callerId: number(2) });
    new OutboundQueue(stack, 'CampaignQueue', { claimedNumbers: claimed, name: 'C', hoursOfOperationArn: HOURS_ARN, callerIdNumber: number(0) });
    new OutboundCampaign(stack, 'Campaign', {
      claimedNumbers: claimed, name: 'Campaign', sourceCallerId: number(3), mode: DiallingMode.agentless(),
      contactFlow: CallProgressFlow.fromFlowArn(stack, 'Imported', `${INSTANCE_ARN}/contact-flow/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d`),
    });
    expect(checkOf(stack).properties.Numbers.map((n) => [n.Number, n.UsedBy])).toEqual([
      [INSTANCE_NUMBERS[0].PhoneNumber, [{ Path: 'Contexts/CampaignQueue', Context: 'queue' }, { Path: 'Contexts/Queue', Context: 'queue' }]],
      [INSTANCE_NUMBERS[1].PhoneNumber, [{ Path: 'Contexts/Whisper', Context: 'outbound whisper flow' }]],
      [INSTANCE_NUMBERS[2].PhoneNumber, [{ Path: 'Contexts/Transfer', Context: 'transfer to phone number', Destination: '+12065550100' }]],
      [INSTANCE_NUMBERS[3].PhoneNumber, [{ Path: 'Contexts/Campaign', Context: 'campaign' }]],
    ]);
    expect(Object.keys(checksOf(stack))).toHaveLength(1);
  });
});

describe('lookup, then cdk synth with the real CLIs', () => {
  const target = INSTANCE_ARN;
  const entries = generateNumbers(5, { targetArn: target });
  const used = [entries[1].PhoneNumber!, entries[3].PhoneNumber!];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookup-e2e-'));
  let endpoint: ConnectEndpoint;
  const env = () => ({
    AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST000000', AWS_SECRET_ACCESS_KEY: 'local-test-secret', AWS_REGION: 'ap-northeast-1',
    AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_CONNECT: endpoint.url,
  });
  // The endpoint lives in this process, so the CLI runs asynchronously.
  const lookup = () => new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, 'lookup', '--instance-arn', target], { cwd: dir, env: { ...process.env, ...env() } });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code, stderr }));
  });
  const synth = () => runCdk(['synth', '--app', `node ${path.join(ROOT, 'dist/test/fixtures/lookup-app.js')}`, '--output', path.join(dir, 'out'), '--quiet'], dir,
    { LOOKUP_INSTANCE_ARN: target, USED_NUMBERS: used.join(',') });

  beforeAll(async () => {
    endpoint = await startConnectEndpoint({ numbers: { [target]: entries } });
    fs.writeFileSync(path.join(dir, 'cdk.context.json'), JSON.stringify({ 'other-key': { kept: true } }, undefined, 2));
  });
  afterAll(() => endpoint.close());

  test('lookup writes cdk.context.json and synth passes; after a number is released, a fresh lookup makes synth fail naming it', async () => {
    const first = await lookup();
    expect(first.stderr).toContain(`wrote 5 claimed number(s) of ${target}`);
    expect(first.code).toBe(0);
    const context = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.context.json'), 'utf8'));
    expect(context['other-key']).toEqual({ kept: true });
    expect(context[`connect-caller-id:claimed-numbers:${target}`].numbers).toHaveLength(5);
    const good = synth();
    expect(good.stdout + good.stderr).not.toContain('ERROR');
    expect(good.status).toBe(0);

    endpoint.setNumbers(target, entries.filter((e) => e.PhoneNumber !== used[1]));
    expect((await lookup()).code).toBe(0);
    const bad = synth();
    expect(bad.status).not.toBe(0);
    expect(bad.stdout + bad.stderr).toContain(`[CALLER_ID_NOT_CLAIMED] callerId ${used[1]} is not claimed by ${target}`);
    expect(bad.stdout + bad.stderr).toContain('LookedUp/Transfer');
  });
});
