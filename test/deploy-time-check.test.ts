import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn } from 'child_process';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CallerId, ClaimedNumbers, PhoneNumberType, TransferDestination, TransferToPhoneNumberFlow } from '../lib';
import { createHandler } from '../lib/handler';
import { createConnectClient } from '../lib/lookup/connect-client';
import { INSTANCE_ARN, useTestAwsEnvironment } from './support/aws-env';
import { ConnectEndpoint, generateNumbers, startConnectEndpoint } from './support/connect-endpoint';
import { CLI, ROOT, runCdk } from './support/run';

const numbers = generateNumbers(300, { targetArn: INSTANCE_ARN });

/** A stack whose 300 transfers each use a different claimed number. */
function stackUsing300Numbers(): Stack {
  const stack = new Stack(new App(), 'Big', { env: { account: '123456789012', region: 'ap-northeast-1' } });
  const claimed = ClaimedNumbers.fromNumbers(stack, 'Numbers', {
    instanceArn: INSTANCE_ARN,
    numbers: numbers.map((n) => ({ number: n.PhoneNumber!, type: PhoneNumberType.DID })),
  });
  numbers.forEach((n, i) => new TransferToPhoneNumberFlow(stack, `Transfer${i}`, {
    claimedNumbers: claimed, name: `Transfer ${i}`, destination: TransferDestination.fromNumber('+81368009999'),
    callerId: CallerId.fromNumber(n.PhoneNumber!),
  }));
  return stack;
}

describe('the deploy-time check', () => {
  let endpoint: ConnectEndpoint;
  let restore: () => void;
  beforeAll(async () => {
    restore = useTestAwsEnvironment();
    endpoint = await startConnectEndpoint({ numbers: { [INSTANCE_ARN]: numbers } });
  });
  afterAll(async () => {
    await endpoint.close();
    restore();
  });

  test('GIVEN 300 distinct numbers WHEN synthesized and each check run THEN every response stays under 4096 bytes', async () => {
    const template = Template.fromStack(stackUsing300Numbers());
    const checks = template.findResources('Custom::ConnectCallerIdCheck');
    const logicalIds = Object.keys(checks);
    expect(logicalIds).toHaveLength(12);
    const handler = createHandler({ createClient: () => createConnectClient({ endpoint: endpoint.url, region: 'ap-northeast-1' }), log: () => undefined });
    const seen = new Set<string>();
    for (const id of logicalIds) {
      const properties = checks[id].Properties;
      expect(properties.Numbers.length).toBeLessThanOrEqual(25);
      properties.Numbers.forEach((n: string) => seen.add(n));
      const event = {
        RequestType: 'Create', StackId: `arn:aws:cloudformation:ap-northeast-1:123456789012:stack/Big/${'0'.repeat(36)}`,
        RequestId: '9f3c0a4e-1111-4222-8333-444455556666', LogicalResourceId: id, ResourceType: 'Custom::ConnectCallerIdCheck',
        ResourceProperties: properties,
      };
      const result = await handler(event);
      const response = JSON.stringify({ Status: 'SUCCESS', Reason: 'OK', ...event, ResourceProperties: undefined, ...result });
      expect(Buffer.byteLength(response)).toBeLessThan(4096);
      properties.Numbers.forEach((n: string, i: number) => {
        expect(result.Data![`Arn${i}`]).toBe(numbers.find((x) => x.PhoneNumber === n)!.PhoneNumberArn);
      });
    }
    expect(seen.size).toBe(300);
    // The checks run one after another, so a large stack does not exceed Connect's API quota.
    const chained = logicalIds.filter((id) => (checks[id].DependsOn ?? []).some((d: string) => logicalIds.includes(d)));
    expect(chained).toHaveLength(11);
  });

  test('the only Connect permission in the stack is connect:ListPhoneNumbersV2; the rest is the provider invoking the handler and logging', () => {
    const template = Template.fromStack(stackUsing300Numbers());
    const actions = new Set<string>();
    for (const policy of Object.values<any>(template.findResources('AWS::IAM::Policy'))) {
      for (const statement of policy.Properties.PolicyDocument.Statement) [statement.Action].flat().forEach((a: string) => actions.add(a));
    }
    expect([...actions].filter((a) => !a.startsWith('logs:')).sort()).toEqual(['connect:ListPhoneNumbersV2', 'lambda:GetFunction', 'lambda:InvokeFunction']);
    template.resourceCountIs('AWS::Lambda::Function', 2);
    for (const role of Object.values<any>(template.findResources('AWS::IAM::Role'))) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
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
