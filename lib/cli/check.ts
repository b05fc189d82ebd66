import * as fs from 'fs';
import { parseArgs } from 'util';
import { CallerIdInputError } from '../core/errors';
import { checkFlow } from '../core/flow/check';
import { ContactFlowType } from '../core/flow/model';
import { readFlowExport } from '../core/flow/reader';
import { Finding, Severity } from '../core/findings';
import { Inventory, parseInventoryDocument } from '../core/inventory';
import { CliIo, ExitCode, UsageError } from './io';

export const CHECK_USAGE = `Usage: connect-caller-id check --numbers INVENTORY.json [--type FLOW_TYPE] [--json] FLOW.json...

Checks Amazon Connect flows exported from the console (raw flow content or a DescribeContactFlow response)
against an instance's claimed numbers, with the same rules as the CDK constructs.

  --numbers FILE   the inventory: { "instanceArn": ..., "numbers": [{ "number", "type", "countryCode", "arn" }] }
                   (the value connect-caller-id lookup writes into cdk.context.json)
  --type TYPE      the flow type when the file does not say (${Object.values(ContactFlowType).join(', ')})
  --json           print one JSON document instead of lines

Exit status: 0 no errors, 1 errors found, 2 bad usage or unreadable input.`;

interface FileResult {
  readonly file: string;
  readonly type?: ContactFlowType;
  readonly findings: Finding[];
  /** Why the file could not be checked. */
  readonly unreadable?: string;
}

export function runCheck(args: string[], io: CliIo): ExitCode {
  const { values, positionals } = parseCheckArgs(args);
  if (!values.numbers) throw new UsageError('--numbers INVENTORY.json is required');
  if (positionals.length === 0) throw new UsageError('name at least one flow file to check');
  const forcedType = values.type;
  if (forcedType !== undefined && !(Object.values(ContactFlowType) as string[]).includes(forcedType)) {
    throw new UsageError(`--type ${JSON.stringify(forcedType)} is not a flow type; use one of ${Object.values(ContactFlowType).join(', ')}`);
  }

  let inventory: Inventory;
  try {
    const doc = parseInventoryDocument(readJson(values.numbers), values.numbers);
    inventory = new Inventory(doc.instanceArn, doc.numbers);
  } catch (e) {
    if (e instanceof CallerIdInputError) {
      io.err(e.message);
      return ExitCode.USAGE;
    }
    throw e;
  }

  const results = positionals.map((file) => checkFile(file, inventory, forcedType as ContactFlowType | undefined));
  const errors = count(results, Severity.ERROR);
  const warnings = count(results, Severity.WARNING);
  const unreadable = results.filter((r) => r.unreadable !== undefined).length;

  if (values.json) {
    io.out(JSON.stringify({
      instanceArn: inventory.instanceArn,
      files: results.map((r) => ({
        file: r.file,
        ...(r.type ? { type: r.type } : {}),
        ...(r.unreadable !== undefined ? { unreadable: r.unreadable } : {}),
        findings: r.findings,
      })),
      errors, warnings, unreadable,
    }, undefined, 2));
  } else {
    for (const r of results) {
      if (r.unreadable !== undefined) io.err(r.unreadable);
      for (const f of r.findings) io.out(formatLine(r.file, f));
    }
    io.err(`${results.length} flow file(s) checked against ${inventory.size} claimed number(s): ` +
      `${errors} error(s), ${warnings} warning(s)${unreadable > 0 ? `, ${unreadable} unreadable` : ''}`);
  }
  if (unreadable > 0) return ExitCode.USAGE;
  return errors > 0 ? ExitCode.FINDINGS : ExitCode.OK;
}

function parseCheckArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      options: { numbers: { type: 'string' }, type: { type: 'string' }, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function checkFile(file: string, inventory: Inventory, forcedType: ContactFlowType | undefined): FileResult {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { file, findings: [], unreadable: `${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  try {
    const read = readFlowExport(text, file);
    const type = forcedType ?? read.type;
    if (!type) {
      return {
        file, findings: [],
        unreadable: `${file}: the flow type is not in the file (no DescribeContactFlow Type, no Metadata.type); pass --type`,
      };
    }
    return { file, type, findings: checkFlow(read.flow, { type, inventory }) };
  } catch (e) {
    if (e instanceof CallerIdInputError) return { file, findings: [], unreadable: e.message };
    throw e;
  }
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
