import { ConnectClientConfig } from '@aws-sdk/client-connect';
import { InventoryQuery } from '../core/context-key';
import { CallerIdInputError } from '../core/errors';
import { createConnectClient, DEFAULT_CALL_TIMEOUT_MS } from '../lookup/connect-client';
import { checkContextInventory } from '../lookup/context-file';
import { LookedUpInventory, listClaimedNumbers, listedNumbersToInventory } from '../lookup/list-claimed-numbers';
import type { AssumeRoleOptions } from '../lookup/assume-role';
import { AssumeRoleError, LookupError } from '../lookup/lookup-error';
import { LookupTarget, describeInvalidTarget, parseLookupTarget } from '../lookup/target';

/** The environment variable that bounds one inventory's lookup during `cdk synth`, in seconds. */
export const LOOKUP_TIMEOUT_ENV = 'CONNECT_CALLER_ID_LOOKUP_TIMEOUT';
/** The same default as `connect-caller-id lookup --timeout`. */
const DEFAULT_TIMEOUT_SECONDS = 300;

/** What the CDK CLI passes: the query's properties, with the synthesizer's lookup role filled in for the target. */
interface QueryArgs extends Partial<InventoryQuery> {
  readonly lookupRoleArn?: unknown;
  readonly lookupRoleExternalId?: unknown;
  readonly assumeRoleAdditionalOptions?: unknown;
}

export interface ProvideOptions {
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Where warnings go. @default - standard error, where the CDK CLI prints its own */
  readonly warn?: (message: string) => void;
}

/**
 * Lists one target's claimed numbers for the CDK CLI and returns the inventory to store under its context key:
 * the document `connect-caller-id lookup` writes, checked the same way. The listing is `listClaimedNumbers`, with
 * its pacing, retries and bounds, under a deadline (`CONNECT_CALLER_ID_LOOKUP_TIMEOUT`, 300 s by default).
 *
 * Credentials: the CLI gives plugins none, so the standard chain of the environment is used (`AWS_PROFILE`, not
 * `cdk --profile`). With a lookup role in the query (the stack synthesizer's; the bootstrap lookup role by
 * default), the role is assumed first; when it cannot be, the listing is tried with the credentials themselves,
 * as the CDK CLI does for its own lookups.
 *
 * @throws Error with a message naming the target and what to do; the CLI hands it to the app, which reports it
 */
export async function provideInventory(args: Record<string, unknown>, options: ProvideOptions = {}): Promise<LookedUpInventory> {
  const env = options.env ?? process.env;
  const warn = options.warn ?? ((message: string) => process.stderr.write(`${message}\n`));
  const query = args as QueryArgs;
  const target = parseLookupTarget(String(query.targetArn));
  if (typeof query.targetArn !== 'string' || !target) {
    throw new Error(`cdk-connect-caller-id/plugin was asked for an inventory it cannot list: ${describeInvalidTarget(query.targetArn)}. ` +
      'The query comes from ClaimedNumbers.fromLookup; use one version of cdk-connect-caller-id for the app and the plugin.');
  }
  const timeoutSeconds = timeoutOf(env);
  const deadline = Date.now() + timeoutSeconds * 1000;
  const list = (credentials?: ConnectClientConfig['credentials']) => listTarget(target, deadline, timeoutSeconds, credentials);

  const roleArn = typeof query.lookupRoleArn === 'string' && query.lookupRoleArn.length > 0 ? query.lookupRoleArn : undefined;
  let roleProblem: string | undefined;
  if (roleArn !== undefined) {
    try {
      return finish(target, await list(await lookupRoleCredentials(target, roleArn, query)), warn);
    } catch (e) {
      const cause = e instanceof LookupError ? e.cause : e;
      if (!(cause instanceof AssumeRoleError || cause instanceof UnusableRoleError)) {
        throw pluginError(e, timeoutSeconds, `It listed with the lookup role ${roleArn} (the stack synthesizer's lookupRoleArn).`);
      }
      roleProblem = cause.message;
    }
    warn(`cdk-connect-caller-id: could not use the lookup role for ${target.arn} (${roleProblem}); listing with the current credentials instead.`);
  }
  try {
    return finish(target, await list(), warn);
  } catch (e) {
    throw pluginError(e, timeoutSeconds, roleProblem && `The lookup role ${roleArn} could not be used either: ${roleProblem}`);
  }
}

function finish(target: LookupTarget, listed: Awaited<ReturnType<typeof listTarget>>, warn: (message: string) => void): LookedUpInventory {
  for (const warning of listed.warnings) warn(`cdk-connect-caller-id: warning: ${warning}`);
  const inventory = listedNumbersToInventory(target.arn, listed.numbers, new Date());
  try {
    checkContextInventory(inventory);
  } catch (e) {
    if (e instanceof CallerIdInputError) throw new Error(`cdk-connect-caller-id/plugin listed ${target.arn}, but ${e.message}`, { cause: e });
    throw e;
  }
  return inventory;
}

async function listTarget(target: LookupTarget, deadline: number, timeoutSeconds: number, credentials?: ConnectClientConfig['credentials']) {
  const client = createConnectClient({ region: target.region, ...(credentials !== undefined ? { credentials } : {}) });
  try {
    return await listClaimedNumbers({
      targetArn: target.arn,
      client,
      deadline,
      callTimeoutMs: Math.min(DEFAULT_CALL_TIMEOUT_MS, timeoutSeconds * 1000),
    });
  } finally {
    client.destroy();
  }
}

/** A lookup role that cannot even be tried: not a role ARN, or no STS client installed. */
class UnusableRoleError extends Error {}

/** The STS client is loaded only for a lookup role, as `connect-caller-id lookup` loads it only for `--role-arn`. */
async function lookupRoleCredentials(target: LookupTarget, roleArn: string, query: QueryArgs): Promise<ConnectClientConfig['credentials']> {
  let assumeRole: typeof import('../lookup/assume-role');
  try {
    assumeRole = await import('../lookup/assume-role');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' || !String((e as Error).message).includes("'@aws-sdk/client-sts'")) throw e;
    throw new UnusableRoleError('assuming it needs @aws-sdk/client-sts, which is not installed: npm install --save-dev @aws-sdk/client-sts');
  }
  if (!assumeRole.isRoleArn(roleArn)) throw new UnusableRoleError(`${JSON.stringify(roleArn)} is not an IAM role ARN`);
  // What the synthesizer's lookupRoleAdditionalOptions say, handed to STS as the CDK CLI hands them.
  const additional = query.assumeRoleAdditionalOptions as AssumeRoleOptions['additionalOptions'] | undefined;
  return assumeRole.assumeRoleCredentials({
    roleArn,
    region: target.region,
    ...(typeof query.lookupRoleExternalId === 'string' ? { externalId: query.lookupRoleExternalId } : {}),
    ...(typeof additional === 'object' && additional !== null && !Array.isArray(additional) ? { additionalOptions: additional } : {}),
  });
}

function timeoutOf(env: NodeJS.ProcessEnv): number {
  const text = env[LOOKUP_TIMEOUT_ENV];
  if (text === undefined || text === '') return DEFAULT_TIMEOUT_SECONDS;
  const seconds = Number(text);
  if (!(Number.isFinite(seconds) && seconds > 0)) {
    throw new Error(`${LOOKUP_TIMEOUT_ENV} must be a number of seconds above 0, got ${JSON.stringify(text)}; ` +
      `unset it for the default of ${DEFAULT_TIMEOUT_SECONDS}.`);
  }
  return seconds;
}

/** The listing's own message (it names the target and the cause), and what bounds the time when time ran out. */
function pluginError(e: unknown, timeoutSeconds: number, also?: string): Error {
  if (!(e instanceof LookupError)) return e instanceof Error ? e : new Error(String(e));
  const time = e.reason === 'deadline' || e.reason === 'timeout'
    ? ` During cdk synth the lookup of each target may take ${timeoutSeconds} s (${LOOKUP_TIMEOUT_ENV}).`
    : '';
  return new Error(`${e.message}${time}${also ? ` ${also}` : ''}`, { cause: e });
}
