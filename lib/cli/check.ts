import { parseArgs } from 'util';
import { CallerIdInputError } from '../core/errors';
import { ContactFlowType } from '../core/flow/model';
import { FLOW_MODULE, FlowKind } from '../core/flow/reader';
import { InventoryDocument } from '../core/inventory';
import { parseJsonText, readInventoryFile } from '../core/json-text';
import { printable, printableLines } from '../core/printable';
import { Acknowledgement, acknowledgementsFromRuleIds, readAcknowledgementsFile } from './acknowledgements';
import { checkFiles } from './check-files';
import { buildCheckReport } from './check-report';
import { inventoryFromFile } from './inventory-source';
import { CliIo, ExitCode, UsageError } from './io';
import { countReport, renderReport, ReportFormat } from './report-formats';
import { packageVersion } from './version';

const FLOW_KINDS: readonly string[] = [...Object.values(ContactFlowType), FLOW_MODULE];

export const CHECK_USAGE = `Usage: connect-caller-id check --numbers FILE [--instance-arn ARN] [--type FLOW_TYPE]
       [--format text|json|sarif|junit|github] [--acknowledgements FILE] [--acknowledge RULE_ID]...
       [--approved-external NUMBER=REFERENCE]... FLOW.json...

Checks Amazon Connect flows and flow modules exported from the console (raw content, a DescribeContactFlow
response, or a {Name, Type, Content} object) against an instance's claimed numbers, with the same rules as
the CDK constructs.

  --numbers FILE   the inventory: cdk.context.json as connect-caller-id lookup writes it, or one inventory
                   { "instanceArn": ..., "numbers": [{ "number", "type", "countryCode", "arn" }] }
  --instance-arn ARN
                   the instance whose inventory to read when --numbers holds several
  --type TYPE      the type of files that do not say theirs (${FLOW_KINDS.join(', ')}):
                   a file's own type (Type, Metadata.type) wins, then what its content shows (a Call phone
                   number block: OUTBOUND_WHISPER; Settings or EndFlowModuleExecution: FLOW_MODULE). Without
                   a type, every rule that does not depend on it still runs, and the output names the others
  --format FORMAT  text (default): one line per finding; json: one document; sarif: SARIF 2.1.0 for GitHub
                   code scanning; junit: JUnit XML for CI test reports; github: GitHub Actions annotations
  --acknowledgements FILE
                   reviewed warnings, each with its reason: a JSON array of { "rule", "reason", "file"?,
                   "actionId"?, "number"? } (file: a path or glob relative to FILE's directory); errors cannot be
                   acknowledged, and acknowledgements that match no warning are reported
  --acknowledge RULE_ID
                   acknowledge every warning of this rule, without a reason (repeatable)
  --approved-external NUMBER=REFERENCE
                   a number AWS Support approved as an external caller ID, with the approval (e.g. the case
                   id): it need not be claimed, the country rules still apply (repeatable)
  --json           the same as --format json

Exit status: 0 no errors, 1 errors found, 2 bad usage or unreadable input.`;

export async function runCheck(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCheckArgs(args);
  if (!values.numbers) throw new UsageError('--numbers INVENTORY.json is required (cdk.context.json as connect-caller-id lookup writes it, or one inventory)');
  if (positionals.length === 0) throw new UsageError('name at least one flow file to check');
  const defaultType = values.type;
  if (defaultType !== undefined && !FLOW_KINDS.includes(defaultType)) {
    throw new UsageError(`--type ${JSON.stringify(defaultType)} is not a flow type; use one of ${FLOW_KINDS.join(', ')}`);
  }

  const format = reportFormat(values.format, values.json);
  const approvedExternalNumbers = parseApprovedExternal(values['approved-external'] ?? []);
  const cwd = process.cwd();

  let inventory: InventoryDocument;
  let acknowledgements: Acknowledgement[];
  try {
    inventory = inventoryFromFile(readInventory(values.numbers), printable(values.numbers), values['instance-arn']);
    acknowledgements = [
      ...acknowledgementsFromRuleIds(values.acknowledge ?? [], cwd),
      ...(values.acknowledgements ? readAcknowledgementsFile(values.acknowledgements) : []),
    ];
  } catch (e) {
    if (e instanceof CallerIdInputError) {
      // The one message that is several lines by design; every value in it is quoted.
      io.err(printableLines(e.message));
      return ExitCode.USAGE;
    }
    throw e;
  }

  const checked = await checkFiles(positionals, { inventory, approvedExternalNumbers, defaultType: defaultType as FlowKind | undefined });
  const report = buildCheckReport(checked, inventory, acknowledgements, cwd);
  const rendered = renderReport(report, format, { cwd, toolVersion: packageVersion() });
  for (const line of rendered.out) io.out(line);
  for (const line of rendered.err) io.err(line);
  const { errors, unreadable } = countReport(report);
  if (unreadable > 0) return ExitCode.USAGE;
  return errors > 0 ? ExitCode.FINDINGS : ExitCode.OK;
}

function reportFormat(format: string | undefined, json: boolean | undefined): ReportFormat {
  const formats: readonly string[] = Object.values(ReportFormat);
  if (format !== undefined && !formats.includes(format)) {
    throw new UsageError(`--format ${JSON.stringify(format)} is not a format; use one of ${formats.join(', ')}`);
  }
  if (json && format !== undefined && format !== ReportFormat.JSON) throw new UsageError(`--json and --format ${format} contradict each other; give one`);
  return json ? ReportFormat.JSON : (format as ReportFormat | undefined) ?? ReportFormat.TEXT;
}

function parseCheckArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        'numbers': { type: 'string' },
        'type': { type: 'string' },
        'json': { type: 'boolean' },
        'format': { type: 'string' },
        'instance-arn': { type: 'string' },
        'acknowledgements': { type: 'string' },
        'acknowledge': { type: 'string', multiple: true },
        'approved-external': { type: 'string', multiple: true },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function parseApprovedExternal(entries: readonly string[]): Record<string, string> {
  const approved: Record<string, string> = {};
  for (const entry of entries) {
    const match = /^(\+[1-9]\d{1,14})=(.*\S.*)$/.exec(entry);
    if (!match) {
      throw new UsageError(`--approved-external ${JSON.stringify(entry)} must be NUMBER=REFERENCE, e.g. +12025550143=case-123456`);
    }
    approved[match[1]] = match[2];
  }
  return approved;
}

function readInventory(file: string): unknown {
  return parseJsonText(readInventoryFile(file), {
    source: printable(file), subject: 'is',
    expected: 'cdk.context.json or an inventory { "instanceArn": ..., "numbers": [...] } as connect-caller-id lookup writes it',
  }).value;
}
