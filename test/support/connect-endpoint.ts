/**
 * A local HTTP server that answers `ListPhoneNumbersV2` the way the Amazon Connect API does, so tests can run
 * the real `@aws-sdk/client-connect` client (serialization, signing, error deserialization) against it.
 *
 * Protocol facts it follows (from the Connect model shipped in @aws-sdk/client-connect and the SDK's
 * restJson1 error deserializer in @smithy/core `loadRestJsonErrorCode`):
 * - `POST /phone-number/list`, JSON body `{ TargetArn?, InstanceId?, MaxResults?, NextToken?, ... }`.
 * - 200 with `{ NextToken?, ListPhoneNumbersSummaryList: [...] }`.
 * - Errors: the HTTP status of the error shape, the shape name in the `x-amzn-ErrorType` header (read
 *   case-insensitively, anything after `:` ignored) and `{ "Message": "..." }` as the body.
 */
import { randomUUID } from 'crypto';
import * as http from 'http';
import { AddressInfo } from 'net';
import { performance } from 'perf_hooks';

/** One entry of `ListPhoneNumbersSummaryList`; every field is optional in the service model. */
export interface PhoneNumberSummary {
  PhoneNumberId?: string;
  PhoneNumberArn?: string;
  PhoneNumber?: string;
  PhoneNumberCountryCode?: string;
  PhoneNumberType?: string;
  TargetArn?: string;
  InstanceId?: string;
  PhoneNumberDescription?: string;
  SourcePhoneNumberArn?: string;
}

/** How the endpoint throttles `ListPhoneNumbersV2` with HTTP 429. */
export type ThrottleMode =
  | { readonly kind: 'none' }
  /** The first `calls` requests are throttled, then every request succeeds. */
  | { readonly kind: 'first'; readonly calls: number }
  | { readonly kind: 'always' }
  /** A token bucket, as Connect enforces its API quota (default 2 requests/s, burst 5). */
  | { readonly kind: 'rate'; readonly requestsPerSecond: number; readonly burst: number };

export interface ConnectEndpointOptions {
  /** Numbers by target ARN. @default - no targets */
  readonly numbers?: Record<string, PhoneNumberSummary[]>;
  /** @default { kind: 'none' } */
  readonly throttle?: ThrottleMode;
  /**
   * The error shape throttled calls answer with. The ListPhoneNumbersV2 model declares `ThrottlingException`;
   * Connect's other APIs use `TooManyRequestsException`. Both are HTTP 429.
   * @default 'TooManyRequestsException'
   */
  readonly throttleErrorType?: 'TooManyRequestsException' | 'ThrottlingException';
  /** Targets the caller is not allowed to list (403 AccessDeniedException). @default - none */
  readonly deniedTargets?: string[];
  /** Called when a ListPhoneNumbersV2 request arrives, before it is answered; `call` counts from 1. */
  readonly onCall?: (call: number, body: Record<string, unknown>) => void;
}

/** What the endpoint saw of one ListPhoneNumbersV2 request. */
export interface RecordedRequest {
  readonly body: Record<string, unknown>;
  /** The HTTP status it answered. */
  readonly status: number;
  /** The `authorization` header, to show the client signed the request. */
  readonly authorization?: string;
  /** The SDK's `amz-sdk-request` header, e.g. `attempt=1; max=1`. */
  readonly sdkRequest?: string;
  /** Milliseconds since the endpoint started. */
  readonly at: number;
}

export interface ConnectEndpoint {
  /** `http://127.0.0.1:<port>`, for the client's `endpoint` or `AWS_ENDPOINT_URL_CONNECT`. */
  readonly url: string;
  /** ListPhoneNumbersV2 requests received, throttled ones included. */
  readonly calls: number;
  /** Requests answered with 429. */
  readonly throttled: number;
  readonly requests: readonly RecordedRequest[];
  setNumbers(targetArn: string, entries: PhoneNumberSummary[]): void;
  setThrottle(mode: ThrottleMode): void;
  denyTarget(targetArn: string): void;
  close(): Promise<void>;
}

const MAX_RESULTS = 1000;

export async function startConnectEndpoint(options: ConnectEndpointOptions = {}): Promise<ConnectEndpoint> {
  const targets = new Map<string, PhoneNumberSummary[]>(Object.entries(options.numbers ?? {}));
  const denied = new Set(options.deniedTargets ?? []);
  const throttleErrorType = options.throttleErrorType ?? 'TooManyRequestsException';
  const started = performance.now();
  const requests: RecordedRequest[] = [];
  let throttle: ThrottleMode = options.throttle ?? { kind: 'none' };
  let bucket = newBucket(throttle);
  let calls = 0;
  let throttled = 0;

  function isThrottled(): boolean {
    switch (throttle.kind) {
      case 'none':
        return false;
      case 'always':
        return true;
      case 'first':
        return calls <= throttle.calls;
      case 'rate': {
        const b = bucket!;
        const now = performance.now();
        b.tokens = Math.min(throttle.burst, b.tokens + ((now - b.last) / 1000) * throttle.requestsPerSecond);
        b.last = now;
        if (b.tokens < 1) return true;
        b.tokens -= 1;
        return false;
      }
    }
  }

  function listPhoneNumbers(body: Record<string, unknown>): Reply {
    if (isThrottled()) {
      throttled++;
      return error(429, throttleErrorType, 'Rate exceeded');
    }
    const { TargetArn, InstanceId, MaxResults, NextToken } = body;
    if (MaxResults !== undefined && (typeof MaxResults !== 'number' || !Number.isInteger(MaxResults) || MaxResults < 1 || MaxResults > MAX_RESULTS)) {
      return error(400, 'InvalidParameterException', `MaxResults must be between 1 and ${MAX_RESULTS}`);
    }
    let target: string | undefined;
    if (typeof TargetArn === 'string') {
      target = TargetArn;
    } else if (typeof InstanceId === 'string') {
      target = [...targets.keys()].find((arn) => arn === InstanceId || arn.endsWith(`:instance/${InstanceId}`)) ?? InstanceId;
    }
    if (target !== undefined && denied.has(target)) {
      return error(
        403,
        'AccessDeniedException',
        `User: arn:aws:sts::123456789012:assumed-role/deployer/cli is not authorized to perform: connect:ListPhoneNumbersV2 on resource: ${target}`,
      );
    }
    if (target !== undefined && !targets.has(target)) {
      return error(404, 'ResourceNotFoundException', `Target not found: ${target}`);
    }
    const all = target !== undefined ? targets.get(target)! : [...targets.values()].flat();
    let offset = 0;
    if (NextToken !== undefined) {
      const decoded = decodeToken(NextToken, target);
      if (decoded === undefined) return error(400, 'InvalidParameterException', 'NextToken is not valid');
      offset = decoded;
    }
    // The service's default page size is not documented; a small one makes a forgotten MaxResults visible.
    const size = typeof MaxResults === 'number' ? MaxResults : 100;
    const page = all.slice(offset, offset + size);
    const next = offset + size < all.length ? encodeToken(offset + size, target) : undefined;
    return { status: 200, body: { ...(next ? { NextToken: next } : {}), ListPhoneNumbersSummaryList: page } };
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let reply: Reply;
      let body: Record<string, unknown> = {};
      if (req.method !== 'POST' || req.url?.split('?')[0] !== '/phone-number/list') {
        reply = error(404, 'UnknownOperationException', `No operation at ${req.method} ${req.url}`);
        send(res, reply);
        return;
      }
      calls++;
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        const parsed: unknown = text.length > 0 ? JSON.parse(text) : {};
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        body = parsed as Record<string, unknown>;
        options.onCall?.(calls, body);
        reply = listPhoneNumbers(body);
      } catch {
        reply = error(400, 'InvalidRequestException', 'The request body is not a JSON object');
      }
      requests.push({
        body,
        status: reply.status,
        authorization: header(req, 'authorization'),
        sdkRequest: header(req, 'amz-sdk-request'),
        at: performance.now() - started,
      });
      send(res, reply);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    get calls() {
      return calls;
    },
    get throttled() {
      return throttled;
    },
    requests,
    setNumbers(targetArn, entries) {
      targets.set(targetArn, [...entries]);
    },
    setThrottle(mode) {
      throttle = mode;
      bucket = newBucket(mode);
    },
    denyTarget(targetArn) {
      denied.add(targetArn);
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The SDK keeps connections alive; without this, close() waits for them to time out.
        server.closeAllConnections();
      });
    },
  };
}

export interface GenerateNumbersOptions {
  readonly targetArn: string;
  /** Index of the first number, so several calls give distinct numbers. @default 0 */
  readonly start?: number;
  /** @default 'DID' */
  readonly type?: string;
}

/**
 * `count` Japanese 050 DIDs, `+815010000000`, `+815010000001`, ..., each with a stable uuid-like id and the
 * `phone-number/<id>` ARN in the target's region and account. The same arguments always give the same numbers.
 */
export function generateNumbers(count: number, options: GenerateNumbersOptions): PhoneNumberSummary[] {
  const m = /^arn:(aws[a-z-]*):connect:([a-z0-9-]+):(\d{12}):(instance|traffic-distribution-group)\/([A-Za-z0-9-]+)$/.exec(options.targetArn);
  if (!m) throw new Error(`generateNumbers: not an instance or traffic distribution group ARN: ${options.targetArn}`);
  const [, partition, region, account, kind, targetId] = m;
  const start = options.start ?? 0;
  const entries: PhoneNumberSummary[] = [];
  for (let i = start; i < start + count; i++) {
    const id = phoneNumberId(i);
    entries.push({
      PhoneNumberId: id,
      PhoneNumberArn: `arn:${partition}:connect:${region}:${account}:phone-number/${id}`,
      PhoneNumber: `+8150${10_000_000 + i}`,
      PhoneNumberCountryCode: 'JP',
      PhoneNumberType: options.type ?? 'DID',
      TargetArn: options.targetArn,
      ...(kind === 'instance' ? { InstanceId: targetId } : {}),
      PhoneNumberDescription: `test number ${i}`,
    });
  }
  return entries;
}

/** A deterministic id shaped like the UUIDs Connect uses. */
export function phoneNumberId(i: number): string {
  const hex = i.toString(16).padStart(12, '0');
  return `5e1f0000-0000-4000-8000-${hex}`;
}

interface Reply {
  status: number;
  body: unknown;
  errorType?: string;
}

interface Bucket {
  tokens: number;
  last: number;
}

function newBucket(mode: ThrottleMode): Bucket | undefined {
  return mode.kind === 'rate' ? { tokens: mode.burst, last: performance.now() } : undefined;
}

function error(status: number, type: string, message: string): Reply {
  return { status, errorType: type, body: { Message: message } };
}

function send(res: http.ServerResponse, reply: Reply): void {
  const payload = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': randomUUID(),
    ...(reply.errorType ? { 'x-amzn-ErrorType': reply.errorType } : {}),
  });
  res.end(payload);
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function encodeToken(offset: number, target: string | undefined): string {
  return Buffer.from(JSON.stringify({ o: offset, t: target ?? null })).toString('base64');
}

function decodeToken(token: unknown, target: string | undefined): number | undefined {
  if (typeof token !== 'string') return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { o?: unknown; t?: unknown };
    if (typeof decoded.o !== 'number' || decoded.t !== (target ?? null)) return undefined;
    return decoded.o;
  } catch {
    return undefined;
  }
}
