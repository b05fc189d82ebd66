import { AssumeRoleCommand, AssumeRoleCommandInput, STSClient } from '@aws-sdk/client-sts';
import { ConnectClientConfig } from '@aws-sdk/client-connect';
import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS } from './connect-client';
import { AssumeRoleError } from './lookup-error';

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
/** Temporary credentials are renewed this long before they expire, so no call is signed with expired ones. */
const RENEW_BEFORE_MS = 5 * 60_000;

export interface AssumeRoleOptions {
  /** The role to assume, e.g. the CDK bootstrap lookup role `arn:aws:iam::<account>:role/cdk-hnb659fds-lookup-role-<account>-<region>`. */
  readonly roleArn: string;
  /** The region whose STS endpoint is called (the target's). */
  readonly region: string;
  /** The profile whose credentials assume the role. @default - the standard credential chain */
  readonly profile?: string;
  /** @default 'connect-caller-id-lookup' */
  readonly sessionName?: string;
  /** The external id the role's trust policy asks for (a CDK stack synthesizer's `lookupRoleExternalId`). @default - none */
  readonly externalId?: string;
  /**
   * More AssumeRole parameters, such as session tags (a CDK stack synthesizer's `lookupRoleAdditionalOptions`).
   * @default - none
   */
  readonly additionalOptions?: Partial<Omit<AssumeRoleCommandInput, 'RoleArn' | 'ExternalId'>>;
  /** @default DEFAULT_CONNECT_TIMEOUT_MS */
  readonly connectTimeoutMs?: number;
  /** @default DEFAULT_CALL_TIMEOUT_MS */
  readonly requestTimeoutMs?: number;
}

/** Whether `arn` is an IAM role ARN. */
export function isRoleArn(arn: string): boolean {
  return ROLE_ARN.test(arn);
}

/**
 * Credentials of `roleArn`, assumed with STS AssumeRole on first use and renewed before they expire, for
 * `createConnectClient({ credentials })`. This is how multi-account CI reaches an instance in another
 * account, typically through the CDK bootstrap lookup role. STS endpoint settings resolve the standard way
 * (`AWS_ENDPOINT_URL_STS`).
 */
export function assumeRoleCredentials(options: AssumeRoleOptions): NonNullable<ConnectClientConfig['credentials']> {
  const sts = new STSClient({
    region: options.region,
    maxAttempts: 3,
    requestHandler: {
      connectionTimeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      requestTimeout: options.requestTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
  });
  let current: Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date }> | undefined;
  let expiresAt = 0;
  const assume = async () => {
    try {
      const out = await sts.send(new AssumeRoleCommand({
        RoleSessionName: options.sessionName ?? 'connect-caller-id-lookup',
        ...options.additionalOptions,
        RoleArn: options.roleArn,
        ...(options.externalId !== undefined ? { ExternalId: options.externalId } : {}),
      }));
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) {
        throw new AssumeRoleError('failed', options.roleArn, `STS AssumeRole of ${options.roleArn} returned no credentials.`);
      }
      expiresAt = c.Expiration ? c.Expiration.getTime() : Infinity;
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, ...(c.Expiration ? { expiration: c.Expiration } : {}) };
    } catch (e) {
      current = undefined;
      if (e instanceof AssumeRoleError) throw e;
      throw toAssumeRoleError(options, e);
    }
  };
  return () => {
    if (!current || Date.now() >= expiresAt - RENEW_BEFORE_MS) current = assume();
    return current;
  };
}

function toAssumeRoleError(options: AssumeRoleOptions, e: unknown): AssumeRoleError {
  const err = (typeof e === 'object' && e !== null ? e : {}) as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number } };
  const said = typeof err.message === 'string' ? err.message.split('\n')[0] : String(e);
  const who = options.profile ? `the credentials of the profile ${JSON.stringify(options.profile)}` : 'the credentials found (environment, profile or instance role)';
  if (err.name === 'AccessDenied' || err.$metadata?.httpStatusCode === 403) {
    return new AssumeRoleError(
      'access-denied',
      options.roleArn,
      `Could not assume the role ${options.roleArn}: access denied. ${who[0].toUpperCase()}${who.slice(1)} need sts:AssumeRole on it, ` +
        'and the role\'s trust policy must allow them (for the CDK lookup role: bootstrap the target account with ' +
        '--trust for the account that runs the lookup). STS said: ' + said,
      { cause: e },
    );
  }
  if (err.name === 'CredentialsProviderError') {
    return new AssumeRoleError(
      'failed',
      options.roleArn,
      `Could not assume the role ${options.roleArn}: no credentials to assume it with (${said}). ` +
        (options.profile
          ? `Check that the profile ${JSON.stringify(options.profile)} exists in the shared config and credentials files (aws configure list-profiles).`
          : 'Provide credentials through the standard environment variables, a profile or an instance or container role.'),
      { cause: e },
    );
  }
  return new AssumeRoleError('failed', options.roleArn, `Could not assume the role ${options.roleArn}: ${typeof err.name === 'string' ? `${err.name}: ` : ''}${said}`, { cause: e });
}
