import { ConnectClient, ListPhoneNumbersV2Command } from '@aws-sdk/client-connect';
import { CallerIdInputError } from '../lib/core/errors';
import { PhoneNumberType, parseInventoryDocument } from '../lib/core/inventory';
import { LookupError, createConnectClient, listClaimedNumbers, listedNumbersToInventory } from '../lib/lookup';
import { INSTANCE_ARN, useTestAwsEnvironment } from './support/aws-env';
import { ConnectEndpoint, ConnectEndpointOptions, generateNumbers, startConnectEndpoint, startUnacceptingListener } from './support/connect-endpoint';
import { ManualClock } from './support/manual-clock';

const TDG_ARN = 'arn:aws:connect:ap-northeast-1:123456789012:traffic-distribution-group/7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

let restoreEnv: () => void;
beforeAll(() => {
  restoreEnv = useTestAwsEnvironment();
});
afterAll(() => restoreEnv());

/** Runs `body` against a fresh endpoint and a client pointed at it, and cleans both up. */
async function withEndpoint<T>(options: ConnectEndpointOptions, body: (endpoint: ConnectEndpoint, client: ConnectClient) => Promise<T>): Promise<T> {
  const endpoint = await startConnectEndpoint(options);
  const client = createConnectClient({ region: 'ap-northeast-1', endpoint: endpoint.url });
  try {
    return await body(endpoint, client);
  } finally {
    client.destroy();
    await endpoint.close();
  }
}

async function lookupError(promise: Promise<unknown>): Promise<LookupError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(LookupError);
    return e as LookupError;
  }
  throw new Error('expected the lookup to fail');
}

describe('listClaimedNumbers', () => {
  test('lists 2,500 numbers over 3 pages of 1000', async () => {
    // GIVEN
    const entries = generateNumbers(2500, { targetArn: INSTANCE_ARN });
    await withEndpoint({ numbers: { [INSTANCE_ARN]: [...entries].reverse() } }, async (endpoint, client) => {
      const progress: Array<[number, number]> = [];

      // WHEN
      const result = await listClaimedNumbers({ targetArn: INSTANCE_ARN, client, onProgress: (n, calls) => progress.push([n, calls]) });

      // THEN
      expect(result.calls).toBe(3);
      expect(endpoint.calls).toBe(3);
      expect(result.throttled).toBe(0);
      expect(result.numbers).toHaveLength(2500);
      expect(result.numbers.map((n) => n.number)).toEqual(entries.map((e) => e.PhoneNumber));
      expect(result.numbers[0]).toEqual({
        number: '+815010000000',
        type: PhoneNumberType.DID,
        countryCode: 'JP',
        arn: 'arn:aws:connect:ap-northeast-1:123456789012:phone-number/5e1f0000-0000-4000-8000-000000000000',
        // The description is what claimNumber recognises its own claims by (CLAIM_REPLACED).
        description: 'test number 0',
      });
      expect(progress).toEqual([
        [1000, 1],
        [2000, 2],
        [2500, 3],
      ]);
      expect(endpoint.requests.map((r) => r.body.MaxResults)).toEqual([1000, 1000, 1000]);
      expect(endpoint.requests.map((r) => r.body.TargetArn)).toEqual([INSTANCE_ARN, INSTANCE_ARN, INSTANCE_ARN]);
      expect(endpoint.requests[0].body.NextToken).toBeUndefined();
      expect(endpoint.requests[1].body.NextToken).toEqual(expect.any(String));
      // Signed by the real client, and with SDK retries off so every retry is ours.
      expect(endpoint.requests[0].authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDLOCALTEST000000\/\d{8}\/ap-northeast-1\/connect\/aws4_request/);
      expect(endpoint.requests.map((r) => r.sdkRequest)).toEqual(['attempt=1; max=1', 'attempt=1; max=1', 'attempt=1; max=1']);
    });
  });

  test('lists a traffic distribution group, and pages of any size', async () => {
    await withEndpoint({ numbers: { [TDG_ARN]: generateNumbers(7, { targetArn: TDG_ARN }) } }, async (endpoint, client) => {
      const result = await listClaimedNumbers({ targetArn: TDG_ARN, client, pageSize: 3 });
      expect(result.numbers).toHaveLength(7);
      expect(result.calls).toBe(3);
      expect(endpoint.requests.map((r) => r.body.MaxResults)).toEqual([3, 3, 3]);
    });
  });

  test.each(['TooManyRequestsException', 'ThrottlingException'] as const)('retries calls throttled with %s, then succeeds', async (throttleErrorType) => {
    // GIVEN
    const options: ConnectEndpointOptions = {
      numbers: { [INSTANCE_ARN]: generateNumbers(1500, { targetArn: INSTANCE_ARN }) },
      throttle: { kind: 'first', calls: 2 },
      throttleErrorType,
    };
    await withEndpoint(options, async (endpoint, client) => {
      // WHEN
      const result = await listClaimedNumbers({ targetArn: INSTANCE_ARN, client, clock: new ManualClock() });

      // THEN
      expect(result.numbers).toHaveLength(1500);
      expect(result.throttled).toBe(2);
      expect(result.calls).toBe(4);
      expect(endpoint.calls).toBe(4);
      expect(endpoint.requests.map((r) => r.status)).toEqual([429, 429, 200, 200]);
      // The retry asks for the same page again.
      expect(endpoint.requests[2].body.NextToken).toBeUndefined();
    });
  });

  test('gives up on a throttle that never clears, after exactly the time allowed, saying why and what to do', async () => {
    const clock = new ManualClock();
    await withEndpoint({ numbers: { [INSTANCE_ARN]: [] }, throttle: { kind: 'always' } }, async (endpoint, client) => {
      // WHEN
      const started = clock.now();
      const error = await lookupError(listClaimedNumbers({ targetArn: INSTANCE_ARN, client, maxThrottleWaitMs: 2000, clock }));

      // THEN
      expect(error.reason).toBe('throttled');
      expect(error.message).toContain(`ListPhoneNumbersV2 on ${INSTANCE_ARN} was throttled for 2.0 s over ${endpoint.calls} attempts`);
      expect(error.message).toMatch(/Retry later/);
      expect(error.message).toMatch(/quota/);
      // Backoff waits add up to the bound and no more (the last one is cut to what is left); the pacing after
      // each throttled call (the bucket is emptied, and refills at 2/s) adds at most 501 ms per call.
      expect(clock.now() - started).toBeGreaterThanOrEqual(2000);
      expect(clock.now() - started).toBeLessThan(2000 + 501 * endpoint.calls);
      expect(endpoint.calls).toBeGreaterThanOrEqual(2);
      expect(endpoint.throttled).toBe(endpoint.calls);
    });
  });

  test('10,000 numbers against a 2/s, burst 5 quota: exactly 10 calls, never throttled, 5 at once then one every 500 ms', async () => {
    // GIVEN
    const clock = new ManualClock();
    const options: ConnectEndpointOptions = {
      numbers: { [INSTANCE_ARN]: generateNumbers(10_000, { targetArn: INSTANCE_ARN }) },
      throttle: { kind: 'rate', requestsPerSecond: 2, burst: 5 },
      clock,
    };
    await withEndpoint(options, async (endpoint, client) => {
      // WHEN
      const started = clock.now();
      const result = await listClaimedNumbers({ targetArn: INSTANCE_ARN, client, clock });

      // THEN
      expect(result.numbers).toHaveLength(10_000);
      expect(result.calls).toBe(10);
      expect(endpoint.calls).toBe(10);
      expect(endpoint.throttled).toBe(0);
      expect(result.throttled).toBe(0);
      const at = endpoint.requests.map((r) => r.at);
      expect(at.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
      for (let i = 5; i < 10; i++) expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(500);
      expect(clock.now() - started).toBeGreaterThanOrEqual(2500);
      expect(clock.now() - started).toBeLessThan(2600);
    });
  });

  test('the same load without pacing is throttled by the endpoint, so the pacing is what avoids it', async () => {
    const options: ConnectEndpointOptions = {
      numbers: { [INSTANCE_ARN]: generateNumbers(10_000, { targetArn: INSTANCE_ARN }) },
      throttle: { kind: 'rate', requestsPerSecond: 2, burst: 5 },
    };
    await withEndpoint(options, async (endpoint, client) => {
      const result = await listClaimedNumbers({ targetArn: INSTANCE_ARN, client, requestsPerSecond: 1000, burst: 1000 });
      expect(result.numbers).toHaveLength(10_000);
      expect(endpoint.throttled).toBeGreaterThan(0);
      expect(result.calls).toBe(endpoint.calls);
    });
  });

  test('access denied names the IAM action and the target, without retrying', async () => {
    await withEndpoint({ numbers: { [INSTANCE_ARN]: [] }, deniedTargets: [INSTANCE_ARN] }, async (endpoint, client) => {
      const error = await lookupError(listClaimedNumbers({ targetArn: INSTANCE_ARN, client }));
      expect(error.reason).toBe('access-denied');
      expect(error.message).toContain(`the caller needs the IAM permission connect:ListPhoneNumbersV2 on ${INSTANCE_ARN}`);
      expect(error.message).toContain('is not authorized to perform');
      expect(endpoint.calls).toBe(1);
    });
  });

  test('an unknown target names the ARN and says to check the region and account', async () => {
    const unknown = 'arn:aws:connect:ap-northeast-1:123456789012:instance/00000000-0000-4000-8000-000000000000';
    await withEndpoint({ numbers: { [INSTANCE_ARN]: [] } }, async (endpoint, client) => {
      const error = await lookupError(listClaimedNumbers({ targetArn: unknown, client }));
      expect(error.reason).toBe('not-found');
      expect(error.targetArn).toBe(unknown);
      expect(error.message).toContain(`${unknown} was not found`);
      expect(error.message).toMatch(/region ap-northeast-1 and with credentials of account 123456789012/);
      expect(endpoint.calls).toBe(1);
    });
  });

  test('a client in another region than the instance is pointed out', async () => {
    const elsewhere = 'arn:aws:connect:us-east-1:123456789012:instance/00000000-0000-4000-8000-000000000000';
    await withEndpoint({ numbers: {} }, async (_endpoint, client) => {
      const error = await lookupError(listClaimedNumbers({ targetArn: elsewhere, client }));
      expect(error.message).toContain('The client calls region ap-northeast-1, but the ARN is in us-east-1.');
    });
  });

  test.each([
    ['a queue ARN', `${INSTANCE_ARN}/queue/11111111-2222-4333-8444-555555555555`, /did you mean the instance arn:aws:connect:.*instance\/0f3c7a52/],
    ['an instance id', '0f3c7a52-6d1e-4b8a-9c57-1e2f3a4b5c6d', /looks like an instance id/],
    ['a phone number ARN', 'arn:aws:connect:ap-northeast-1:123456789012:phone-number/5e1f0000-0000-4000-8000-000000000000', /phone number ARN/],
    ['an empty string', '', /got ""/],
  ])('refuses %s as target before any call', async (_what, target, hint) => {
    await withEndpoint({ numbers: {} }, async (endpoint, client) => {
      const error = await lookupError(listClaimedNumbers({ targetArn: target, client }));
      expect(error.reason).toBe('invalid-target');
      expect(error.message).toMatch(/expected the ARN of a Connect instance .* or traffic distribution group/);
      expect(error.message).toMatch(hint);
      expect(endpoint.calls).toBe(0);
    });
  });

  test('refuses out-of-range settings', async () => {
    await withEndpoint({ numbers: {} }, async (endpoint, client) => {
      await expect(listClaimedNumbers({ targetArn: INSTANCE_ARN, client, pageSize: 1001 })).rejects.toThrow(CallerIdInputError);
      await expect(listClaimedNumbers({ targetArn: INSTANCE_ARN, client, pageSize: 0 })).rejects.toThrow(/pageSize must be an integer from 1 to 1000, got 0/);
      await expect(listClaimedNumbers({ targetArn: INSTANCE_ARN, client, requestsPerSecond: 0 })).rejects.toThrow(/requestsPerSecond/);
      expect(endpoint.calls).toBe(0);
    });
  });

  test('skips entries without a number, keeps only phone-number ARNs, and drops duplicates', async () => {
    const oldFormArn = `${INSTANCE_ARN}/phone-number/aaaaaaaa-0000-4000-8000-000000000001`;
    const entries = [
      { PhoneNumberType: 'DID', PhoneNumberArn: 'arn:aws:connect:ap-northeast-1:123456789012:phone-number/x' },
      { PhoneNumber: '+815010000009', PhoneNumberType: 'TOLL_FREE', PhoneNumberArn: oldFormArn, PhoneNumberCountryCode: 'JP' },
      { PhoneNumber: '+815010000001', PhoneNumberType: 'DID', PhoneNumberArn: 'not-an-arn' },
      { PhoneNumber: '+815010000001', PhoneNumberType: 'DID' },
      { PhoneNumber: '+815010000002' },
    ];
    await withEndpoint({ numbers: { [INSTANCE_ARN]: entries } }, async (_endpoint, client) => {
      const { numbers } = await listClaimedNumbers({ targetArn: INSTANCE_ARN, client });
      expect(numbers).toEqual([
        { number: '+815010000001', type: 'DID' },
        {
          number: '+815010000009',
          type: 'TOLL_FREE',
          countryCode: 'JP',
          arn: 'arn:aws:connect:ap-northeast-1:123456789012:phone-number/aaaaaaaa-0000-4000-8000-000000000001',
        },
      ]);
    });
  });

  test('the inventory document reads back as one', async () => {
    await withEndpoint({ numbers: { [INSTANCE_ARN]: generateNumbers(3, { targetArn: INSTANCE_ARN }) } }, async (_endpoint, client) => {
      const { numbers } = await listClaimedNumbers({ targetArn: INSTANCE_ARN, client });
      const doc = listedNumbersToInventory(INSTANCE_ARN, numbers, new Date(Date.UTC(2030, 0, 2, 3, 4, 5)));
      expect(doc.lookedUpAt).toBe('2030-01-02T03:04:05.000Z');
      // Synth reads the inventory and ignores when it was listed.
      const { lookedUpAt, ...inventory } = doc;
      expect(lookedUpAt).toBeDefined();
      expect(parseInventoryDocument(JSON.parse(JSON.stringify(doc)), 'test')).toEqual(inventory);
    });
  });

  test('a client created with no endpoint finds the endpoint through AWS_ENDPOINT_URL_CONNECT', async () => {
    const endpoint = await startConnectEndpoint({ numbers: { [INSTANCE_ARN]: generateNumbers(2, { targetArn: INSTANCE_ARN }) } });
    process.env.AWS_ENDPOINT_URL_CONNECT = endpoint.url;
    const client = createConnectClient();
    try {
      const result = await listClaimedNumbers({ targetArn: INSTANCE_ARN, client });
      expect(result.numbers).toHaveLength(2);
      expect(endpoint.calls).toBe(1);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_CONNECT;
      client.destroy();
      await endpoint.close();
    }
  });

  test('a client with no region is refused before any call, naming the region to use', async () => {
    const region = process.env.AWS_REGION;
    delete process.env.AWS_REGION;
    try {
      await withEndpoint({ numbers: {} }, async (endpoint) => {
        const client = createConnectClient({ endpoint: endpoint.url });
        try {
          const error = await lookupError(listClaimedNumbers({ targetArn: INSTANCE_ARN, client }));
          expect(error.reason).toBe('failed');
          expect(error.message).toBe('No AWS region is set for the Connect client: pass a region (the target is in ap-northeast-1) or set AWS_REGION.');
          expect(endpoint.calls).toBe(0);
        } finally {
          client.destroy();
        }
      });
    } finally {
      process.env.AWS_REGION = region;
    }
  });

  test('with a client that retries on its own, every request it sends is still counted', async () => {
    const options: ConnectEndpointOptions = { numbers: { [INSTANCE_ARN]: generateNumbers(5, { targetArn: INSTANCE_ARN }) }, throttle: { kind: 'first', calls: 1 } };
    const endpoint = await startConnectEndpoint(options);
    const client = new ConnectClient({ region: 'ap-northeast-1', endpoint: endpoint.url, maxAttempts: 3 });
    try {
      const result = await listClaimedNumbers({ targetArn: INSTANCE_ARN, client });
      expect(result.numbers).toHaveLength(5);
      expect(endpoint.calls).toBe(2);
      expect(result.calls).toBe(2);
      expect(endpoint.requests[0].sdkRequest).toBe('attempt=1; max=3');
    } finally {
      client.destroy();
      await endpoint.close();
    }
  });
});

describe('the local Connect endpoint', () => {
  test('refuses MaxResults outside 1-1000 as the service does', async () => {
    await withEndpoint({ numbers: { [INSTANCE_ARN]: [] } }, async (_endpoint, client) => {
      const send = (MaxResults: number) => client.send(new ListPhoneNumbersV2Command({ TargetArn: INSTANCE_ARN, MaxResults }));
      await expect(send(1001)).rejects.toMatchObject({ name: 'InvalidParameterException', $metadata: { httpStatusCode: 400 } });
      await expect(send(0)).rejects.toMatchObject({ name: 'InvalidParameterException' });
      await expect(send(1000)).resolves.toMatchObject({ ListPhoneNumbersSummaryList: [] });
    });
  });

  test('its errors deserialize into the SDK exception classes', async () => {
    await withEndpoint({ numbers: {}, throttle: { kind: 'always' } }, async (_endpoint, client) => {
      await expect(client.send(new ListPhoneNumbersV2Command({ TargetArn: INSTANCE_ARN }))).rejects.toMatchObject({
        name: 'TooManyRequestsException',
        message: 'Rate exceeded',
        $fault: 'client',
        $metadata: { httpStatusCode: 429 },
      });
    });
  });

  test('lists by InstanceId too', async () => {
    await withEndpoint({ numbers: { [INSTANCE_ARN]: generateNumbers(2, { targetArn: INSTANCE_ARN }) } }, async (_endpoint, client) => {
      const out = await client.send(new ListPhoneNumbersV2Command({ InstanceId: '0f3c7a52-6d1e-4b8a-9c57-1e2f3a4b5c6d' }));
      expect(out.ListPhoneNumbersSummaryList).toHaveLength(2);
    });
  });
});

describe('listClaimedNumbers against a faulty endpoint ends, with an error naming the target and what to do', () => {
  const NUMBERS = { [INSTANCE_ARN]: generateNumbers(3, { targetArn: INSTANCE_ARN }) };

  test('an endpoint that never answers: each call is abandoned after callTimeoutMs, three attempts in all', async () => {
    const clock = new ManualClock();
    await withEndpoint({ numbers: NUMBERS, fault: { kind: 'hang' } }, async (endpoint, client) => {
      const error = await lookupError(listClaimedNumbers({ targetArn: INSTANCE_ARN, client, callTimeoutMs: 300, clock }));
      expect(error.reason).toBe('timeout');
      expect(error.targetArn).toBe(INSTANCE_ARN);
      expect(error.message).toContain(`ListPhoneNumbersV2 on ${INSTANCE_ARN} got no complete answer within 300 ms, 3 times`);
      expect(error.message).toMatch(/Check that this machine reaches the Connect endpoint of ap-northeast-1/);
      expect(endpoint.calls).toBe(3);
    });
  });

  test('an answer whose headers come at once and whose body trickles is abandoned too', async () => {
    // 1 byte every 20 ms: the body of three numbers would take about 15 s, and the socket is never idle.
    await withEndpoint({ numbers: NUMBERS, fault: { kind: 'trickle', intervalMs: 20 } }, async (endpoint, client) => {
      const error = await lookupError(listClaimedNumbers({ targetArn: INSTANCE_ARN, client, callTimeoutMs: 400, clock: new ManualClock() }));
      expect(error.reason).toBe('timeout');
      expect(endpoint.calls).toBe(3);
    });
  });

  test('a client created by createConnectClient times out connecting to an address that never accepts', async () => {
    const listener = await startUnacceptingListener();
    const client = createConnectClient({ region: 'ap-northeast-1', endpoint: listener.url, connectTimeoutMs: 200 });
    try {
      const error = await lookupError(listClaimedNumbers({ targetArn: INSTANCE_ARN, client, clock: new ManualClock() }));
      expect(error.reason).toBe('timeout');
      expect(error.message).toMatch(/did not establish a connection with the server within the configured timeout of 200 ms/);
    } finally {
      client.destroy();
      await listener.close();
    }
  });

  test('endless pages: a NextToken on every page stops after ceil(maxNumbers / pageSize) + 1 pages', async () => {
    const clock = new ManualClock();
    await withEndpoint({ numbers: NUMBERS, fault: { kind: 'endless-pages' } }, async (endpoint, client) => {
      const error = await lookupError(listClaimedNumbers({ targetArn: INSTANCE_ARN, client, maxNumbers: 2500, clock }));
      expect(error.reason).toBe('too-many-pages');
      expect(error.message).toContain(`ListPhoneNumbersV2 on ${INSTANCE_ARN} still returned a NextToken after 4 pages of up to 1000`);
      expect(error.message).toMatch(/a target of 2500 numbers needs \(3 distinct number\(s\) listed\); stopping instead of paging forever/);
      expect(endpoint.calls).toBe(4);
    });
  });

  test('endless pages with the default bound: 101 calls at most, paced, never a 102nd', async () => {
    const clock = new ManualClock();
    const options: ConnectEndpointOptions = { numbers: NUMBERS, fault: { kind: 'endless-pages' }, throttle: { kind: 'rate', requestsPerSecond: 2, burst: 5 }, clock };
    await withEndpoint(options, async (endpoint, client) => {
      const error = await lookupError(listClaimedNumbers({ targetArn: INSTANCE_ARN, client, clock }));
      expect(error.reason).toBe('too-many-pages');
      expect(endpoint.calls).toBe(Math.ceil(100_000 / 1000) + 1);
      expect(endpoint.throttled).toBe(0);
    });
  });

  test('a connection reset is retried, and three in a row end the lookup', async () => {
    const clock = new ManualClock();
    await withEndpoint({ numbers: NUMBERS, fault: { kind: 'reset' }, faultCalls: 1 }, async (endpoint, client) => {
      const result = await listClaimedNumbers({ targetArn: INSTANCE_ARN, client, clock });
      expect(result.numbers).toHaveLength(3);
      expect(endpoint.calls).toBe(2);

      endpoint.setFault({ kind: 'reset' });
      const error = await lookupError(listClaimedNumbers({ targetArn: INSTANCE_ARN, client, clock }));
      expect(error.reason).toBe('failed');
      expect(error.message).toContain(`ListPhoneNumbersV2 on ${INSTANCE_ARN} failed 3 times`);
      expect(error.message).toMatch(/The connection to the Connect endpoint of ap-northeast-1 .* was lost each time/);
      expect(endpoint.calls).toBe(5);
    });
  });

  test.each([
    ['not JSON', '<html><body>Proxy error</body></html>'],
    ['truncated JSON', '{"ListPhoneNumbersSummaryList":[{"PhoneNumber":"+81'],
    ['a list that is not an array', '{"ListPhoneNumbersSummaryList":{"PhoneNumber":"+815010000000"}}'],
    ['a NextToken that is not a string', '{"ListPhoneNumbersSummaryList":[],"NextToken":5}'],
  ])('a body that is %s ends in a malformed-response error after three attempts, never a crash', async (_what, body) => {
    await withEndpoint({ numbers: NUMBERS, fault: { kind: 'malformed', body } }, async (endpoint, client) => {
      const error = await lookupError(listClaimedNumbers({ targetArn: INSTANCE_ARN, client, clock: new ManualClock() }));
      expect(error.reason).toBe('malformed-response');
      expect(error.message).toContain(`ListPhoneNumbersV2 on ${INSTANCE_ARN} answered 3 times with something that is not a ListPhoneNumbersV2 answer`);
      expect(error.message).toMatch(/nothing was written/);
      expect(endpoint.calls).toBe(3);
    });
  });

  test('one malformed answer is retried and the listing completes', async () => {
    await withEndpoint({ numbers: NUMBERS, fault: { kind: 'malformed', body: 'not json' }, faultCalls: 1 }, async (endpoint, client) => {
      const result = await listClaimedNumbers({ targetArn: INSTANCE_ARN, client, clock: new ManualClock() });
      expect(result.numbers).toHaveLength(3);
      expect(endpoint.calls).toBe(2);
    });
  });

  test('the deadline cuts a throttled lookup short, on the injected clock, before maxThrottleWaitMs', async () => {
    const clock = new ManualClock();
    await withEndpoint({ numbers: NUMBERS, throttle: { kind: 'always' } }, async (_endpoint, client) => {
      const started = clock.now();
      const error = await lookupError(listClaimedNumbers({ targetArn: INSTANCE_ARN, client, clock, deadline: started + 5000, maxThrottleWaitMs: 60_000 }));
      expect(error.reason).toBe('deadline');
      expect(error.message).toContain(`Listing the phone numbers of ${INSTANCE_ARN} did not finish in the time allowed (5.0 s; 0 number(s) listed in`);
      expect(error.message).toMatch(/Allow more time/);
      expect(clock.now() - started).toBe(5000);
    });
  });

  test('the deadline cuts a call that hangs short, instead of the call timeout', async () => {
    await withEndpoint({ numbers: NUMBERS, fault: { kind: 'hang' } }, async (endpoint, client) => {
      const error = await lookupError(listClaimedNumbers({ targetArn: INSTANCE_ARN, client, deadline: Date.now() + 300, callTimeoutMs: 60_000 }));
      expect(error.reason).toBe('deadline');
      expect(endpoint.calls).toBe(1);
    });
  });

  test('a deadline already passed sends nothing', async () => {
    await withEndpoint({ numbers: NUMBERS }, async (endpoint, client) => {
      const error = await lookupError(listClaimedNumbers({ targetArn: INSTANCE_ARN, client, deadline: Date.now() - 1 }));
      expect(error.reason).toBe('deadline');
      expect(endpoint.calls).toBe(0);
    });
  });
});

describe('listClaimedNumbers returns only entries the inventory rules accept', () => {
  const entry = (i: number, extra: Record<string, unknown>) => ({ ...generateNumbers(1, { targetArn: INSTANCE_ARN, start: i })[0], ...extra });

  test('normalises what is unambiguous and skips, with a warning, what is not', async () => {
    const entries: unknown[] = [
      entry(1, { PhoneNumber: '+81 50 1000 0001', PhoneNumberType: 'did', PhoneNumberCountryCode: 'jp' }),
      entry(2, { PhoneNumber: '+81-50-(1000)-0002' }),
      entry(3, { PhoneNumberType: 'TOLL FREE' }),
      entry(4, { PhoneNumber: '050-1000-0004' }),
      entry(5, { PhoneNumber: 815010000005 }),
      entry(6, { PhoneNumberCountryCode: 'JPN' }),
      entry(7, { PhoneNumberType: 'NEW_KIND' }),
      entry(8, { PhoneNumber: '+815010000008\r\n\u001b[31mok' }),
      'not an entry',
      null,
    ];
    await withEndpoint({ numbers: { [INSTANCE_ARN]: entries as never } }, async (_endpoint, client) => {
      const { numbers, warnings } = await listClaimedNumbers({ targetArn: INSTANCE_ARN, client });

      expect(numbers.map((n) => [n.number, n.type, n.countryCode])).toEqual([
        ['+815010000001', 'DID', 'JP'],
        ['+815010000002', 'DID', 'JP'],
        ['+815010000006', 'DID', undefined],
        ['+815010000007', 'NEW_KIND', 'JP'],
      ]);
      expect(warnings).toEqual(expect.arrayContaining([
        `${INSTANCE_ARN}: +815010000001: the number "+81 50 1000 0001" was written as +815010000001; its type "did" was written as DID; its country "jp" was written as JP.`,
        expect.stringContaining('has the number type "TOLL FREE", which is not a Connect number type; it was skipped.'),
        expect.stringContaining('has the number "050-1000-0004", which is not E.164 (+ and up to 15 digits); it was skipped.'),
        expect.stringContaining('without a phone number (815010000005) was skipped.'),
        expect.stringContaining('its country "JPN" is not an ISO 3166-1 alpha-2 code and was left out'),
        expect.stringContaining('an entry that is not an object ("not an entry") was skipped.'),
      ]));
      expect(warnings).toHaveLength(9);
      // Control characters from the service are escaped, never printed raw.
      expect(warnings.join('\n')).not.toMatch(/[\r\u001b]/);

      // What ClaimedNumbers.fromLookup reads from cdk.context.json, with the parser it uses.
      const doc = listedNumbersToInventory(INSTANCE_ARN, numbers, new Date());
      expect(() => parseInventoryDocument(JSON.parse(JSON.stringify(doc)), 'written')).not.toThrow();
    });
  });
});
