/**
 * What CloudFormation receives from the deploy-time check: the function's code as the package ships it
 * (dist/handler: aws-cdk-lib's Node.js custom resource entry point, `__entrypoint__.js`, which calls the bundled
 * handler in `index.js`), with only the entry point's PUT to CloudFormation's presigned URL replaced, through
 * the hook the entry point itself offers (`external.sendHttpRequest`).
 */
import * as path from 'path';
import { CheckedNumber } from '../lib/core/deploy-time-check';
import { CallerIdContext } from '../lib/core/rule-definition';
import { INSTANCE_ARN, useTestAwsEnvironment } from './support/aws-env';
import { ConnectEndpoint, generateNumbers, startConnectEndpoint } from './support/connect-endpoint';

const HANDLER = path.join(__dirname, '..', 'dist', 'handler');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const entrypoint = require(path.join(HANDLER, '__entrypoint__.js'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bundle = require(path.join(HANDLER, 'index.js'));

const LOG_GROUP = 'ContactCentreOutboundProductionStack-ConnectCallerIdCheckProviderHandlerLogs3F5A1B2C-Ab1Cd2Ef3Gh4';
const LOG_STREAM = '2026/11/23/[$LATEST]0123456789abcdef0123456789abcdef';
const STACK_ID = `arn:aws:cloudformation:ap-northeast-1:123456789012:stack/ContactCentreOutboundProductionStack/${'8b5f6a70-9c2e-11f0-a1b2-0a1b2c3d4e5f'}`;
const LOGICAL_ID = 'ContactCentreOutboundProductionConnectCallerIdCheck078F12B0Verification2E6C9A1B';

interface Delivered {
  readonly body: string;
  readonly json: Record<string, unknown>;
}

let endpoint: ConnectEndpoint;
let restore: () => void;
let logged: string[];
let delivered: Delivered[];
const originalExternal = { ...entrypoint.external };

beforeAll(async () => {
  endpoint = await startConnectEndpoint({ numbers: { [INSTANCE_ARN]: generateNumbers(60, { targetArn: INSTANCE_ARN }) } });
  restore = useTestAwsEnvironment({
    AWS_ENDPOINT_URL_CONNECT: endpoint.url,
    // What Lambda sets in the function's environment, and what the construct sets.
    AWS_LAMBDA_LOG_STREAM_NAME: LOG_STREAM,
    CALLER_ID_CHECK_LOG_GROUP: LOG_GROUP,
  });
});
afterAll(async () => {
  restore();
  for (const name of ['AWS_LAMBDA_LOG_STREAM_NAME', 'CALLER_ID_CHECK_LOG_GROUP']) delete process.env[name];
  Object.assign(entrypoint.external, originalExternal);
  await endpoint.close();
});

beforeEach(() => {
  logged = [];
  delivered = [];
  // The entry point logs every event and response; the handler logs through console.log, as in Lambda.
  jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    logged.push(args.map(String).join(' '));
  });
  entrypoint.external.log = (...args: unknown[]) => logged.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  entrypoint.external.sendHttpRequest = async (_options: unknown, body: string) => {
    delivered.push({ body, json: JSON.parse(body) });
  };
  entrypoint.external.userHandlerIndex = require.resolve('./support/quick-check-handler');
});
afterEach(() => jest.restoreAllMocks());

const EVENT = {
  ServiceToken: 'arn:aws:lambda:ap-northeast-1:123456789012:function:ContactCentreOutboundProduc-ConnectCallerIdCheckProv-Ab1Cd2Ef3Gh4',
  ResponseURL: 'https://cloudformation-custom-resource-response-apnortheast1.s3.ap-northeast-1.amazonaws.com/arn%3Aaws%3Acloudformation?X-Amz-Signature=abc',
  StackId: STACK_ID,
  RequestId: '5d7c2a1e-3b4f-4c6d-8e9f-0a1b2c3d4e5f',
  LogicalResourceId: LOGICAL_ID,
  ResourceType: 'Custom::ConnectCallerIdCheck',
};

/** Sends a Create to the function's handler, as CloudFormation does, and returns the body PUT back. */
async function create(properties: Record<string, unknown>): Promise<Delivered> {
  await entrypoint.handler({
    ...EVENT,
    RequestType: 'Create',
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:ap-northeast-1:123456789012:function:x', ...properties },
  }, { getRemainingTimeInMillis: () => 300_000 });
  expect(delivered).toHaveLength(1);
  return delivered[0];
}

/** `count` unclaimed numbers, each used by two transfers with long construct paths. */
function unclaimed(count: number): CheckedNumber[] {
  return Array.from({ length: count }, (_n, i) => ({
    Number: `+1206555${String(i).padStart(4, '0')}`,
    UsedBy: [0, 1].map((j) => ({
      Path: `ContactCentreOutboundProductionStack/EscalationTransfers/Region${i}/TransferToPhoneNumberFlow${j}`,
      Context: CallerIdContext.TRANSFER,
      Destination: '+81368009999',
    })),
  }));
}

describe('a failure reason that fits, however many numbers fail', () => {
  test.each([18, 300, 5000])('%i unclaimed numbers: the first few, the count and the log group reach CloudFormation within 4096 bytes', async (count) => {
    // WHEN
    const response = await create({ TargetArns: [INSTANCE_ARN], Numbers: unclaimed(count) });

    // THEN
    expect(Buffer.byteLength(response.body)).toBeLessThanOrEqual(4096);
    expect(response.json.Status).toBe('FAILED');
    const reason = response.json.Reason as string;
    expect(reason).toMatch(new RegExp(`^\\[CALLER_ID_NOT_CLAIMED\\] ${count} caller ID numbers used in this stack are not claimed by ${INSTANCE_ARN}:\n`));
    expect(reason).toContain('  - +12065550000, used by ContactCentreOutboundProductionStack/EscalationTransfers/Region0/TransferToPhoneNumberFlow0, ');
    expect(reason).toContain('  - +12065550002, used by');
    expect(reason).toMatch(/ {2}- and \d+ more\n/);
    expect(reason).toContain(`CloudWatch Logs log group ${LOG_GROUP}, stream ${LOG_STREAM}, lists all ${count} with every construct.`);
    expect(reason).toContain('Claim each of these numbers for this instance');
    // The reason is the message alone: no trace of where in the bundle it was thrown, nothing said twice.
    expect(reason).not.toMatch(/\n\s+at /);
    expect(reason.indexOf('+12065550000')).toBe(reason.lastIndexOf('+12065550000'));
    // The function's log holds every number and every construct using it.
    const log = logged.join('\n');
    const last = `+1206555${String(count - 1).padStart(4, '0')}`;
    expect(log).toContain(`  - ${last}, used by ContactCentreOutboundProductionStack/EscalationTransfers/Region${count - 1}/TransferToPhoneNumberFlow0, ` +
      `ContactCentreOutboundProductionStack/EscalationTransfers/Region${count - 1}/TransferToPhoneNumberFlow1`);
  });

  test('malformed properties by the thousand still fit', async () => {
    const response = await create({ TargetArns: ['not an arn'], Numbers: Array.from({ length: 5000 }, (_x, i) => ({ Number: i })) });
    expect(Buffer.byteLength(response.body)).toBeLessThanOrEqual(4096);
    expect(response.json.Reason).toMatch(/^The caller ID check's properties are not valid:/);
  });

  test('a reason made of multi-byte text is measured in bytes, not characters', async () => {
    const numbers = unclaimed(300).map((n) => ({ ...n, UsedBy: n.UsedBy.map((u) => ({ ...u, Path: `コンタクトセンター/${u.Path}/転送` })) }));
    const response = await create({ TargetArns: [INSTANCE_ARN], Numbers: numbers });
    expect(Buffer.byteLength(response.body)).toBeLessThanOrEqual(4096);
    expect(response.json.Reason).toContain('コンタクトセンター/');
  });
});

describe('a success response that fits', () => {
  test('the most ARNs one check returns, in the longest partition, with long ids, stays within 4096 bytes', async () => {
    // GIVEN: an instance in the GovCloud partition whose numbers have no ARN recorded in the inventory
    const gov = 'arn:aws-us-gov:connect:us-gov-west-1:123456789012:instance/0f3c7a52-6d1e-4b8a-9c57-1e2f3a4b5c6d';
    const numbers = generateNumbers(bundle.MAX_RETURNED_ARNS, { targetArn: gov });
    endpoint.setNumbers(gov, numbers);
    const entries = numbers.map((n) => ({
      Number: n.PhoneNumber!, ArnAttribute: `N${n.PhoneNumber!.slice(1)}`,
      UsedBy: [{ Path: `ContactCentreOutboundProductionStack/Region/OutboundSalesQueue${n.PhoneNumber}`, Context: CallerIdContext.QUEUE }],
    }));

    // WHEN
    const response = await create({ TargetArns: [gov], Numbers: entries });

    // THEN
    expect(response.json.Status).toBe('SUCCESS');
    expect(Buffer.byteLength(response.body)).toBeLessThanOrEqual(4096);
    const data = response.json.Data as Record<string, string>;
    expect(Object.keys(data)).toHaveLength(bundle.MAX_RETURNED_ARNS + 1);
    for (const n of numbers) expect(`${data.ArnPrefix}${data[`N${n.PhoneNumber!.slice(1)}`]}`).toBe(n.PhoneNumberArn);
  });
});

describe('the function as shipped', () => {
  test('its entry point calls the bundled handler beside it: a Delete succeeds and keeps its physical id', async () => {
    entrypoint.external.userHandlerIndex = originalExternal.userHandlerIndex;
    await entrypoint.handler({ ...EVENT, RequestType: 'Delete', PhysicalResourceId: 'check-1', ResourceProperties: { Numbers: 'not a list' } }, {});
    expect(delivered.map((d) => [d.json.Status, d.json.PhysicalResourceId])).toEqual([['SUCCESS', 'check-1']]);
  });

  test('a Create with properties the handler refuses fails with its reason, and the Delete that follows is answered without it', async () => {
    entrypoint.external.userHandlerIndex = originalExternal.userHandlerIndex;
    await entrypoint.handler({ ...EVENT, RequestType: 'Create', ResourceProperties: { TargetArns: [] } }, { getRemainingTimeInMillis: () => 300_000 });
    expect(delivered[0].json).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/^The caller ID check's properties are not valid:/) });
    const failedId = delivered[0].json.PhysicalResourceId as string;
    await entrypoint.handler({ ...EVENT, RequestType: 'Delete', PhysicalResourceId: failedId, ResourceProperties: {} }, {});
    expect(delivered[1].json).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: failedId });
  });
});
