import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { INVENTORY_PLUGIN_ENV, inventoryContextKey, inventoryPluginLoaded } from '../lib/core/context-key';
import { init } from '../lib/plugin';
import { INSTANCE_ARN } from './support/aws-env';
import { ConnectEndpoint, ConnectEndpointOptions, generateNumbers, PhoneNumberSummary, startConnectEndpoint } from './support/connect-endpoint';
import { CLI, ROOT } from './support/run';

// The CDK CLI plugin with the real CDK CLI (node_modules/aws-cdk) and the real Connect and STS clients against
// the local endpoint. The CLI runs asynchronously: the endpoint lives in this process.

const TDG_ARN = 'arn:aws:connect:ap-northeast-1:123456789012:traffic-distribution-group/7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
/** The lookup role of the default stack synthesizer, for the target's account and region (the stack has no environment). */
const LOOKUP_ROLE = 'arn:aws:iam::123456789012:role/cdk-hnb659fds-lookup-role-123456789012-ap-northeast-1';
const BASE_KEY_ID = 'AKIDLOCALTEST000000';
const CDK = path.join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk');
const APP = `node ${path.join(ROOT, 'dist', 'test', 'fixtures', 'plugin-app.js')}`;

interface Run {
  readonly status: number | null;
  readonly output: string;
}

let dir: string;
let endpoint: ConnectEndpoint;

/** A project whose cdk.json names the plugin as users write it, resolved through the package's `exports`. */
function project(withPlugin: boolean): void {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-'));
  // The CDK CLI resolves plugins from its own location, as in an app that installs aws-cdk and this package side
  // by side; here the package is found through NODE_PATH instead.
  fs.mkdirSync(path.join(dir, 'modules'));
  fs.symlinkSync(ROOT, path.join(dir, 'modules', 'cdk-connect-caller-id'));
  fs.writeFileSync(path.join(dir, 'cdk.json'), JSON.stringify({ app: APP, ...(withPlugin ? { plugin: ['cdk-connect-caller-id/plugin'] } : {}) }));
}

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH, HOME: process.env.HOME, NODE_PATH: path.join(dir, 'modules'),
    AWS_ACCESS_KEY_ID: BASE_KEY_ID, AWS_SECRET_ACCESS_KEY: 'local-test-secret',
    AWS_CONFIG_FILE: '/nonexistent/aws-config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials', AWS_EC2_METADATA_DISABLED: 'true',
    // Connect and STS (the lookup role, and the CLI's own GetCallerIdentity) answer locally: nothing leaves the machine.
    AWS_ENDPOINT_URL_CONNECT: endpoint.url, AWS_ENDPOINT_URL_STS: endpoint.url,
    CDK_DISABLE_VERSION_CHECK: '1', CI: 'true',
    ...extra,
  };
}

/** Runs a command to its end, or kills it after five minutes: a run that needs that long has hung. */
function run(args: string[], extra: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, args, { cwd: dir, env: env(extra) });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const killer = setTimeout(() => child.kill('SIGKILL'), 300_000);
  return new Promise((resolve) => child.on('close', (status) => {
    clearTimeout(killer);
    resolve({ status, output });
  }));
}

const synth = (used: string[], extra: Record<string, string> = {}) =>
  run([CDK, 'synth', '--quiet', '--output', path.join(dir, 'out')], { PLUGIN_INSTANCE_ARN: INSTANCE_ARN, PLUGIN_TDG_ARN: TDG_ARN, USED_NUMBERS: used.join(','), ...extra });
const readContext = () => JSON.parse(fs.readFileSync(path.join(dir, 'cdk.context.json'), 'utf8'));
const numbersIn = (context: any, arn: string) => context[inventoryContextKey(arn)].numbers.map((n: { number: string }) => n.number);
const listed = () => endpoint.requests.map((r) => r.body.TargetArn);
// The CLI's own GetCallerIdentity reaches the same form-encoded endpoint; it names no role.
const assumedRoles = () => endpoint.assumeRoleRequests.map((r) => r.roleArn).filter((arn) => arn !== '');

async function start(numbers: Record<string, PhoneNumberSummary[]>, options: ConnectEndpointOptions = {}): Promise<void> {
  endpoint = await startConnectEndpoint({ numbers, ...options });
}

describe('loading the plugin', () => {
  test('a CDK CLI that cannot register context providers gets the fix, and the app is not told to ask', () => {
    const before = process.env[INVENTORY_PLUGIN_ENV];
    delete process.env[INVENTORY_PLUGIN_ENV];
    try {
      // What an older CLI's plugin host offers: credential sources only.
      expect(() => init({ registerCredentialProviderSource: () => undefined } as never)).toThrow(
        'cdk-connect-caller-id/plugin needs a CDK CLI that lets plugins register context providers (registerContextProviderAlpha; ' +
        'aws-cdk 2.1148 is tested). Upgrade the aws-cdk package, or remove the plugin from cdk.json and fill the inventory with npx connect-caller-id lookup.');
      expect(process.env[INVENTORY_PLUGIN_ENV]).toBeUndefined();
    } finally {
      if (before !== undefined) process.env[INVENTORY_PLUGIN_ENV] = before;
    }
  });
});

describe('the CDK CLI plugin (cdk-connect-caller-id/plugin)', () => {
  afterEach(async () => {
    await endpoint.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const instanceNumbers = generateNumbers(3, { targetArn: INSTANCE_ARN });
  const groupNumbers = generateNumbers(2, { targetArn: TDG_ARN, start: 100 });
  const used = [instanceNumbers[1].PhoneNumber!, groupNumbers[0].PhoneNumber!];

  test('cdk synth fills a missing inventory with the lookup role, beside one `lookup` wrote; cdk context --reset then synth refreshes it', async () => {
    project(true);
    await start({ [INSTANCE_ARN]: instanceNumbers, [TDG_ARN]: groupNumbers });
    // The group's inventory as an existing project has it committed: written by `connect-caller-id lookup`.
    fs.writeFileSync(path.join(dir, 'cdk.context.json'), JSON.stringify({ 'other-key': { kept: true } }, undefined, 2));
    const lookup = await run([CLI, 'lookup', '--instance-arn', TDG_ARN], {});
    expect(lookup.status).toBe(0);
    expect(listed()).toEqual([TDG_ARN]);

    const first = await synth(used);
    expect(first.output).not.toContain('INVENTORY_MISSING');
    expect(first.status).toBe(0);
    const filled = readContext();
    expect(filled['other-key']).toEqual({ kept: true });
    expect(filled[inventoryContextKey(INSTANCE_ARN)]).toMatchObject({
      instanceArn: INSTANCE_ARN,
      numbers: instanceNumbers.map((n) => ({ number: n.PhoneNumber, type: 'DID', countryCode: 'JP', arn: n.PhoneNumberArn, description: n.PhoneNumberDescription })),
    });
    expect(filled[inventoryContextKey(INSTANCE_ARN)].lookedUpAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // Only the missing key was looked up, with the stack synthesizer's lookup role for the instance's account.
    expect(listed()).toEqual([TDG_ARN, INSTANCE_ARN]);
    expect(assumedRoles()).toEqual([LOOKUP_ROLE]);
    expect(endpoint.requests[1].authorization).toContain(`Credential=${endpoint.assumedAccessKeyId}/`);

    // The instance releases the number the transfer uses and claims another.
    const replacement = generateNumbers(1, { targetArn: INSTANCE_ARN, start: 7 });
    endpoint.setNumbers(INSTANCE_ARN, [instanceNumbers[0], instanceNumbers[2], ...replacement]);
    const reset = await run([CDK, 'context', '--reset', inventoryContextKey(INSTANCE_ARN)], {});
    expect(reset.status).toBe(0);
    expect(readContext()[inventoryContextKey(INSTANCE_ARN)]).toBeUndefined();

    const second = await synth(used);
    expect(numbersIn(readContext(), INSTANCE_ARN)).toEqual([instanceNumbers[0].PhoneNumber, instanceNumbers[2].PhoneNumber, replacement[0].PhoneNumber]);
    expect(numbersIn(readContext(), TDG_ARN)).toEqual(groupNumbers.map((n) => n.PhoneNumber));
    expect(listed()).toEqual([TDG_ARN, INSTANCE_ARN, INSTANCE_ARN]);
    // Synth judges the transfer against the refreshed inventory.
    expect(second.status).not.toBe(0);
    expect(second.output).toContain(`[CALLER_ID_NOT_CLAIMED] callerId ${used[0]} is not claimed by`);
  }, 600_000);

  test('without the plugin, a missing inventory fails synth naming both ways to fill it, and nothing calls Connect', async () => {
    project(false);
    await start({ [INSTANCE_ARN]: instanceNumbers, [TDG_ARN]: groupNumbers });
    const result = await synth(used);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(`[INVENTORY_MISSING] No claimed-number inventory for ${INSTANCE_ARN} in the context (key ${inventoryContextKey(INSTANCE_ARN)}). ` +
      `Fill it with: npx connect-caller-id lookup --instance-arn ${INSTANCE_ARN} --region ap-northeast-1 and commit cdk.context.json; ` +
      'or let cdk synth look it up, with the CDK CLI plugin of this library in cdk.json: "plugin": ["cdk-connect-caller-id/plugin"]');
    expect(result.output).toContain(`No claimed-number inventory for ${TDG_ARN}`);
    expect(result.output).not.toContain('Unrecognized plugin context provider');
    expect(endpoint.calls).toBe(0);
  }, 600_000);

  test('access denied to the lookup role and then to the listing: synth fails naming the instance, both causes and the fix, and stores nothing', async () => {
    project(true);
    await start({ [INSTANCE_ARN]: instanceNumbers, [TDG_ARN]: groupNumbers }, { deniedRoles: [LOOKUP_ROLE], deniedTargets: [INSTANCE_ARN] });
    const result = await synth(used);
    expect(result.status).not.toBe(0);
    // As the CDK CLI does for its own lookups, a role that cannot be assumed leaves the credentials themselves to try.
    expect(result.output).toContain(`cdk-connect-caller-id: could not use the lookup role for ${INSTANCE_ARN} (Could not assume the role ${LOOKUP_ROLE}: access denied.`);
    expect(endpoint.requests.find((r) => r.body.TargetArn === INSTANCE_ARN)?.authorization).toContain(`Credential=${BASE_KEY_ID}/`);
    expect(result.output).toContain(`[INVENTORY_MISSING] cdk synth could not look up the claimed numbers of ${INSTANCE_ARN} (key ${inventoryContextKey(INSTANCE_ARN)}): ` +
      `Access denied listing the phone numbers of ${INSTANCE_ARN}: the caller needs the IAM permission connect:ListPhoneNumbersV2`);
    expect(result.output).toContain(`The lookup role ${LOOKUP_ROLE} could not be used either: Could not assume the role ${LOOKUP_ROLE}: access denied.`);
    expect(result.output).toContain(`Fix that and synthesize again, or fill the key with: npx connect-caller-id lookup --instance-arn ${INSTANCE_ARN} --region ap-northeast-1`);
    // The group's lookup succeeded and is kept; the failed one is not stored, so the next synth tries again.
    const context = readContext();
    expect(context[inventoryContextKey(INSTANCE_ARN)]).toBeUndefined();
    expect(numbersIn(context, TDG_ARN)).toEqual(groupNumbers.map((n) => n.PhoneNumber));
  }, 600_000);

  test('an endpoint that never answers ends the lookup by its time limit, naming the instance and the limit', async () => {
    project(true);
    await start({ [INSTANCE_ARN]: instanceNumbers, [TDG_ARN]: groupNumbers }, { fault: { kind: 'hang' } });
    const result = await synth(used, { CONNECT_CALLER_ID_LOOKUP_TIMEOUT: '2' });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(`[INVENTORY_MISSING] cdk synth could not look up the claimed numbers of ${INSTANCE_ARN}`);
    expect(result.output).toMatch(/(did not finish in the time allowed|got no complete answer within)/);
    expect(result.output).toContain('During cdk synth the lookup of each target may take 2 s (CONNECT_CALLER_ID_LOOKUP_TIMEOUT).');
    expect(result.output).toContain(`or fill the key with: npx connect-caller-id lookup --instance-arn ${INSTANCE_ARN}`);
    expect(readContext()[inventoryContextKey(INSTANCE_ARN)]).toBeUndefined();
  }, 600_000);
});

test('the app asks the CLI only when the plugin set its version in the environment, not for an empty value', () => {
  expect([{}, { [INVENTORY_PLUGIN_ENV]: '' }, { [INVENTORY_PLUGIN_ENV]: '1' }].map((env) => inventoryPluginLoaded(env))).toEqual([false, false, true]);
});
