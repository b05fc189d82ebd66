import { ConnectClient } from '@aws-sdk/client-connect';
import * as path from 'path';
import { parseArgs } from 'util';
import { CallerIdInputError } from '../core/errors';
import { inventoryContextKey } from '../core/inventory';
import { ConnectClientOptions, DEFAULT_CALL_TIMEOUT_MS, createConnectClient } from '../lookup/connect-client';
import { inventoryTargetsInContextFile, writeInventoriesToContextFile } from '../lookup/context-file';
import { LookedUpInventory, MAX_NUMBERS_PER_TARGET, listClaimedNumbers, listedNumbersToInventory } from '../lookup/list-claimed-numbers';
import { LookupError } from '../lookup/lookup-error';
import { LookupTarget, describeInvalidTarget, parseLookupTarget } from '../lookup/target';
import { CliIo, ExitCode, UsageError } from './io';

const DEFAULT_TIMEOUT_SECONDS = 300;

export const LOOKUP_USAGE = `Usage: connect-caller-id lookup [--instance-arn ARN] [--traffic-distribution-group-arn ARN ...]
                              [--region REGION] [--profile PROFILE] [--role-arn ARN] [--timeout SECONDS]
                              [--max-numbers N] [--context-file FILE]

Lists the numbers claimed by an Amazon Connect instance and its traffic distribution groups with
ListPhoneNumbersV2 and writes each target's inventory into cdk.context.json (one key per target), where
ClaimedNumbers.fromLookup reads them. Every other key is kept. With no ARN, every inventory already in the
file is refreshed.

  --instance-arn ARN                    the instance (or a traffic distribution group) ARN
  --traffic-distribution-group-arn ARN  a traffic distribution group whose numbers the instance uses (repeatable)
  --region REGION                       must match the ARNs' region (default: the region in the ARN)
  --profile PROFILE                     a named profile (default: the standard credential chain)
  --role-arn ARN                        a role to assume first, e.g. the CDK bootstrap lookup role
  --timeout SECONDS                     the most time the whole lookup may take (default: ${DEFAULT_TIMEOUT_SECONDS})
  --max-numbers N                       the most numbers a target may hold, which bounds the pages read
                                        (default: ${MAX_NUMBERS_PER_TARGET}; raise it only for a raised quota)
  --context-file FILE                   default: cdk.context.json in the current directory

Needs connect:ListPhoneNumbersV2 (and sts:AssumeRole with --role-arn). AWS_ENDPOINT_URL_CONNECT,
AWS_ENDPOINT_URL_STS and the other standard settings are honoured.
Exit status: 0 written, 1 a lookup failed (the others are written), 2 bad usage.`;

export async function runLookup(args: string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseLookupArgs(args);
  const contextFile = path.resolve(values['context-file'] ?? 'cdk.context.json');
  const timeoutSeconds = values.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : Number(values.timeout);
  if (!(Number.isFinite(timeoutSeconds) && timeoutSeconds > 0)) {
    throw new UsageError(`--timeout must be a number of seconds above 0, got ${JSON.stringify(values.timeout)}`);
  }
  const maxNumbers = values['max-numbers'] === undefined ? MAX_NUMBERS_PER_TARGET : Number(values['max-numbers']);
  if (!(Number.isInteger(maxNumbers) && maxNumbers >= 1)) {
    throw new UsageError(`--max-numbers must be a whole number of at least 1, got ${JSON.stringify(values['max-numbers'])}`);
  }
  const roleArn = values['role-arn'];
  const targets = collectTargets(values['instance-arn'], values['traffic-distribution-group-arn'] ?? [], contextFile);
  checkRegion(values.region, targets);
  if (roleArn !== undefined) {
    const { isRoleArn } = await import('../lookup/assume-role');
    if (!isRoleArn(roleArn)) throw new UsageError(`--role-arn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got ${JSON.stringify(roleArn)}`);
  }
  quietSdkNodeVersionWarning();

  const started = Date.now();
  const deadline = started + timeoutSeconds * 1000;
  const clients = new Map<string, ConnectClient>();
  const written: LookedUpInventory[] = [];
  let failed = 0;
  try {
    for (const target of targets) {
      const client = clients.get(target.region) ?? (await newClient(target.region, values.profile, roleArn));
      clients.set(target.region, client);
      const targetStarted = Date.now();
      try {
        const result = await listClaimedNumbers({
          targetArn: target.arn,
          client,
          deadline,
          maxNumbers,
          callTimeoutMs: Math.min(DEFAULT_CALL_TIMEOUT_MS, timeoutSeconds * 1000),
          onProgress: (numbers, calls) => {
            if (Date.now() - targetStarted > 2000) io.err(`listed ${numbers} number(s) of ${target.arn} in ${calls} call(s)...`);
          },
        });
        for (const warning of result.warnings) io.err(`warning: ${warning}`);
        written.push(listedNumbersToInventory(target.arn, result.numbers, new Date()));
        io.err(`listed ${result.numbers.length} claimed number(s) of ${target.arn} (${result.calls} call(s), ${Date.now() - targetStarted} ms)`);
      } catch (e) {
        if (!(e instanceof LookupError)) throw e;
        io.err(e.message);
        failed++;
      }
    }
    if (written.length > 0) {
      await writeInventoriesToContextFile(contextFile, written);
      for (const doc of written) {
        io.err(`wrote ${doc.numbers.length} claimed number(s) of ${doc.instanceArn} to ${contextFile} (key ${inventoryContextKey(doc.instanceArn)})`);
      }
    }
    if (failed > 0) {
      io.err(`${failed} of ${targets.length} lookup(s) failed${written.length > 0 ? '; the others were written' : '; nothing was written'}.`);
      return ExitCode.FINDINGS;
    }
    return ExitCode.OK;
  } catch (e) {
    if (e instanceof CallerIdInputError) {
      io.err(e.message);
      return ExitCode.USAGE;
    }
    throw e;
  } finally {
    for (const client of clients.values()) client.destroy();
  }
}

/** The targets to list: those given, or every inventory already in the context file. */
function collectTargets(instanceArn: string | undefined, groupArns: string[], contextFile: string): LookupTarget[] {
  const targets: LookupTarget[] = [];
  const add = (arn: string, option: string, kind?: LookupTarget['kind']) => {
    const target = parseLookupTarget(arn);
    if (!target) throw new UsageError(`${option}: ${describeInvalidTarget(arn)}`);
    if (kind && target.kind !== kind) throw new UsageError(`${option} must be a traffic distribution group ARN (...:traffic-distribution-group/<id>), got ${JSON.stringify(arn)}`);
    if (!targets.some((t) => t.arn === target.arn)) targets.push(target);
  };
  if (instanceArn !== undefined) add(instanceArn, '--instance-arn');
  for (const arn of groupArns) add(arn, '--traffic-distribution-group-arn', 'traffic-distribution-group');
  if (targets.length > 0) return targets;
  let inFile: string[];
  try {
    inFile = inventoryTargetsInContextFile(contextFile);
  } catch (e) {
    if (e instanceof CallerIdInputError) throw new UsageError(e.message);
    throw e;
  }
  if (inFile.length === 0) {
    throw new UsageError(`no --instance-arn given, and ${contextFile} holds no inventory to refresh`);
  }
  for (const arn of inFile) add(arn, `the inventory key ${inventoryContextKey(arn)} in ${contextFile}`);
  return targets;
}

/** Connect instances and their groups are regional: a region other than the ARN's would list nothing. */
function checkRegion(region: string | undefined, targets: readonly LookupTarget[]): void {
  if (region === undefined) return;
  const elsewhere = targets.find((t) => t.region !== region);
  if (elsewhere) {
    throw new UsageError(
      `--region ${region} contradicts ${elsewhere.arn}, which is in ${elsewhere.region}; Connect lists a target's numbers only in its own region. ` +
        'Drop --region (the ARN\'s region is used) or correct the ARN.',
    );
  }
}

async function newClient(region: string, profile: string | undefined, roleArn: string | undefined): Promise<ConnectClient> {
  const options: ConnectClientOptions = { region, ...(profile !== undefined ? { profile } : {}) };
  if (roleArn === undefined) return createConnectClient(options);
  // Loaded only with --role-arn, like the Connect client only for lookup.
  const { assumeRoleCredentials } = await import('../lookup/assume-role');
  return createConnectClient({ ...options, credentials: assumeRoleCredentials({ roleArn, region, ...(profile !== undefined ? { profile } : {}) }) });
}

/**
 * The SDK warns on Node.js below 22 that SDK releases from 2027 will need 22. This package supports Node.js
 * 20 (`engines`) with the SDK version it installs, so the warning would only tell users of a supported
 * set-up to upgrade. AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED is the SDK's own switch for it
 * (@aws-sdk/core, emitWarningIfUnsupportedVersion); a value the user set is kept.
 */
function quietSdkNodeVersionWarning(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

function parseLookupArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        'instance-arn': { type: 'string' },
        'traffic-distribution-group-arn': { type: 'string', multiple: true },
        'region': { type: 'string' },
        'max-numbers': { type: 'string' },
        'profile': { type: 'string' },
        'role-arn': { type: 'string' },
        'timeout': { type: 'string' },
        'context-file': { type: 'string' },
      },
      allowPositionals: false,
      strict: true,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
