import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { ClaimedNumbers } from '../lib/constructs/claimed-numbers';
import { inventoryContextKey } from '../lib/core/inventory';
import { INSTANCE_ARN } from './support/aws-env';
import { ConnectEndpoint, ConnectEndpointOptions, generateNumbers, startConnectEndpoint } from './support/connect-endpoint';
import { CLI } from './support/run';
import { errorsOf } from './support/stacks';

const TDG_ARN = 'arn:aws:connect:ap-northeast-1:123456789012:traffic-distribution-group/7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const TDG_2_ARN = 'arn:aws:connect:ap-northeast-1:123456789012:traffic-distribution-group/8b2c3d4e-5f60-4a7b-9c8d-0e1f2a3b4c5d';
const ROLE_ARN = 'arn:aws:iam::210987654321:role/cdk-hnb659fds-lookup-role-210987654321-ap-northeast-1';

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI without blocking this process, which serves the local endpoint. */
function lookup(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const base: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST000000',
    AWS_SECRET_ACCESS_KEY: 'local-test-secret',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const merged = { ...base, ...env };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  const child = spawn(process.execPath, [CLI, 'lookup', ...args], { cwd: dir, env: merged as NodeJS.ProcessEnv });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

let dir: string;
let file: string;
let endpoint: ConnectEndpoint;

async function startEndpoint(options: ConnectEndpointOptions = {}): Promise<void> {
  endpoint = await startConnectEndpoint({
    numbers: {
      [INSTANCE_ARN]: generateNumbers(3, { targetArn: INSTANCE_ARN }),
      [TDG_ARN]: generateNumbers(2, { targetArn: TDG_ARN, start: 100 }),
      [TDG_2_ARN]: generateNumbers(1, { targetArn: TDG_2_ARN, start: 200 }),
    },
    ...options,
  });
}

const endpointEnv = () => ({ AWS_ENDPOINT_URL_CONNECT: endpoint.url, AWS_ENDPOINT_URL_STS: endpoint.url });
const readContext = () => JSON.parse(fs.readFileSync(file, 'utf8'));

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookup-cli-'));
  file = path.join(dir, 'cdk.context.json');
  await startEndpoint();
});
afterEach(async () => {
  await endpoint.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('connect-caller-id lookup', () => {
  test('lists the instance and each traffic distribution group, one key per target, with the time of the lookup', async () => {
    const before = Date.now();
    const run = await lookup(['--instance-arn', INSTANCE_ARN, '--traffic-distribution-group-arn', TDG_ARN, '--traffic-distribution-group-arn', TDG_2_ARN], endpointEnv());

    expect(run.stderr).toContain(`listed 3 claimed number(s) of ${INSTANCE_ARN}`);
    expect(run.stderr).toContain(`wrote 2 claimed number(s) of ${TDG_ARN} to ${file} (key ${inventoryContextKey(TDG_ARN)})`);
    expect(run.status).toBe(0);
    const context = readContext();
    expect(Object.keys(context)).toEqual([INSTANCE_ARN, TDG_ARN, TDG_2_ARN].map(inventoryContextKey));
    expect(context[inventoryContextKey(INSTANCE_ARN)].numbers.map((n: { number: string }) => n.number)).toEqual(['+815010000000', '+815010000001', '+815010000002']);
    expect(context[inventoryContextKey(TDG_ARN)]).toMatchObject({ instanceArn: TDG_ARN, numbers: [{ number: '+815010000100' }, { number: '+815010000101' }] });
    for (const entry of Object.values(context) as Array<{ lookedUpAt: string }>) {
      expect(entry.lookedUpAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(Date.parse(entry.lookedUpAt)).toBeGreaterThanOrEqual(before - 1000);
    }
    expect(endpoint.requests.map((r) => r.body.TargetArn)).toEqual([INSTANCE_ARN, TDG_ARN, TDG_2_ARN]);

    // What synth makes of it: the instance's inventory, with nothing to report.
    const app = new App({ context });
    const stack = new Stack(app, 'Centre', { env: { account: '123456789012', region: 'ap-northeast-1' } });
    ClaimedNumbers.fromLookup(stack, 'Numbers', { instanceArn: INSTANCE_ARN });
    expect(errorsOf(stack)).toEqual([]);
  });

  test('with no target, refreshes every inventory already in the file and keeps every other key', async () => {
    fs.writeFileSync(file, JSON.stringify({
      'acknowledged-issue-numbers': [32775],
      [inventoryContextKey(INSTANCE_ARN)]: { instanceArn: INSTANCE_ARN, numbers: [], lookedUpAt: '2020-01-01T00:00:00.000Z' },
      [inventoryContextKey(TDG_ARN)]: { instanceArn: TDG_ARN, numbers: [] },
    }, undefined, 2));

    const run = await lookup([], endpointEnv());

    expect(run.status).toBe(0);
    const context = readContext();
    expect(Object.keys(context)).toEqual(['acknowledged-issue-numbers', inventoryContextKey(INSTANCE_ARN), inventoryContextKey(TDG_ARN)]);
    expect(context[inventoryContextKey(INSTANCE_ARN)].numbers).toHaveLength(3);
    expect(context[inventoryContextKey(TDG_ARN)].numbers).toHaveLength(2);
    expect(context[inventoryContextKey(INSTANCE_ARN)].lookedUpAt).not.toBe('2020-01-01T00:00:00.000Z');
    expect(endpoint.calls).toBe(2);
  });

  test('with no target and no inventory in the file, says what to pass', async () => {
    const run = await lookup([], endpointEnv());
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`no --instance-arn given, and ${file} holds no inventory to refresh`);
    expect(endpoint.calls).toBe(0);
  });

  test('a --region that contradicts the ARN is refused before any call', async () => {
    const run = await lookup(['--instance-arn', INSTANCE_ARN, '--region', 'us-east-1'], endpointEnv());
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`--region us-east-1 contradicts ${INSTANCE_ARN}, which is in ap-northeast-1`);
    expect(run.stderr).toContain("Drop --region (the ARN's region is used) or correct the ARN.");
    expect(endpoint.calls).toBe(0);
    expect(fs.existsSync(file)).toBe(false);
  });

  test('a --profile that does not exist is named, and the message does not say to set AWS_PROFILE', async () => {
    const run = await lookup(['--instance-arn', INSTANCE_ARN, '--profile', 'no-such-profile'], {
      ...endpointEnv(), AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('The profile "no-such-profile" was not found in the shared config and credentials files');
    expect(run.stderr).toContain('aws configure list-profiles');
    expect(run.stderr).not.toMatch(/AWS_PROFILE/);
    expect(endpoint.calls).toBe(0);
  });

  test('prints no SDK Node.js version warning on a Node.js version engines allows', async () => {
    // On Node.js 22 and later the SDK has nothing to warn about; the assertion matters on 20 and 21.
    const run = await lookup(['--instance-arn', INSTANCE_ARN], endpointEnv());
    expect(run.status).toBe(0);
    expect(run.stderr).not.toMatch(/NodeVersionSupportWarning|upgrade to node/);
    // A user's own choice is kept: asking for the warning still shows it where the SDK gives it.
    const major = Number(process.versions.node.split('.')[0]);
    const asked = await lookup(['--instance-arn', INSTANCE_ARN], { ...endpointEnv(), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' });
    if (major < 22) expect(asked.stderr).toMatch(/NodeVersionSupportWarning/);
  });

  test('--role-arn assumes the role first and signs the listing with its credentials', async () => {
    const run = await lookup(['--instance-arn', INSTANCE_ARN, '--role-arn', ROLE_ARN], endpointEnv());

    expect(run.status).toBe(0);
    expect(endpoint.assumeRoleRequests).toEqual([expect.objectContaining({ roleArn: ROLE_ARN, roleSessionName: 'connect-caller-id-lookup' })]);
    expect(endpoint.assumeRoleRequests[0].authorization).toContain('Credential=AKIDLOCALTEST000000/');
    expect(endpoint.requests[0].authorization).toContain(`Credential=${endpoint.assumedAccessKeyId}/`);
    expect(readContext()[inventoryContextKey(INSTANCE_ARN)].numbers).toHaveLength(3);
  });

  test('a role that cannot be assumed is named with what the caller needs, and Connect is not called', async () => {
    await endpoint.close();
    await startEndpoint({ deniedRoles: [ROLE_ARN] });
    const run = await lookup(['--instance-arn', INSTANCE_ARN, '--role-arn', ROLE_ARN], endpointEnv());

    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`Could not assume the role ${ROLE_ARN}: access denied.`);
    expect(run.stderr).toContain('need sts:AssumeRole on it');
    expect(endpoint.calls).toBe(0);
    expect(fs.existsSync(file)).toBe(false);
  });

  test('a --role-arn that is not a role ARN is refused before any call', async () => {
    const run = await lookup(['--instance-arn', INSTANCE_ARN, '--role-arn', 'cdk-lookup-role'], endpointEnv());
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--role-arn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got "cdk-lookup-role"');
  });

  test('--timeout bounds the whole lookup against an endpoint that never answers', async () => {
    await endpoint.close();
    await startEndpoint({ fault: { kind: 'hang' } });
    const run = await lookup(['--instance-arn', INSTANCE_ARN, '--timeout', '1'], endpointEnv());

    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`Listing the phone numbers of ${INSTANCE_ARN} did not finish in the time allowed`);
    expect(run.stderr).toContain('connect-caller-id lookup --timeout');
    expect(run.stderr).toContain('1 of 1 lookup(s) failed; nothing was written.');
    expect(fs.existsSync(file)).toBe(false);
  });

  test.each([['0'], ['soon'], ['-5']])('--timeout %s is refused', async (value) => {
    const run = await lookup(['--instance-arn', INSTANCE_ARN, `--timeout=${value}`], endpointEnv());
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`--timeout must be a number of seconds above 0, got ${JSON.stringify(value)}`);
  });

  test('--max-numbers bounds the pages read from an endpoint that pages forever, and the message names the flag', async () => {
    await endpoint.close();
    await startEndpoint({ fault: { kind: 'endless-pages' } });
    const run = await lookup(['--instance-arn', INSTANCE_ARN, '--max-numbers', '1500'], endpointEnv());

    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`ListPhoneNumbersV2 on ${INSTANCE_ARN} still returned a NextToken after 3 pages of up to 1000`);
    expect(run.stderr).toContain('a target of 1500 numbers needs');
    expect(run.stderr).toContain('(connect-caller-id lookup --max-numbers)');
    expect(endpoint.calls).toBe(3);
    expect(fs.existsSync(file)).toBe(false);
  });

  test.each([['0'], ['many'], ['2.5']])('--max-numbers %s is refused', async (value) => {
    const run = await lookup(['--instance-arn', INSTANCE_ARN, `--max-numbers=${value}`], endpointEnv());
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`--max-numbers must be a whole number of at least 1, got ${JSON.stringify(value)}`);
  });

  test('entries Connect lists in a form synth refuses are normalised or skipped with a warning; what is written synthesizes', async () => {
    endpoint.setNumbers(INSTANCE_ARN, [
      { PhoneNumber: '+81 50 1000 0001', PhoneNumberType: 'did', PhoneNumberCountryCode: 'JP' },
      { PhoneNumber: 'call us', PhoneNumberType: 'DID' },
    ]);
    const run = await lookup(['--instance-arn', INSTANCE_ARN], endpointEnv());

    expect(run.status).toBe(0);
    expect(run.stderr).toContain('warning: ');
    expect(run.stderr).toContain('the number "+81 50 1000 0001" was written as +815010000001; its type "did" was written as DID.');
    expect(run.stderr).toContain('has the number "call us", which is not E.164');
    const context = readContext();
    expect(context[inventoryContextKey(INSTANCE_ARN)].numbers).toEqual([{ number: '+815010000001', type: 'DID', countryCode: 'JP' }]);
    const stack = new Stack(new App({ context }), 'Centre', { env: { account: '123456789012', region: 'ap-northeast-1' } });
    ClaimedNumbers.fromLookup(stack, 'Numbers', { instanceArn: INSTANCE_ARN });
    expect(errorsOf(stack)).toEqual([]);
  });

  test('an answer whose list is not an array fails the lookup and leaves the file as it was', async () => {
    fs.writeFileSync(file, '{}\n');
    await endpoint.close();
    await startEndpoint({ fault: { kind: 'malformed', body: '{"ListPhoneNumbersSummaryList":{"PhoneNumber":"+815010000000"}}' } });
    const run = await lookup(['--instance-arn', INSTANCE_ARN], endpointEnv());

    expect(run.status).toBe(1);
    expect(run.stderr).toContain('answered 3 times with something that is not a ListPhoneNumbersV2 answer');
    expect(run.stderr).not.toMatch(/TypeError|\n\s+at /);
    expect(fs.readFileSync(file, 'utf8')).toBe('{}\n');
  });

  test('one target failing still writes the others, and exits 1', async () => {
    endpoint.denyTarget(TDG_ARN);
    const run = await lookup(['--instance-arn', INSTANCE_ARN, '--traffic-distribution-group-arn', TDG_ARN], endpointEnv());

    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`Access denied listing the phone numbers of ${TDG_ARN}`);
    expect(run.stderr).toContain('1 of 2 lookup(s) failed; the others were written.');
    expect(Object.keys(readContext())).toEqual([inventoryContextKey(INSTANCE_ARN)]);
  });

  test('a --traffic-distribution-group-arn that is an instance ARN is refused', async () => {
    const run = await lookup(['--traffic-distribution-group-arn', INSTANCE_ARN], endpointEnv());
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--traffic-distribution-group-arn must be a traffic distribution group ARN');
  });
});
