import {
  CustomResourceEvent,
  CustomResourceResult,
  MAX_NUMBERS_PER_RESOURCE,
  RESPONSE_LIMIT_BYTES,
  createHandler,
} from '../lib/handler';
import { createConnectClient } from '../lib/lookup';
import { INSTANCE_ARN, useTestAwsEnvironment } from './support/aws-env';
import { ConnectEndpoint, generateNumbers, startConnectEndpoint } from './support/connect-endpoint';

const STACK_ID = 'arn:aws:cloudformation:ap-northeast-1:123456789012:stack/contact-centre-outbound-production/8b5f6a70-9c2e-11f0-a1b2-0a1b2c3d4e5f';
const CLAIMED = generateNumbers(40, { targetArn: INSTANCE_ARN });
const UNCLAIMED = '+815099999999';
const LATE = generateNumbers(1, { targetArn: INSTANCE_ARN, start: 500 })[0];

const logs: string[] = [];
const handler = createHandler({ missingNumberRetryDelaysMs: [50, 50, 50], log: (m) => logs.push(m) });

let endpoint: ConnectEndpoint;
let restoreEnv: () => void;
beforeAll(async () => {
  endpoint = await startConnectEndpoint({ numbers: { [INSTANCE_ARN]: CLAIMED } });
  restoreEnv = useTestAwsEnvironment({ AWS_ENDPOINT_URL_CONNECT: endpoint.url });
});
afterAll(async () => {
  restoreEnv();
  await endpoint.close();
});
beforeEach(() => {
  endpoint.setNumbers(INSTANCE_ARN, CLAIMED);
  logs.length = 0;
});

function event(requestType: string, properties: unknown, extra: Partial<CustomResourceEvent> = {}): CustomResourceEvent {
  return {
    RequestType: requestType,
    ResourceProperties: properties,
    StackId: STACK_ID,
    RequestId: '5d7c2a1e-3b4f-4c6d-8e9f-0a1b2c3d4e5f',
    LogicalResourceId: 'OutboundCallerIdsCallerIdCheckChunk0Resource6A1B2C3D',
    ResourceType: 'Custom::ConnectCallerIdCheck',
    ...extra,
  };
}

function props(numbers: string[], usedBy?: string[]) {
  return {
    ServiceToken: 'arn:aws:lambda:ap-northeast-1:123456789012:function:contact-centre-CallerIdCheckProviderframeworkonEv-AbCdEf123456',
    TargetArn: INSTANCE_ARN,
    Numbers: numbers,
    UsedBy: usedBy ?? numbers.map((_n, i) => `ContactCentre/SalesQueue${i}`),
    PhysicalId: 'caller-id-check:0f3c7a52-6d1e-4b8a-9c57-1e2f3a4b5c6d:chunk-0',
  };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    expect(e).not.toBeInstanceOf(TypeError);
    // The provider framework reports the stack as the reason: it must be the readable message alone.
    expect((e as Error).stack).toBe((e as Error).message);
    return e as Error;
  }
  throw new Error('expected the handler to fail');
}

/** The body the provider framework PUTs to CloudFormation (cfn-response.ts `submitResponse`). */
function cloudFormationResponse(ev: CustomResourceEvent, status: 'SUCCESS' | 'FAILED', result?: CustomResourceResult, error?: Error): string {
  return JSON.stringify({
    Status: status,
    Reason: error ? error.stack : status,
    StackId: ev.StackId,
    RequestId: ev.RequestId,
    PhysicalResourceId: result?.PhysicalResourceId ?? ev.PhysicalResourceId ?? 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED',
    LogicalResourceId: ev.LogicalResourceId,
    Data: result?.Data,
  });
}

describe('Create and Update', () => {
  test.each(['Create', 'Update'])('%s returns the phone-number ARN of each number by index and the stable physical id', async (requestType) => {
    // GIVEN
    const numbers = [CLAIMED[5].PhoneNumber!, CLAIMED[2].PhoneNumber!, CLAIMED[5].PhoneNumber!];
    const before = endpoint.calls;

    // WHEN
    const result = await handler(event(requestType, props(numbers), { PhysicalResourceId: requestType === 'Update' ? 'caller-id-check:0f3c7a52-6d1e-4b8a-9c57-1e2f3a4b5c6d:chunk-0' : undefined }));

    // THEN
    expect(result).toEqual({
      PhysicalResourceId: 'caller-id-check:0f3c7a52-6d1e-4b8a-9c57-1e2f3a4b5c6d:chunk-0',
      Data: { Arn0: CLAIMED[5].PhoneNumberArn, Arn1: CLAIMED[2].PhoneNumberArn, Arn2: CLAIMED[5].PhoneNumberArn },
    });
    expect(endpoint.calls - before).toBe(1);
  });

  test('an unclaimed number fails after retrying, naming the number, its constructs, the target and the fix', async () => {
    // GIVEN
    const before = endpoint.calls;
    const numbers = [CLAIMED[0].PhoneNumber!, UNCLAIMED, UNCLAIMED];
    const usedBy = ['ContactCentre/SalesQueue', 'ContactCentre/EscalationTransfer, ContactCentre/Whisper', 'ContactCentre/Whisper'];

    // WHEN
    const error = await failure(handler(event('Create', props(numbers, usedBy))));

    // THEN
    expect(error.message).toContain(`Caller ID ${UNCLAIMED} is not claimed by ${INSTANCE_ARN}`);
    expect(error.message).toContain(`${UNCLAIMED}, used by ContactCentre/EscalationTransfer, ContactCentre/Whisper\n`);
    expect(error.message).toMatch(/listed 4 time\(s\)/);
    expect(error.message).toMatch(/Claim each of these numbers for this instance \(Amazon Connect console, Channels > Phone numbers\), or change the caller ID/);
    expect(error.message).not.toContain(CLAIMED[0].PhoneNumber!);
    expect(endpoint.calls - before).toBe(4);
  });

  test('several unclaimed numbers are all reported at once', async () => {
    const error = await failure(handler(event('Create', props(['+815099999991', CLAIMED[1].PhoneNumber!, '+815099999992']))));
    expect(error.message).toContain(`2 caller ID numbers used in this stack are not claimed by ${INSTANCE_ARN}:`);
    expect(error.message).toContain('+815099999991, used by ContactCentre/SalesQueue0');
    expect(error.message).toContain('+815099999992, used by ContactCentre/SalesQueue2');
  });

  test('a number claimed moments ago, missing from the first listing, passes thanks to the retry', async () => {
    // GIVEN: the endpoint lists the new number from the second listing on
    const late = await startConnectEndpoint({
      numbers: { [INSTANCE_ARN]: CLAIMED },
      onCall: (call) => {
        if (call === 2) late.setNumbers(INSTANCE_ARN, [...CLAIMED, LATE]);
      },
    });
    const lateHandler = createHandler({
      missingNumberRetryDelaysMs: [50, 50, 50],
      log: (m) => logs.push(m),
      createClient: () => createConnectClient({ endpoint: late.url }),
    });
    try {
      // WHEN
      const result = await lateHandler(event('Create', props([LATE.PhoneNumber!, CLAIMED[3].PhoneNumber!])));

      // THEN
      expect(result.Data).toEqual({ Arn0: LATE.PhoneNumberArn, Arn1: CLAIMED[3].PhoneNumberArn });
      expect(late.calls).toBe(2);
      expect(logs.join('\n')).toContain(`not listed yet for ${INSTANCE_ARN}; listing again in 50 ms: ${LATE.PhoneNumber}`);
    } finally {
      await late.close();
    }
  });

  test('a caller ID that is not E.164 fails naming it and its construct, before any call', async () => {
    const before = endpoint.calls;
    const error = await failure(handler(event('Create', props(['+81 3-6800-1234', CLAIMED[0].PhoneNumber!, 'Tokyo'], ['App/Queue', 'App/Flow', 'App/Transfer']))));
    expect(error.message).toContain('2 caller IDs are not valid E.164 numbers');
    expect(error.message).toMatch(/^\[CALLER_ID_NOT_E164\] /);
    expect(error.message).toContain('"+81 3-6800-1234": it contains characters other than + and digits (did you mean +81368001234?), used by App/Queue');
    expect(error.message).toContain('"Tokyo": it contains no digits, used by App/Transfer');
    expect(error.message).not.toContain('App/Flow');
    expect(endpoint.calls).toBe(before);
  });

  test('no numbers: nothing to check, no call', async () => {
    const before = endpoint.calls;
    await expect(handler(event('Create', props([])))).resolves.toEqual({ PhysicalResourceId: props([]).PhysicalId, Data: {} });
    expect(endpoint.calls).toBe(before);
  });

  test('access denied reaches the console with the IAM action to grant', async () => {
    const denied = 'arn:aws:connect:ap-northeast-1:123456789012:instance/dddddddd-0000-4000-8000-000000000000';
    endpoint.setNumbers(denied, []);
    endpoint.denyTarget(denied);
    const error = await failure(handler(event('Create', { ...props([CLAIMED[0].PhoneNumber!]), TargetArn: denied })));
    expect(error.message).toMatch(/^Caller ID check: Access denied listing the phone numbers of .*connect:ListPhoneNumbersV2/);
  });

  test('an unknown instance names it', async () => {
    const unknown = 'arn:aws:connect:ap-northeast-1:123456789012:instance/eeeeeeee-0000-4000-8000-000000000000';
    const error = await failure(handler(event('Create', { ...props([CLAIMED[0].PhoneNumber!]), TargetArn: unknown })));
    expect(error.message).toContain(`${unknown} was not found`);
  });
});

describe('Delete', () => {
  test.each([
    ['valid properties', props([CLAIMED[0].PhoneNumber!])],
    ['no properties', undefined],
    ['properties of the wrong shape', { TargetArn: 42, Numbers: 'x', UsedBy: null }],
    ['a string', 'garbage'],
    ['an unclaimed number', props([UNCLAIMED])],
  ])('succeeds with %s, without calling Connect, keeping the physical id', async (_what, properties) => {
    const before = endpoint.calls;
    const result = await handler(event('Delete', properties, { PhysicalResourceId: 'caller-id-check:old' }));
    expect(result).toEqual({ PhysicalResourceId: 'caller-id-check:old' });
    expect(endpoint.calls).toBe(before);
  });

  test('without a physical id leaves the framework to keep its own', async () => {
    await expect(handler(event('Delete', undefined))).resolves.toEqual({});
  });
});

describe('malformed events', () => {
  test.each([
    ['no properties', undefined, /ResourceProperties must be an object/],
    ['properties that are a string', 'x', /ResourceProperties must be an object .*got "x"/],
    ['a missing TargetArn', { ...props(['+815010000000']), TargetArn: undefined }, /TargetArn: expected the ARN of a Connect instance .*got nothing/],
    ['a TargetArn that is a queue', { ...props(['+815010000000']), TargetArn: `${INSTANCE_ARN}/queue/q` }, /TargetArn: .*did you mean the instance/],
    ['Numbers that is a string', { ...props([]), Numbers: '+815010000000' }, /Numbers must be a list of E.164 numbers as strings.*got "\+815010000000"/],
    ['Numbers with a number in it', { ...props([]), Numbers: [815000000000], UsedBy: ['a'] }, /Numbers must be a list/],
    ['UsedBy missing', { ...props(['+815010000000']), UsedBy: undefined }, /UsedBy must be a list of construct paths/],
    ['UsedBy of the wrong length', { ...props(['+815010000000', '+815010000001']), UsedBy: ['a'] }, /UsedBy must have one entry per number: 2 number\(s\) but 1 UsedBy entry/],
    ['an empty PhysicalId', { ...props(['+815010000000']), PhysicalId: '' }, /PhysicalId must be a non-empty string, got ""/],
    ['everything wrong', {}, /TargetArn[\s\S]*Numbers[\s\S]*UsedBy[\s\S]*PhysicalId/],
  ])('%s fails with a readable message', async (_what, properties, message) => {
    const error = await failure(handler(event('Create', properties)));
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(/Cannot read properties|undefined is not|is not a function/);
  });

  test('an event that is not an object, or an unknown RequestType, fails readably', async () => {
    expect((await failure(handler(null as unknown as CustomResourceEvent))).message).toMatch(/event that is not an object/);
    expect((await failure(handler(event('Replace', props([]))))).message).toMatch(/unknown RequestType "Replace"; expected Create, Update or Delete/);
  });

  test('an unexpected exception becomes a readable Error', async () => {
    const broken = createHandler({
      log: () => undefined,
      createClient: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'region')");
      },
    });
    const error = await failure(broken(event('Create', props([CLAIMED[0].PhoneNumber!]))));
    expect(error.message).toBe(
      "The caller ID check failed unexpectedly (TypeError: Cannot read properties of undefined (reading 'region')). The function's log in CloudWatch has the details.",
    );
  });
});

describe('response size', () => {
  // The longest ARNs real partitions produce, with uuid ids.
  const govTarget = 'arn:aws-us-gov:connect:us-gov-west-1:123456789012:instance/0f3c7a52-6d1e-4b8a-9c57-1e2f3a4b5c6d';
  const govNumbers = generateNumbers(MAX_NUMBERS_PER_RESOURCE, { targetArn: govTarget });

  test(`the whole CloudFormation response for ${MAX_NUMBERS_PER_RESOURCE} numbers stays under ${RESPONSE_LIMIT_BYTES} bytes`, async () => {
    endpoint.setNumbers(govTarget, govNumbers);
    const numbers = govNumbers.map((n) => n.PhoneNumber!);
    const ev = event('Create', {
      ...props(numbers, numbers.map((_n, i) => `ContactCentreOutboundProductionStack/Region${i}/OutboundSalesQueue/Resource`)),
      TargetArn: govTarget,
    });

    const result = await handler(ev);

    expect(Object.keys(result.Data!)).toHaveLength(MAX_NUMBERS_PER_RESOURCE);
    expect(result.Data!.Arn24).toBe(govNumbers[24].PhoneNumberArn);
    const body = cloudFormationResponse(ev, 'SUCCESS', result);
    expect(result.Data!.Arn0).toMatch(/^arn:aws-us-gov:connect:us-gov-west-1:123456789012:phone-number\/[0-9a-f-]{36}$/);
    expect(Buffer.byteLength(body)).toBeLessThan(RESPONSE_LIMIT_BYTES);
  });

  test(`a failure naming ${MAX_NUMBERS_PER_RESOURCE} unclaimed numbers with long construct paths also fits`, async () => {
    const numbers = Array.from({ length: MAX_NUMBERS_PER_RESOURCE }, (_n, i) => `+1206555${String(i).padStart(4, '0')}`);
    const usedBy = numbers.map((_n, i) =>
      Array.from({ length: 3 }, (_x, j) => `ContactCentreOutboundProductionStack/EscalationTransfers/Region${i}/TransferToPhoneNumberFlow${j}/Resource`).join(', '),
    );
    const ev = event('Create', props(numbers, usedBy));

    const error = await failure(handler(ev));

    expect(error.message).toContain('25 caller ID numbers used in this stack are not claimed');
    expect(error.message).toMatch(/and \d+ more \(the function's log in CloudWatch lists them all\)/);
    expect(error.message).toMatch(/Claim each of these numbers/);
    expect(Buffer.byteLength(cloudFormationResponse(ev, 'FAILED', undefined, error))).toBeLessThan(RESPONSE_LIMIT_BYTES);
    // The log keeps the whole list.
    expect(logs.join('\n')).toContain(`${numbers[24]}, used by`);
  });

  test(`more than ${MAX_NUMBERS_PER_RESOURCE} numbers in one resource is refused, saying why`, async () => {
    const numbers = CLAIMED.slice(0, MAX_NUMBERS_PER_RESOURCE + 1).map((n) => n.PhoneNumber!);
    const error = await failure(handler(event('Create', props(numbers))));
    expect(error.message).toContain(`Numbers has 26 entries, but one check resource takes at most 25, so that their ARNs fit in CloudFormation's 4096-byte response`);
  });

  test('a response that would not fit is refused before CloudFormation sees it', async () => {
    const numbers = CLAIMED.slice(0, MAX_NUMBERS_PER_RESOURCE).map((n) => n.PhoneNumber!);
    const error = await failure(handler(event('Create', { ...props(numbers), PhysicalId: 'p'.repeat(1500) })));
    expect(error.message).toMatch(/response would be \d+ bytes, over CloudFormation's 4096-byte limit/);
  });
});

describe('numbers of call-time guards', () => {
  test('guard numbers are verified with the others; only Numbers get ARNs back', async () => {
    const result = await handler(event('Create', {
      ...props([CLAIMED[1].PhoneNumber!]),
      GuardNumbers: CLAIMED.slice(0, 30).map((n) => n.PhoneNumber!),
      GuardUsedBy: ['ContactCentre/Whisper', 'ContactCentre/Transfer'],
    }));
    expect(result.Data).toEqual({ Arn0: CLAIMED[1].PhoneNumberArn });
  });

  test('a guard number the instance no longer claims fails, naming the flows and the lookup to refresh', async () => {
    const error = await failure(handler(event('Create', {
      ...props([CLAIMED[1].PhoneNumber!]),
      GuardNumbers: [CLAIMED[2].PhoneNumber!, UNCLAIMED],
      GuardUsedBy: ['ContactCentre/Whisper'],
    })));
    expect(error.message).toContain(`[CALLER_ID_NOT_CLAIMED] Caller ID ${UNCLAIMED} is not claimed by ${INSTANCE_ARN}`);
    expect(error.message).toContain(`${UNCLAIMED}, used by the call-time guard of ContactCentre/Whisper`);
    expect(error.message).toContain('refresh it with connect-caller-id lookup');
  });

  test('malformed guard properties are refused with what is expected', async () => {
    const error = await failure(handler(event('Create', { ...props([CLAIMED[1].PhoneNumber!]), GuardNumbers: 'all' })));
    expect(error.message).toContain('GuardNumbers and GuardUsedBy must be lists of strings');
  });
});
