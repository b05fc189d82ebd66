import { ConnectClient, ListPhoneNumbersV2Command } from '@aws-sdk/client-connect';
import { CallerIdInputError } from '../lib/core/errors';
import { PhoneNumberType, parseInventoryDocument } from '../lib/core/inventory';
import { LookupError, createConnectClient, listClaimedNumbers, listedNumbersToInventory } from '../lib/lookup';
import { INSTANCE_ARN, useTestAwsEnvironment } from './support/aws-env';
import { ConnectEndpoint, ConnectEndpointOptions, generateNumbers, startConnectEndpoint } from './support/connect-endpoint';

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
      const result = await listClaimedNumbers({ targetArn: INSTANCE_ARN, client });

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

  test('gives up on a throttle that never clears, within the bound, saying why and what to do', async () => {
    await withEndpoint({ numbers: { [INSTANCE_ARN]: [] }, throttle: { kind: 'always' } }, async (endpoint, client) => {
      // WHEN
      const started = Date.now();
      const error = await lookupError(listClaimedNumbers({ targetArn: INSTANCE_ARN, client, maxThrottleWaitMs: 2000 }));
      const elapsed = Date.now() - started;

      // THEN
      expect(error.reason).toBe('throttled');
      expect(error.message).toMatch(new RegExp(`ListPhoneNumbersV2 on ${escape(INSTANCE_ARN)} was throttled for 2\\.\\d s over ${endpoint.calls} attempts`));
      expect(error.message).toMatch(/Retry later/);
      expect(error.message).toMatch(/quota/);
      expect(elapsed).toBeGreaterThanOrEqual(1900);
      expect(elapsed).toBeLessThan(3500);
      expect(endpoint.calls).toBeGreaterThanOrEqual(2);
      expect(endpoint.throttled).toBe(endpoint.calls);
    });
  });

  test('10,000 numbers against a 2/s, burst 5 quota: exactly 10 calls and never throttled', async () => {
    // GIVEN
    const options: ConnectEndpointOptions = {
      numbers: { [INSTANCE_ARN]: generateNumbers(10_000, { targetArn: INSTANCE_ARN }) },
      throttle: { kind: 'rate', requestsPerSecond: 2, burst: 5 },
    };
    await withEndpoint(options, async (endpoint, client) => {
      // WHEN
      const started = Date.now();
      const result = await listClaimedNumbers({ targetArn: INSTANCE_ARN, client });
      const elapsed = Date.now() - started;

      // THEN
      expect(result.numbers).toHaveLength(10_000);
      expect(result.calls).toBe(10);
      expect(endpoint.calls).toBe(10);
      expect(endpoint.throttled).toBe(0);
      expect(result.throttled).toBe(0);
      // 5 at once, then one every 500 ms.
      expect(elapsed).toBeGreaterThanOrEqual(2400);
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
      const doc = listedNumbersToInventory(INSTANCE_ARN, numbers);
      expect(parseInventoryDocument(JSON.parse(JSON.stringify(doc)), 'test')).toEqual(doc);
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

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
