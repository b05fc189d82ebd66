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
 *
 * It also answers STS `AssumeRole` (awsQuery: a form-encoded `POST /`, an XML answer), so a client that
 * assumes a role first can be pointed at the same endpoint (`AWS_ENDPOINT_URL_STS`).
 *
 * Fault modes (`fault`) reproduce what a network or a broken service does to a client: an endpoint that
 * never answers, one that trickles its answer, endless pages, connection resets and bodies that are not
 * Connect's JSON. `startUnacceptingListener` gives an address whose connections are never accepted.
 */
import { spawn } from 'child_process';
import { randomUUID } from 'crypto';
import * as http from 'http';
import * as net from 'net';
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

/**
 * How the endpoint misbehaves on ListPhoneNumbersV2 calls.
 * - `hang`: reads the request and never answers, keeping the connection open.
 * - `trickle`: sends the status and headers at once, then the (correct) body `bytesPerInterval` bytes every
 *   `intervalMs`, so the connection is never idle long enough for an idle-socket timeout.
 * - `endless-pages`: every page carries a `NextToken` never given before (and the same numbers again).
 * - `reset`: destroys the connection as soon as the request has arrived (ECONNRESET for the client).
 * - `malformed`: answers 200 with `body` as it is (not JSON, truncated JSON, JSON of the wrong shape).
 */
export type FaultMode =
  | { readonly kind: 'none' }
  | { readonly kind: 'hang' }
  | { readonly kind: 'trickle'; readonly intervalMs: number; readonly bytesPerInterval?: number }
  | { readonly kind: 'endless-pages' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'malformed'; readonly body: string };

/** A time source for the `rate` throttle, so tests with an injected clock throttle in the same time. */
export interface EndpointClock {
  /** Milliseconds; only differences matter. */
  now(): number;
}

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
  /** @default { kind: 'none' } */
  readonly fault?: FaultMode;
  /** Only this many ListPhoneNumbersV2 calls (the first ones) get the fault; later ones are answered. @default - every call */
  readonly faultCalls?: number;
  /** @default - performance.now() */
  readonly clock?: EndpointClock;
  /** Roles AssumeRole refuses (403 AccessDenied). @default - none */
  readonly deniedRoles?: string[];
}

/** What the endpoint saw of one STS AssumeRole request. */
export interface RecordedAssumeRole {
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly authorization?: string;
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
  readonly assumeRoleRequests: readonly RecordedAssumeRole[];
  /** The access key id AssumeRole hands out, to tell requests signed with the role's credentials. */
  readonly assumedAccessKeyId: string;
  setNumbers(targetArn: string, entries: PhoneNumberSummary[]): void;
  setThrottle(mode: ThrottleMode): void;
  denyTarget(targetArn: string): void;
  /** Changes the fault mode; `calls` limits it to that many further calls. */
  setFault(mode: FaultMode, calls?: number): void;
  close(): Promise<void>;
}

const MAX_RESULTS = 1000;

export async function startConnectEndpoint(options: ConnectEndpointOptions = {}): Promise<ConnectEndpoint> {
  const targets = new Map<string, PhoneNumberSummary[]>(Object.entries(options.numbers ?? {}));
  const denied = new Set(options.deniedTargets ?? []);
  const throttleErrorType = options.throttleErrorType ?? 'TooManyRequestsException';
  const clock: EndpointClock = options.clock ?? { now: () => performance.now() };
  const started = clock.now();
  const requests: RecordedRequest[] = [];
  const assumeRoleRequests: RecordedAssumeRole[] = [];
  const deniedRoles = new Set(options.deniedRoles ?? []);
  let throttle: ThrottleMode = options.throttle ?? { kind: 'none' };
  let bucket = newBucket(throttle, clock);
  let fault: FaultMode = options.fault ?? { kind: 'none' };
  let faultUntilCall = options.faultCalls ?? Infinity;
  let endlessPage = 0;
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
        const now = clock.now();
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
    if (fault.kind === 'endless-pages' && calls <= faultUntilCall) {
      return { status: 200, body: { NextToken: encodeToken(offset, target, ++endlessPage), ListPhoneNumbersSummaryList: page } };
    }
    const next = offset + size < all.length ? encodeToken(offset + size, target) : undefined;
    return { status: 200, body: { ...(next ? { NextToken: next } : {}), ListPhoneNumbersSummaryList: page } };
  }

  function assumeRole(req: http.IncomingMessage, text: string): void {
    const form = new URLSearchParams(text);
    const roleArn = form.get('RoleArn') ?? '';
    assumeRoleRequests.push({ roleArn, roleSessionName: form.get('RoleSessionName') ?? '', authorization: header(req, 'authorization') });
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let reply: Reply;
      let body: Record<string, unknown> = {};
      if (req.method === 'POST' && req.url === '/' && /x-www-form-urlencoded/.test(header(req, 'content-type') ?? '')) {
        const text = Buffer.concat(chunks).toString('utf8');
        assumeRole(req, text);
        const roleArn = new URLSearchParams(text).get('RoleArn') ?? '';
        sendXml(res, deniedRoles.has(roleArn) ? 403 : 200, deniedRoles.has(roleArn) ? accessDeniedXml(roleArn) : assumeRoleXml(roleArn));
        return;
      }
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
        at: clock.now() - started,
      });
      if (calls <= faultUntilCall && fault.kind !== 'none' && fault.kind !== 'endless-pages') {
        misbehave(req, res, reply, fault);
        return;
      }
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
      bucket = newBucket(mode, clock);
    },
    denyTarget(targetArn) {
      denied.add(targetArn);
    },
    assumeRoleRequests,
    assumedAccessKeyId: ASSUMED_ACCESS_KEY_ID,
    setFault(mode, faultCalls) {
      fault = mode;
      faultUntilCall = faultCalls === undefined ? Infinity : calls + faultCalls;
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

function newBucket(mode: ThrottleMode, clock: EndpointClock): Bucket | undefined {
  return mode.kind === 'rate' ? { tokens: mode.burst, last: clock.now() } : undefined;
}

/** Answers `reply` the way `fault` says, or not at all. */
function misbehave(req: http.IncomingMessage, res: http.ServerResponse, reply: Reply, fault: FaultMode): void {
  switch (fault.kind) {
    case 'hang':
      // Nothing is written; the socket stays open until the client gives up or the endpoint closes.
      return;
    case 'reset':
      req.socket.destroy();
      return;
    case 'malformed':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(fault.body), 'x-amzn-requestid': randomUUID() });
      res.end(fault.body);
      return;
    case 'trickle': {
      const payload = Buffer.from(JSON.stringify(reply.body), 'utf8');
      res.writeHead(reply.status, {
        'content-type': 'application/json',
        'content-length': payload.length,
        'x-amzn-requestid': randomUUID(),
        ...(reply.errorType ? { 'x-amzn-ErrorType': reply.errorType } : {}),
      });
      const step = fault.bytesPerInterval ?? 1;
      let sent = 0;
      const timer = setInterval(() => {
        if (res.destroyed || sent >= payload.length) {
          clearInterval(timer);
          if (!res.destroyed) res.end();
          return;
        }
        res.write(payload.subarray(sent, sent + step));
        sent += step;
      }, fault.intervalMs);
      res.on('close', () => clearInterval(timer));
      return;
    }
    default:
      send(res, reply);
  }
}

const ASSUMED_ACCESS_KEY_ID = 'ASIALOCALASSUMED0001';

function assumeRoleXml(roleArn: string): string {
  const expiration = new Date(Date.now() + 3600_000).toISOString();
  return (
    '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>' +
    `<Credentials><AccessKeyId>${ASSUMED_ACCESS_KEY_ID}</AccessKeyId><SecretAccessKey>local-assumed-secret</SecretAccessKey>` +
    `<SessionToken>local-session-token</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
    `<AssumedRoleUser><AssumedRoleId>AROALOCAL:connect-caller-id</AssumedRoleId><Arn>${escapeXml(roleArn)}/connect-caller-id</Arn></AssumedRoleUser>` +
    `</AssumeRoleResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></AssumeRoleResponse>`
  );
}

function accessDeniedXml(roleArn: string): string {
  return (
    '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code>' +
    `<Message>User: arn:aws:iam::123456789012:user/ci is not authorized to perform: sts:AssumeRole on resource: ${escapeXml(roleArn)}</Message>` +
    `</Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`
  );
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function sendXml(res: http.ServerResponse, status: number, xml: string): void {
  res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml), 'x-amzn-requestid': randomUUID() });
  res.end(xml);
}

/** A local address that takes no connection: connects to it never complete. */
export interface UnacceptingListener {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Listens on a port with a backlog of one and never accepts, from a child process whose event loop is
 * blocked: the kernel queues one connection, fills the queue with it, and drops the handshakes of every
 * later one, so a client's connect hangs as it does towards an address that drops packets.
 */
export async function startUnacceptingListener(): Promise<UnacceptingListener> {
  const script =
    "const s=require('net').createServer();s.listen({port:0,host:'127.0.0.1',backlog:1},()=>{" +
    "process.stdout.write(String(s.address().port)+'\\n',()=>{Atomics.wait(new Int32Array(new SharedArrayBuffer(4)),0,0,120000);});});";
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      if (out.includes('\n')) resolve(Number(out.trim()));
    });
    child.once('exit', (code) => reject(new Error(`the listener exited with ${code}`)));
  });
  // Fill the accept queue; later connections wait for a handshake that never comes.
  const fillers: net.Socket[] = [];
  for (let i = 0; i < 2; i++) {
    fillers.push(net.connect(port, '127.0.0.1').on('error', () => undefined));
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const f of fillers) f.destroy();
      child.kill('SIGKILL');
      await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : child.once('exit', resolve)));
    },
  };
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

function encodeToken(offset: number, target: string | undefined, page?: number): string {
  return Buffer.from(JSON.stringify({ o: offset, t: target ?? null, ...(page !== undefined ? { p: page } : {}) })).toString('base64');
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
