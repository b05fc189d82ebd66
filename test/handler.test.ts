import * as http from 'http';
import { AddressInfo } from 'net';
import { CallerIdContext } from '../lib/core/rule-definition';
import { CheckedNumber, CheckedUse } from '../lib/core/deploy-time-check';
import { CustomResourceEvent, createHandler } from '../lib/handler';
import { createConnectClient } from '../lib/lookup';
import { INSTANCE_ARN, useTestAwsEnvironment } from './support/aws-env';
import { ConnectEndpoint, generateNumbers, PhoneNumberSummary, startConnectEndpoint } from './support/connect-endpoint';

const STACK_ID = 'arn:aws:cloudformation:ap-northeast-1:123456789012:stack/contact-centre-outbound-production/8b5f6a70-9c2e-11f0-a1b2-0a1b2c3d4e5f';
const TDG_ARN = 'arn:aws:connect:ap-northeast-1:123456789012:traffic-distribution-group/7d1e2f30-4a5b-4c6d-8e9f-a0b1c2d3e4f5';
const CLAIMED = generateNumbers(40, { targetArn: INSTANCE_ARN });
const TDG_NUMBERS = generateNumbers(3, { targetArn: TDG_ARN, start: 900 });
const UNCLAIMED = '+815099999999';
const LATE = generateNumbers(1, { targetArn: INSTANCE_ARN, start: 500 })[0];
const PREFIX = 'arn:aws:connect:ap-northeast-1:123456789012:phone-number/';

/** A claimed number of a type or country synth refuses as a caller ID. */
function summary(number: string, type: string, country: string | undefined, id: string): PhoneNumberSummary {
  return {
    PhoneNumberId: id, PhoneNumberArn: `${PREFIX}${id}`, PhoneNumber: number, PhoneNumberType: type,
    ...(country ? { PhoneNumberCountryCode: country } : {}), TargetArn: INSTANCE_ARN,
  };
}
const UIFN = summary('+80012345678', 'UIFN', undefined, '0a0a0a0a-0000-4000-8000-000000000001');
const AU_TOLL_FREE = summary('+611800123456', 'TOLL_FREE', 'AU', '0a0a0a0a-0000-4000-8000-000000000002');
const JP_TOLL_FREE = summary('+81120123456', 'TOLL_FREE', 'JP', '0a0a0a0a-0000-4000-8000-000000000003');
const INSTANCE_NUMBERS = [...CLAIMED, UIFN, AU_TOLL_FREE, JP_TOLL_FREE];

const logs: string[] = [];
const handler = createHandler({ missingNumberRetryDelaysMs: [50, 50, 50], log: (m) => logs.push(m) });

let endpoint: ConnectEndpoint;
let restoreEnv: () => void;
beforeAll(async () => {
  endpoint = await startConnectEndpoint({ numbers: { [INSTANCE_ARN]: INSTANCE_NUMBERS, [TDG_ARN]: TDG_NUMBERS } });
  restoreEnv = useTestAwsEnvironment({ AWS_ENDPOINT_URL_CONNECT: endpoint.url });
});
afterAll(async () => {
  restoreEnv();
  await endpoint.close();
});
beforeEach(() => {
  endpoint.setNumbers(INSTANCE_ARN, INSTANCE_NUMBERS);
  logs.length = 0;
});

function event(requestType: string, properties: unknown, extra: Partial<CustomResourceEvent> = {}): CustomResourceEvent {
  return {
    RequestType: requestType,
    ResourceProperties: properties,
    StackId: STACK_ID,
    RequestId: '5d7c2a1e-3b4f-4c6d-8e9f-0a1b2c3d4e5f',
    LogicalResourceId: 'ConnectCallerIdCheck078F12B0CheckA5E40C22',
    ResourceType: 'Custom::ConnectCallerIdCheck',
    ...extra,
  };
}

const use = (path: string, context = CallerIdContext.TRANSFER, destination?: string): CheckedUse =>
  ({ Path: path, Context: context, ...(destination ? { Destination: destination } : {}) });

function entry(number: string, ...usedBy: CheckedUse[]): CheckedNumber {
  return { Number: number, UsedBy: usedBy.length > 0 ? usedBy : [use(`ContactCentre/Transfer${number.slice(-2)}`)] };
}

function props(numbers: CheckedNumber[], extra: Record<string, unknown> = {}) {
  return {
    ServiceToken: 'arn:aws:lambda:ap-northeast-1:123456789012:function:contact-centre-ConnectCallerIdCheckProviderHa-AbCdEf123456',
    TargetArns: [INSTANCE_ARN],
    Numbers: numbers,
    ...extra,
  };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    expect(e).not.toBeInstanceOf(TypeError);
    // aws-cdk-lib's entry point sends the stack as the reason: the message and no trace.
    expect((e as Error).stack).toBe((e as Error).message);
    return e as Error;
  }
  throw new Error('expected the handler to fail');
}

describe('Create and Update', () => {
  test.each(['Create', 'Update'])('%s verifies the recorded ARN, returns the missing ones as ArnPrefix plus id, with one listing', async (requestType) => {
    // GIVEN: a queue number with its ARN recorded, one without, and a transfer number
    const numbers = [
      { ...entry(CLAIMED[5].PhoneNumber!, use('Centre/SalesQueue', CallerIdContext.QUEUE)), Arn: CLAIMED[5].PhoneNumberArn },
      { ...entry(CLAIMED[2].PhoneNumber!, use('Centre/SupportQueue', CallerIdContext.QUEUE)), ArnAttribute: 'N815010000002' },
      entry(CLAIMED[7].PhoneNumber!),
    ];
    const before = endpoint.calls;

    // WHEN
    const result = await handler(event(requestType, props(numbers), requestType === 'Update' ? { PhysicalResourceId: 'a1b2c3d4-old' } : {}));

    // THEN
    expect(result).toEqual({
      ...(requestType === 'Update' ? { PhysicalResourceId: 'a1b2c3d4-old' } : {}),
      Data: { ArnPrefix: PREFIX, N815010000002: CLAIMED[2].PhoneNumberId },
    });
    expect(`${result.Data!.ArnPrefix}${result.Data!.N815010000002}`).toBe(CLAIMED[2].PhoneNumberArn);
    expect(endpoint.calls - before).toBe(1);
  });

  test('lists the instance and each traffic distribution group once, and accepts the numbers of either', async () => {
    const before = endpoint.requests.length;
    const result = await handler(event('Create', props(
      [entry(CLAIMED[1].PhoneNumber!), { ...entry(TDG_NUMBERS[0].PhoneNumber!, use('Centre/Queue', CallerIdContext.QUEUE)), ArnAttribute: 'N815010000900' }],
      { TargetArns: [INSTANCE_ARN, TDG_ARN] },
    )));
    expect(result.Data).toEqual({ ArnPrefix: PREFIX, N815010000900: TDG_NUMBERS[0].PhoneNumberId });
    expect(endpoint.requests.slice(before).map((r) => r.body.TargetArn)).toEqual([INSTANCE_ARN, TDG_ARN]);
  });

  test('two entries that resolved to one number (a parameter and a literal) are both answered', async () => {
    const result = await handler(event('Create', props([
      { ...entry(CLAIMED[3].PhoneNumber!, use('Centre/Q1', CallerIdContext.QUEUE)), ArnAttribute: 'N815010000003' },
      { ...entry(CLAIMED[3].PhoneNumber!, use('Centre/Q2', CallerIdContext.QUEUE)), ArnAttribute: 'TAC013FA7' },
    ])));
    expect(result.Data).toEqual({ ArnPrefix: PREFIX, N815010000003: CLAIMED[3].PhoneNumberId, TAC013FA7: CLAIMED[3].PhoneNumberId });
  });

  test('an unclaimed number fails after retrying, naming the number, its constructs, the target and the fix', async () => {
    // GIVEN
    const before = endpoint.calls;
    const numbers = [entry(CLAIMED[0].PhoneNumber!), entry(UNCLAIMED, use('Centre/EscalationTransfer'), use('Centre/Whisper', CallerIdContext.OUTBOUND_WHISPER))];

    // WHEN
    const error = await failure(handler(event('Create', props(numbers))));

    // THEN
    expect(error.message).toContain(`[CALLER_ID_NOT_CLAIMED] Caller ID ${UNCLAIMED} is not claimed by ${INSTANCE_ARN}:`);
    expect(error.message).toContain(`  - ${UNCLAIMED}, used by Centre/EscalationTransfer, Centre/Whisper\n`);
    expect(error.message).toMatch(/listed 4 time\(s\)/);
    expect(error.message).toMatch(/Claim each of these numbers for this instance \(Amazon Connect console, Channels > Phone numbers\), or change the caller ID/);
    expect(error.message).not.toContain(CLAIMED[0].PhoneNumber!);
    expect(endpoint.calls - before).toBe(4);
  });

  test('several unclaimed numbers are all reported at once, with the constructs of each', async () => {
    const error = await failure(handler(event('Create', props([entry('+815099999991'), entry(CLAIMED[1].PhoneNumber!), entry('+815099999992')]))));
    expect(error.message).toContain(`2 caller ID numbers used in this stack are not claimed by ${INSTANCE_ARN}:`);
    expect(error.message).toContain('+815099999991, used by ContactCentre/Transfer91');
    expect(error.message).toContain('+815099999992, used by ContactCentre/Transfer92');
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
      const result = await lateHandler(event('Create', props([{ ...entry(LATE.PhoneNumber!, use('Centre/Q', CallerIdContext.QUEUE)), ArnAttribute: 'N815010000500' }])));

      // THEN
      expect(result.Data).toEqual({ ArnPrefix: PREFIX, N815010000500: LATE.PhoneNumberId });
      expect(late.calls).toBe(2);
      expect(logs.join('\n')).toContain(`not listed yet for ${INSTANCE_ARN}; listing again in 50 ms: ${LATE.PhoneNumber}`);
    } finally {
      await late.close();
    }
  });

  test('an ARN the inventory recorded that Connect no longer lists for the number fails, saying to refresh the inventory', async () => {
    const stale = `${PREFIX}99999999-0000-4000-8000-000000000000`;
    const error = await failure(handler(event('Create', props([{ ...entry(CLAIMED[4].PhoneNumber!, use('Centre/SalesQueue', CallerIdContext.QUEUE)), Arn: stale }]))));
    expect(error.message).toContain(`The inventory records ${stale} as the phone-number ARN of ${CLAIMED[4].PhoneNumber}, but Connect lists ${CLAIMED[4].PhoneNumberArn}`);
    expect(error.message).toContain('Refresh it with connect-caller-id lookup, used by Centre/SalesQueue');
  });

  test('a caller ID that is not E.164 fails naming it and its construct, before any call', async () => {
    const before = endpoint.calls;
    const error = await failure(handler(event('Create', props([
      entry('+81 3-6800-1234', use('App/Queue', CallerIdContext.QUEUE)), entry(CLAIMED[0].PhoneNumber!, use('App/Flow')), entry('Tokyo', use('App/Transfer')),
    ]))));
    expect(error.message).toMatch(/^2 caller IDs are not valid E\.164 numbers:/);
    expect(error.message).toContain('[CALLER_ID_NOT_E164] caller ID "+81 3-6800-1234" is refused');
    expect(error.message).toContain('did you mean +81368001234?, used by App/Queue');
    expect(error.message).toContain('[CALLER_ID_NOT_E164] caller ID "Tokyo" is refused');
    expect(error.message).not.toContain('App/Flow');
    expect(endpoint.calls).toBe(before);
  });

  test('no numbers: nothing to check, no call', async () => {
    const before = endpoint.calls;
    await expect(handler(event('Create', props([])))).resolves.toEqual({ Data: {} });
    expect(endpoint.calls).toBe(before);
  });

  test('access denied reaches the console with the IAM action to grant', async () => {
    const denied = 'arn:aws:connect:ap-northeast-1:123456789012:instance/dddddddd-0000-4000-8000-000000000000';
    endpoint.setNumbers(denied, []);
    endpoint.denyTarget(denied);
    const error = await failure(handler(event('Create', props([entry(CLAIMED[0].PhoneNumber!)], { TargetArns: [denied] }))));
    expect(error.message).toMatch(/^Caller ID check: Access denied listing the phone numbers of .*connect:ListPhoneNumbersV2/);
  });

  test('an unknown traffic distribution group names it', async () => {
    const unknown = 'arn:aws:connect:ap-northeast-1:123456789012:traffic-distribution-group/eeeeeeee-0000-4000-8000-000000000000';
    const error = await failure(handler(event('Create', props([entry(CLAIMED[0].PhoneNumber!)], { TargetArns: [INSTANCE_ARN, unknown] }))));
    expect(error.message).toContain(`${unknown} was not found`);
  });
});

describe('the rules synth applies, with the type and country Connect lists', () => {
  test('a caller ID that resolves to a claimed UIFN number fails naming CALLER_ID_UIFN_NO_OUTBOUND', async () => {
    const error = await failure(handler(event('Create', props([entry(UIFN.PhoneNumber!, use('Centre/Whisper', CallerIdContext.OUTBOUND_WHISPER))]))));
    expect(error.message).toContain('[CALLER_ID_UIFN_NO_OUTBOUND] caller ID +80012345678 is a UIFN (+800) number; UIFN numbers cannot place outbound calls');
    expect(error.message).toContain('used by Centre/Whisper');
  });

  test('an Australian toll-free caller ID fails naming CALLER_ID_AU_DID_ONLY, with the type as Connect lists it', async () => {
    const error = await failure(handler(event('Create', props([entry(AU_TOLL_FREE.PhoneNumber!, use('Centre/Campaign', CallerIdContext.CAMPAIGN))]))));
    expect(error.message).toContain('[CALLER_ID_AU_DID_ONLY] caller ID +611800123456 is a TOLL_FREE number (per the inventory); in Australia the caller ID must be a DID');
  });

  test('the destination counts: a Japanese toll-free caller ID may transfer within Japan, not to the US', async () => {
    const domestic = handler(event('Create', props([entry(JP_TOLL_FREE.PhoneNumber!, use('Centre/Domestic', CallerIdContext.TRANSFER, '+81368009999'))])));
    await expect(domestic).resolves.toEqual({ Data: {} });

    const error = await failure(handler(event('Create', props([entry(JP_TOLL_FREE.PhoneNumber!,
      use('Centre/Domestic', CallerIdContext.TRANSFER, '+81368009999'), use('Centre/ToSeattle', CallerIdContext.TRANSFER, '+12065550100'))]))));
    expect(error.message).toContain('[CALLER_ID_TOLL_FREE_INTERNATIONAL] caller ID +81120123456 is a JP toll-free number and the destination +12065550100 is in US');
    expect(error.message).toContain('used by Centre/ToSeattle');
    expect(error.message).not.toContain('Centre/Domestic');
  });

  test('a guard number whose listed type has become UIFN fails, naming the guards', async () => {
    const error = await failure(handler(event('Create', props([], {
      GuardNumbers: [CLAIMED[1].PhoneNumber!, UIFN.PhoneNumber!], GuardUsedBy: [use('Centre/Whisper', CallerIdContext.OUTBOUND_WHISPER)],
    }))));
    expect(error.message).toContain('[CALLER_ID_UIFN_NO_OUTBOUND] caller ID +80012345678');
    expect(error.message).toContain('used by the call-time guards (outbound whisper flow)');
    expect(error.message).not.toContain(CLAIMED[1].PhoneNumber!);
  });

  test('warnings are logged, not failed: no acknowledgement reaches deploy time', async () => {
    const us = summary('+18885550100', 'TOLL_FREE', 'US', '0a0a0a0a-0000-4000-8000-000000000004');
    endpoint.setNumbers(INSTANCE_ARN, [...INSTANCE_NUMBERS, us]);
    await expect(handler(event('Create', props([entry(us.PhoneNumber!, use('Centre/ToFreephone', CallerIdContext.TRANSFER, '+18005550199'))]))))
      .resolves.toEqual({ Data: {} });
    expect(logs.join('\n')).toContain('[CALLER_ID_US_TOLL_FREE_TO_TOLL_FREE]');
  });
});

describe('numbers of call-time guards', () => {
  test('guard numbers are verified with the others; no ARN comes back for them', async () => {
    const result = await handler(event('Create', props([entry(CLAIMED[1].PhoneNumber!)], {
      GuardNumbers: CLAIMED.slice(0, 30).map((n) => n.PhoneNumber!),
      GuardUsedBy: [use('ContactCentre/Whisper', CallerIdContext.OUTBOUND_WHISPER), use('ContactCentre/Transfer')],
    })));
    expect(result.Data).toEqual({});
  });

  test('a guard number the instance no longer claims fails, naming the guards and the lookup to refresh', async () => {
    const error = await failure(handler(event('Create', props([entry(CLAIMED[1].PhoneNumber!)], {
      GuardNumbers: [CLAIMED[2].PhoneNumber!, UNCLAIMED], GuardUsedBy: [use('ContactCentre/Whisper', CallerIdContext.OUTBOUND_WHISPER)],
    }))));
    expect(error.message).toContain(`[CALLER_ID_NOT_CLAIMED] Caller ID ${UNCLAIMED} is not claimed by ${INSTANCE_ARN}`);
    expect(error.message).toContain(`${UNCLAIMED}, used by the call-time guards (outbound whisper flow)`);
    expect(error.message).toContain('refresh it with connect-caller-id lookup');
  });
});

describe('the deadline', () => {
  test('an endpoint that never answers ends in a clear error before the Lambda function times out', async () => {
    // GIVEN: a server that accepts each request and never answers, and 300 ms left before the 15 s margin
    const sockets = new Set<import('net').Socket>();
    const silent = http.createServer(() => undefined);
    silent.on('connection', (s) => sockets.add(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const slow = createHandler({
      missingNumberRetryDelaysMs: [], log: () => undefined, now: () => 1_000_000,
      createClient: () => createConnectClient({ endpoint: url }),
    });
    try {
      // WHEN
      const error = await failure(slow(event('Create', props([entry(CLAIMED[0].PhoneNumber!)])), { getRemainingTimeInMillis: () => 15_300 }));

      // THEN
      expect(error.message).toContain(`The caller ID check ran out of time listing the numbers of ${INSTANCE_ARN}`);
      expect(error.message).toContain("15 s before the Lambda function's timeout");
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  test('with no time left the check fails at once, without calling Connect', async () => {
    const before = endpoint.calls;
    const error = await failure(handler(event('Create', props([entry(CLAIMED[0].PhoneNumber!)])), { getRemainingTimeInMillis: () => 10_000 }));
    expect(error.message).toContain('ran out of time');
    expect(endpoint.calls).toBe(before);
  });
});

describe('Delete', () => {
  test.each([
    ['valid properties', props([entry(CLAIMED[0].PhoneNumber!)])],
    ['no properties', undefined],
    ['properties of the wrong shape', { TargetArns: 42, Numbers: 'x' }],
    ['a string', 'garbage'],
    ['an unclaimed number', props([entry(UNCLAIMED)])],
  ])('succeeds with %s, without calling Connect, keeping the physical id', async (_what, properties) => {
    const before = endpoint.calls;
    const result = await handler(event('Delete', properties, { PhysicalResourceId: 'caller-id-check:old' }));
    expect(result).toEqual({ PhysicalResourceId: 'caller-id-check:old' });
    expect(endpoint.calls).toBe(before);
  });

  test('without a physical id leaves the entry point to keep its own', async () => {
    await expect(handler(event('Delete', undefined))).resolves.toEqual({});
  });
});

describe('malformed events', () => {
  const good = entry('+815010000000');
  test.each([
    ['no properties', undefined, /ResourceProperties must be an object, got nothing/],
    ['properties that are a string', 'x', /ResourceProperties must be an object, got "x"/],
    ['no TargetArns', { ...props([good]), TargetArns: undefined }, /TargetArns must be a non-empty list of instance and traffic distribution group ARNs, got nothing/],
    ['a target that is a queue', props([good], { TargetArns: [`${INSTANCE_ARN}/queue/q`] }), /TargetArns\[0\]: .*did you mean the instance/],
    ['Numbers that is a string', { ...props([]), Numbers: '+815010000000' }, /Numbers must be a list of \{ "Number", "UsedBy", \.\.\. \} objects, got "\+815010000000"/],
    ['a number that is a number', props([{ ...good, Number: 815000000000 } as never]), /Numbers\[0\]\.Number must be a number as a string, .*got 815000000000/],
    ['UsedBy missing', props([{ Number: '+815010000000' } as never]), /Numbers\[0\]\.UsedBy must be a list of \{ "Path", "Context" \} objects, got nothing/],
    ['an unknown context', props([entry('+815010000000', { Path: 'A/B', Context: 'fax' as never })]), /Numbers\[0\]\.UsedBy\[0\]\.Context must be one of "queue", .*got "fax"/],
    ['an ArnAttribute that collides', props([{ ...good, ArnAttribute: 'N1' }, { ...entry('+815010000001'), ArnAttribute: 'N1' }]), /Numbers\[1\]\.ArnAttribute N1 is also the ArnAttribute of an earlier number/],
    ['an ArnAttribute named ArnPrefix', props([{ ...good, ArnAttribute: 'ArnPrefix' }]), /ArnAttribute must be 1-64 letters and digits other than ArnPrefix/],
    ['an Arn that is not a phone-number ARN', props([{ ...good, Arn: `${INSTANCE_ARN}/phone-number/x` }]), /Numbers\[0\]\.Arn must be a phone-number ARN/],
    ['GuardNumbers that is not a list', props([good], { GuardNumbers: 'all' }), /GuardNumbers must be a list of numbers as strings, got "all"/],
    ['everything wrong', {}, /TargetArns[\s\S]*Numbers/],
  ])('%s fails with a readable message', async (_what, properties, message) => {
    const error = await failure(handler(event('Create', properties)));
    expect(error.message).toMatch(/^The caller ID check's properties are not valid:/);
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(/Cannot read properties|undefined is not|is not a function/);
  });

  test('thousands of malformed entries name a few and count the rest', async () => {
    const error = await failure(handler(event('Create', props(Array.from({ length: 5000 }, () => 'x' as never)))));
    expect(error.message).toContain('Numbers[7] must be an object');
    expect(error.message).not.toContain('Numbers[8] must be');
    expect(error.message).toContain('and 4992 more problems');
  });

  test('an event that is not an object, or an unknown RequestType, fails readably', async () => {
    expect((await failure(handler(null as unknown as CustomResourceEvent))).message).toMatch(/event that is not an object/);
    expect((await failure(handler(event('Replace', props([]))))).message).toMatch(/unknown RequestType "Replace"; expected Create, Update or Delete/);
  });

  test('an unexpected exception becomes a readable Error that says where the log is', async () => {
    const broken = createHandler({
      log: () => undefined,
      logLocation: () => ({ logGroup: 'contact-centre-ConnectCallerIdCheckProviderHandlerLogs-AbCdEf', logStream: '2026/11/23/[$LATEST]0123' }),
      createClient: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'region')");
      },
    });
    const error = await failure(broken(event('Create', props([entry(CLAIMED[0].PhoneNumber!)]))));
    expect(error.message).toBe(
      "The caller ID check failed unexpectedly (TypeError: Cannot read properties of undefined (reading 'region')). CloudWatch Logs log group " +
        'contact-centre-ConnectCallerIdCheckProviderHandlerLogs-AbCdEf, stream 2026/11/23/[$LATEST]0123, has the details.',
    );
  });
});
