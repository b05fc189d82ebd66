import { ConnectClient, ConnectClientConfig } from '@aws-sdk/client-connect';

/** How long a connection to Connect may take to open, by default. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** How long one Connect call may take from sending to the end of its answer, by default. */
export const DEFAULT_CALL_TIMEOUT_MS = 20_000;

export interface ConnectClientOptions {
  /** @default - the standard chain: `AWS_REGION`, then the profile's `region` */
  readonly region?: string;
  /** A named profile of the shared config and credentials files. @default - `AWS_PROFILE`, then `default` */
  readonly profile?: string;
  /** @default - the standard chain: `AWS_ENDPOINT_URL_CONNECT`, `AWS_ENDPOINT_URL`, the profile, then the public endpoint */
  readonly endpoint?: string;
  /** @default - the standard credential provider chain */
  readonly credentials?: ConnectClientConfig['credentials'];
  /** Milliseconds a connection may take to open. @default DEFAULT_CONNECT_TIMEOUT_MS */
  readonly connectTimeoutMs?: number;
  /**
   * Milliseconds a call may wait for the answer's headers. `listClaimedNumbers` also bounds each whole call,
   * body included, with its `callTimeoutMs`: an answer can start in time and then trickle.
   * @default DEFAULT_CALL_TIMEOUT_MS
   */
  readonly requestTimeoutMs?: number;
}

/**
 * A Connect client for `listClaimedNumbers`: standard credential, region and endpoint resolution, timeouts
 * on connecting and on answers (the SDK's default is to wait forever), and `maxAttempts: 1`, because
 * `listClaimedNumbers` paces and retries itself; SDK retries underneath would multiply the calls it makes
 * and hide the time it spends throttled.
 */
export function createConnectClient(options: ConnectClientOptions = {}): ConnectClient {
  return new ConnectClient({
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      requestTimeout: options.requestTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
      // Without it the handler only logs a warning when requestTimeout passes, and keeps waiting.
      throwOnRequestTimeout: true,
    },
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
  });
}
