import * as path from 'path';
import { parseArgs } from 'util';
import { CallerIdInputError } from '../core/errors';
import { inventoryContextKey } from '../core/inventory';
import { createConnectClient } from '../lookup/connect-client';
import { writeInventoryToContextFile } from '../lookup/context-file';
import { listClaimedNumbers, listedNumbersToInventory } from '../lookup/list-claimed-numbers';
import { LookupError } from '../lookup/lookup-error';
import { parseLookupTarget, describeInvalidTarget } from '../lookup/target';
import { CliIo, ExitCode, UsageError } from './io';

export const LOOKUP_USAGE = `Usage: connect-caller-id lookup --instance-arn ARN [--region REGION] [--profile PROFILE] [--context-file FILE]

Lists the numbers claimed by an Amazon Connect instance (or traffic distribution group) with ListPhoneNumbersV2
and writes them into cdk.context.json, where ClaimedNumbers.fromLookup reads them. Every other key is kept.

  --instance-arn ARN   the instance or traffic distribution group ARN
  --region REGION      default: the region in the ARN
  --profile PROFILE    a named profile (default: the standard credential chain)
  --context-file FILE  default: cdk.context.json in the current directory

Needs connect:ListPhoneNumbersV2. AWS_ENDPOINT_URL_CONNECT and the other standard settings are honoured.
Exit status: 0 written, 1 the lookup failed, 2 bad usage.`;

export async function runLookup(args: string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseLookupArgs(args);
  const instanceArn = values['instance-arn'];
  if (!instanceArn) throw new UsageError('--instance-arn ARN is required');
  const target = parseLookupTarget(instanceArn);
  if (!target) throw new UsageError(describeInvalidTarget(instanceArn));
  const contextFile = path.resolve(values['context-file'] ?? 'cdk.context.json');

  const client = createConnectClient({ region: values.region ?? target.region, profile: values.profile });
  const started = Date.now();
  try {
    const result = await listClaimedNumbers({
      targetArn: instanceArn,
      client,
      onProgress: (numbers, calls) => {
        if (Date.now() - started > 2000) io.err(`listed ${numbers} number(s) in ${calls} call(s)...`);
      },
    });
    writeInventoryToContextFile(contextFile, listedNumbersToInventory(instanceArn, result.numbers));
    io.err(`wrote ${result.numbers.length} claimed number(s) of ${instanceArn} to ${contextFile} ` +
      `(key ${inventoryContextKey(instanceArn)}; ${result.calls} call(s), ${Date.now() - started} ms)`);
    return ExitCode.OK;
  } catch (e) {
    if (e instanceof LookupError) {
      io.err(e.message);
      return ExitCode.FINDINGS;
    }
    if (e instanceof CallerIdInputError) {
      io.err(e.message);
      return ExitCode.USAGE;
    }
    throw e;
  } finally {
    client.destroy();
  }
}

function parseLookupArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        'instance-arn': { type: 'string' }, 'region': { type: 'string' },
        'profile': { type: 'string' }, 'context-file': { type: 'string' },
      },
      allowPositionals: false,
      strict: true,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
