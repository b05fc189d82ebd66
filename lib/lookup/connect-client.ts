import { ConnectClient, ConnectClientConfig } from '@aws-sdk/client-connect';

export interface ConnectClientOptions {
  /** @default - the standard chain: `AWS_REGION`, then the profile's `region` */
  readonly region?: string;
  /** A named profile of the shared config and credentials files. @default - `AWS_PROFILE`, then `default` */
  readonly profile?: string;
  /** @default - the standard chain: `AWS_ENDPOINT_URL_CONNECT`, `AWS_ENDPOINT_URL`, the profile, then the public endpoint */
  readonly endpoint?: string;
  /** @default - the standard credential provider chain */
  readonly credentials?: ConnectClientConfig['credentials'];
}

/**
 * A Connect client for `listClaimedNumbers`: standard credential, region and endpoint resolution, and
 * `maxAttempts: 1`, because `listClaimedNumbers` paces and retries itself; SDK retries underneath would
 * multiply the calls it makes and hide the time it spends throttled.
 */
export function createConnectClient(options: ConnectClientOptions = {}): ConnectClient {
  return new ConnectClient({
    maxAttempts: 1,
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
  });
}
