import * as fs from 'fs';
import { parseArgs } from 'util';
import { findRule } from '../core/catalogue';
import { CallerIdInputError } from '../core/errors';
import { ContactFlowType } from '../core/flow/model';
import { FLOW_MODULE, FlowKind } from '../core/flow/reader';
import { Finding, Severity } from '../core/findings';
import { InventoryDocument, parseInventoryDocument } from '../core/inventory';
import { checkFiles, FileResult } from './check-files';
import { CliIo, ExitCode, UsageError } from './io';

const FLOW_KINDS: readonly string[] = [...Object.values(ContactFlowType), FLOW_MODULE];

export const CHECK_USAGE = `Usage: connect-caller-id check --numbers INVENTORY.json [--type FLOW_TYPE] [--acknowledge RULE_ID]...
       [--approved-external NUMBER=REFERENCE]... [--json] FLOW.json...

Checks Amazon Connect flows and flow modules exported from the console (raw content, a DescribeContactFlow
response, or a {Name, Type, Content} object) against an instance's claimed numbers, with the same rules as
the CDK constructs.

  --numbers FILE   the inventory: { "instanceArn": ..., "numbers": [{ "number", "type", "countryCode", "arn" }] }
                   (the value connect-caller-id lookup writes into cdk.context.json)
  --type TYPE      the type of files that do not say theirs (${FLOW_KINDS.join(', ')}):
                   a file's own type (Type, Metadata.type) wins, then what its content shows (a Call phone
                   number block: OUTBOUND_WHISPER; Settings or EndFlowModuleExecution: FLOW_MODULE). Without
                   a type, every rule that does not depend on it still runs, and the output names the others
  --acknowledge RULE_ID
                   drop the warnings of this rule from the output and the counts (repeatable); errors cannot
                   be acknowledged
  --approved-external NUMBER=REFERENCE
                   a number AWS Support approved as an external caller ID, with the approval (e.g. the case
                   id): it need not be claimed, the country rules still apply (repeatable)
  --json           print one JSON document instead of lines

Exit status: 0 no errors, 1 errors found, 2 bad usage or unreadable input.`;

export async function runCheck(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCheckArgs(args);
  if (!values.numbers) throw new UsageError('--numbers INVENTORY.json is required');
  if (positionals.length === 0) throw new UsageError('name at least one flow file to check');
  const defaultType = values.type;
  if (defaultType !== undefined && !FLOW_KINDS.includes(defaultType)) {
    throw new UsageError(`--type ${JSON.stringify(defaultType)} is not a flow type; use one of ${FLOW_KINDS.join(', ')}`);
  }

  const acknowledged = parseAcknowledgements(values.acknowledge ?? []);
  const approvedExternalNumbers = parseApprovedExternal(values['approved-external'] ?? []);

  let inventory: InventoryDocument;
  try {
    inventory = parseInventoryDocument(readJson(values.numbers), values.numbers);
  } catch (e) {
    if (e instanceof CallerIdInputError) {
      io.err(e.message);
      return ExitCode.USAGE;
    }
    throw e;
  }

  const checked = await checkFiles(positionals, { inventory, approvedExternalNumbers, defaultType: defaultType as FlowKind | undefined });
  const results = checked.map((r) => ({ ...r, findings: r.findings.filter((f) => !acknowledged.has(f.ruleId)) }));
  const acknowledgedCount = checked.reduce((n, r) => n + r.findings.length, 0) - results.reduce((n, r) => n + r.findings.length, 0);
  const errors = count(results, Severity.ERROR);
  const warnings = count(results, Severity.WARNING);
  const unreadable = results.filter((r) => r.unreadable !== undefined).length;
  const partlyChecked = results.filter((r) => (r.notRun?.length ?? 0) > 0).length;

  if (values.json) {
    io.out(JSON.stringify({
      instanceArn: inventory.instanceArn,
      files: results.map((r) => ({
        file: r.file,
        ...(r.type ? { type: r.type, typeFrom: r.typeSource, typeEvidence: r.typeEvidence } : {}),
        ...(r.unreadable !== undefined ? { unreadable: r.unreadable } : {}),
        findings: r.findings,
        ...(r.notRun && r.notRun.length > 0 ? { notRun: r.notRun } : {}),
      })),
      errors, warnings, acknowledged: acknowledgedCount, unreadable,
    }, undefined, 2));
  } else {
    for (const r of results) {
      if (r.unreadable !== undefined) io.err(r.unreadable);
      for (const n of r.notRun ?? []) io.err(`${r.file}: not run: ${n.ruleIds.join(', ')}: ${n.reason}`);
      for (const f of r.findings) io.out(formatLine(r.file, f));
    }
    io.err(`${results.length} flow file(s) checked against ${inventory.numbers.length} claimed number(s): ` +
      `${errors} error(s), ${warnings} warning(s)` +
      `${acknowledgedCount > 0 ? ` (${acknowledgedCount} acknowledged)` : ''}${unreadable > 0 ? `, ${unreadable} unreadable` : ''}` +
      `${partlyChecked > 0 ? `, ${partlyChecked} without a flow type (rules that need one not run)` : ''}`);
  }
  if (unreadable > 0) return ExitCode.USAGE;
  return errors > 0 ? ExitCode.FINDINGS : ExitCode.OK;
}

function parseCheckArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        'numbers': { type: 'string' },
        'type': { type: 'string' },
        'json': { type: 'boolean' },
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

/** The rule ids to acknowledge; only warnings can be, since an error means the call would fail. */
function parseAcknowledgements(ids: readonly string[]): Set<string> {
  for (const id of ids) {
    const rule = findRule(id);
    if (!rule) throw new UsageError(`--acknowledge ${JSON.stringify(id)} is not a rule id`);
    if (rule.severity !== Severity.WARNING) {
      throw new UsageError(`--acknowledge ${id}: ${id} is an error, and errors cannot be acknowledged; fix the flow instead`);
    }
  }
  return new Set(ids);
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

function formatLine(file: string, f: Finding): string {
  return `${file}: ${f.severity} ${f.ruleId}${f.actionId ? ` action ${f.actionId}` : ''}: ${f.message}`;
}

function count(results: readonly FileResult[], severity: Severity): number {
  return results.reduce((n, r) => n + r.findings.filter((f) => f.severity === severity).length, 0);
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new CallerIdInputError(`${file}: cannot read the inventory file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CallerIdInputError(`${file}: the inventory is not JSON (${(e as Error).message})`);
  }
}
