import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { inventoryContextKey } from '../lib/core/inventory';
import { exampleInventoryDocument, flowFixture } from './support/fixtures';
import { CLI, ROOT } from './support/run';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const SARIF_SCHEMA = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const ajv = new Ajv({ strict: false, unicodeRegExp: false, allErrors: true });
addFormats(ajv);
const validateSarif = ajv.compile(SARIF_SCHEMA);

// A repository as CI checks it out: flows in a folder, cdk.context.json and the acknowledgements at the top.
const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-check-formats-'));
const write = (name: string, content: string | object) => {
  const file = path.join(repo, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, undefined, 2));
  return name;
};

/** Runs the built CLI in the repository, as a CI step does. */
function check(...args: string[]) {
  return spawnSync(process.execPath, [CLI, 'check', ...args], { encoding: 'utf8', cwd: repo });
}

const TOKYO = exampleInventoryDocument();
const OSAKA = {
  instanceArn: 'arn:aws:connect:ap-northeast-3:123456789012:instance/0d1e2f3a-4b5c-4d6e-8f70-819203a4b5c6',
  numbers: [{ number: '+81661234567', type: 'DID', countryCode: 'JP' }],
};
write('cdk.context.json', { [inventoryContextKey(TOKYO.instanceArn)]: TOKYO, 'acknowledged-issue-numbers': [32775] });
write('two-instances.context.json', { [inventoryContextKey(TOKYO.instanceArn)]: TOKYO, [inventoryContextKey(OSAKA.instanceArn)]: OSAKA });

const FIRST_TRANSFER = '2f48bcad-1e39-4656-b773-295eb2fc189d';
const unclaimed = flowFixture('inbound-transfer-to-phone.json');
unclaimed.Actions.find((a: any) => a.Identifier === FIRST_TRANSFER).Parameters.CallerId.Number = '+81368001299';
write('flows/unclaimed.json', unclaimed);
const dynamic = flowFixture('inbound-transfer-to-phone.json');
const transfer = dynamic.Actions.find((a: any) => a.Identifier === FIRST_TRANSFER);
transfer.Parameters.CallerId.Number = '$.Attributes.callerId';
const second = structuredClone(transfer);
second.Identifier = 'second-transfer';
second.Parameters.CallerId.Number = '$.External.callerId';
dynamic.Actions.push(second);
write('flows/dynamic.json', dynamic);

/** The line of an action's `{` in a file written with two-space indentation (the oracle for positions). */
function actionLine(name: string, id: string): number {
  const lines = fs.readFileSync(path.join(repo, name), 'utf8').split('\n');
  let i = lines.findIndex((l) => l.includes(`"Identifier": ${JSON.stringify(id)}`));
  while (lines[i] !== '    {') i--;
  return i + 1;
}

describe('check --format', () => {
  test('github: an annotation per finding, on the file relative to the workspace and the action\'s line, with the rule as title; exit 1 on errors', () => {
    const result = check('--numbers', 'cdk.context.json', '--format', 'github', 'flows/unclaimed.json', 'flows/dynamic.json');
    expect(result.status).toBe(1);
    const [unclaimedLine, dynamicLine, secondLine] = [
      actionLine('flows/unclaimed.json', FIRST_TRANSFER), actionLine('flows/dynamic.json', FIRST_TRANSFER), actionLine('flows/dynamic.json', 'second-transfer'),
    ];
    expect(result.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^::error file=flows/unclaimed\\.json,line=${unclaimedLine},col=5,title=CALLER_ID_NOT_CLAIMED::CallerId\\.Number \\+81368001299 is not claimed.* \\(action ${FIRST_TRANSFER}\\)$`)),
      expect.stringMatching(new RegExp(`^::warning file=flows/dynamic\\.json,line=${dynamicLine},col=5,title=CALLER_ID_DYNAMIC::.*\\(action ${FIRST_TRANSFER}\\)$`)),
      expect.stringMatching(new RegExp(`^::warning file=flows/dynamic\\.json,line=${secondLine},col=5,title=CALLER_ID_DYNAMIC::.*\\(action second-transfer\\)$`)),
    ]);
    expect(secondLine).toBeGreaterThan(dynamicLine);
    expect(result.stderr).toContain('2 flow file(s) checked against 4 claimed number(s): 1 error(s), 2 warning(s)');
  });

  test('sarif: validates against the SARIF 2.1.0 schema, names the package version and the files relative to the working directory', () => {
    const result = check('--numbers', 'cdk.context.json', '--format', 'sarif', 'flows/unclaimed.json', 'flows/dynamic.json');
    expect(result.status).toBe(1);
    const log = JSON.parse(result.stdout);
    expect(validateSarif(log) ? [] : validateSarif.errors).toEqual([]);
    const run = log.runs[0];
    expect(run.tool.driver.semanticVersion).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    expect(run.results.map((r: any) => [r.ruleId, r.level, r.locations[0].physicalLocation])).toEqual([
      ['CALLER_ID_NOT_CLAIMED', 'error', {
        artifactLocation: { uri: 'flows/unclaimed.json', uriBaseId: '%SRCROOT%' }, region: { startLine: actionLine('flows/unclaimed.json', FIRST_TRANSFER), startColumn: 5 },
      }],
      ['CALLER_ID_DYNAMIC', 'warning', {
        artifactLocation: { uri: 'flows/dynamic.json', uriBaseId: '%SRCROOT%' }, region: { startLine: actionLine('flows/dynamic.json', FIRST_TRANSFER), startColumn: 5 },
      }],
      ['CALLER_ID_DYNAMIC', 'warning', {
        artifactLocation: { uri: 'flows/dynamic.json', uriBaseId: '%SRCROOT%' }, region: { startLine: actionLine('flows/dynamic.json', 'second-transfer'), startColumn: 5 },
      }],
    ]);
    expect(result.stderr).toContain('1 error(s), 2 warning(s)');
  });

  test('junit: well-formed XML a real parser reads, a testsuite per file', () => {
    const result = check('--numbers', 'cdk.context.json', '--format', 'junit', 'flows/unclaimed.json', 'flows/dynamic.json');
    const parsed = spawnSync('python3', ['-c', [
      'import sys, json, xml.etree.ElementTree as ET',
      'root = ET.fromstring(sys.stdin.buffer.read())',
      'print(json.dumps([[s.get("name"), s.get("tests"), s.get("failures")] for s in root]))',
    ].join('\n')], { input: result.stdout, encoding: 'utf8' });
    expect(parsed.stderr).toBe('');
    expect(JSON.parse(parsed.stdout)).toEqual([['flows/unclaimed.json', '1', '1'], ['flows/dynamic.json', '2', '0']]);
  });

  test('json and --json are the same document; text is the default', () => {
    const json = check('--numbers', 'cdk.context.json', '--format', 'json', 'flows/dynamic.json');
    expect(check('--numbers', 'cdk.context.json', '--json', 'flows/dynamic.json').stdout).toBe(json.stdout);
    expect(JSON.parse(json.stdout)).toMatchObject({ errors: 0, warnings: 2, files: [{ file: 'flows/dynamic.json', findings: [{}, {}] }] });
    const text = check('--numbers', 'cdk.context.json', 'flows/dynamic.json');
    expect(text.stdout).toMatch(/^flows\/dynamic\.json: warning CALLER_ID_DYNAMIC action /);
    expect(text.status).toBe(0);
  });

  test.each([
    [['--format', 'xml'], '--format "xml" is not a format; use one of text, json, sarif, junit, github'],
    [['--format', 'sarif', '--json'], '--json and --format sarif contradict each other'],
  ])('%j is bad usage, exit 2', (args, message) => {
    const result = check('--numbers', 'cdk.context.json', ...args, 'flows/dynamic.json');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
  });
});

describe('check --numbers cdk.context.json', () => {
  test('the only instance in the file is used', () => {
    expect(check('--numbers', 'cdk.context.json', 'flows/unclaimed.json').stdout).toContain('closest claimed: +81368001234');
  });

  test('with two instances, --instance-arn picks one; without it exit 2 lists the instance ARNs found', () => {
    const ambiguous = check('--numbers', 'two-instances.context.json', 'flows/unclaimed.json');
    expect(ambiguous.status).toBe(2);
    expect(ambiguous.stderr).toContain(
      `two-instances.context.json: holds the inventories of 2 instances; pick one with --instance-arn: ${TOKYO.instanceArn}, ${OSAKA.instanceArn}`);
    const osaka = check('--numbers', 'two-instances.context.json', '--instance-arn', OSAKA.instanceArn, 'flows/unclaimed.json');
    expect(osaka.stderr).toContain('checked against 1 claimed number(s)');
    expect(check('--numbers', 'two-instances.context.json', '--instance-arn', TOKYO.instanceArn, 'flows/unclaimed.json').stderr)
      .toContain('checked against 4 claimed number(s)');
  });
});

describe('check --acknowledgements', () => {
  test('a warning acknowledged for one action only; the reason reaches SARIF; a stale entry is reported', () => {
    write('acknowledgements.json', [
      { rule: 'CALLER_ID_DYNAMIC', reason: 'the attribute comes from a Lambda that returns claimed numbers only', file: 'flows/*.json', actionId: FIRST_TRANSFER },
      { rule: 'CALLER_ID_NAME_NOT_SHOWN', reason: 'the old queue flow set a name', file: 'flows/removed.json' },
    ]);
    const text = check('--numbers', 'cdk.context.json', '--acknowledgements', 'acknowledgements.json', 'flows/dynamic.json');
    expect(text.status).toBe(0);
    expect(text.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^flows\/dynamic\.json: warning CALLER_ID_DYNAMIC action second-transfer: /)]);
    expect(text.stderr).toContain('acknowledgements.json[1]: the acknowledgement of CALLER_ID_NAME_NOT_SHOWN for file "flows/removed.json" matched no warning');
    expect(text.stderr).toContain('0 error(s), 1 warning(s) (1 acknowledged)');

    const sarif = JSON.parse(check('--numbers', 'cdk.context.json', '--acknowledgements', 'acknowledgements.json', '--format', 'sarif', 'flows/dynamic.json').stdout);
    expect(validateSarif(sarif)).toBe(true);
    expect(sarif.runs[0].results.filter((r: any) => r.suppressions).map((r: any) => r.suppressions[0].justification)).toEqual([
      'the attribute comes from a Lambda that returns claimed numbers only (acknowledgements.json[0])',
    ]);
  });

  test('a warning acknowledged for one number or reference only', () => {
    write('by-number.json', [{ rule: 'CALLER_ID_DYNAMIC', reason: 'the routing Lambda sets it from the claimed numbers', number: '$.External.callerId' }]);
    const result = check('--numbers', 'cdk.context.json', '--acknowledgements', 'by-number.json', '--json', 'flows/dynamic.json');
    const doc = JSON.parse(result.stdout);
    expect(doc.files[0].findings.map((f: any) => [f.actionId, f.number])).toEqual([[FIRST_TRANSFER, '$.Attributes.callerId']]);
    expect(doc.files[0].acknowledged.map((f: any) => [f.actionId, f.number, f.acknowledgement.reason]))
      .toEqual([['second-transfer', '$.External.callerId', 'the routing Lambda sets it from the claimed numbers']]);
    expect(doc.unusedAcknowledgements).toBeUndefined();
  });

  test('an error cannot be acknowledged: exit 2 naming the entry', () => {
    write('bad-acknowledgements.json', [{ rule: 'CALLER_ID_NOT_CLAIMED', reason: 'it is ours really' }]);
    const result = check('--numbers', 'cdk.context.json', '--acknowledgements', 'bad-acknowledgements.json', 'flows/unclaimed.json');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('bad-acknowledgements.json[0]: CALLER_ID_NOT_CLAIMED is an error, and errors cannot be acknowledged; fix what it reports instead\n');
  });

  test('a missing acknowledgements file is exit 2 with the reason', () => {
    const result = check('--numbers', 'cdk.context.json', '--acknowledgements', 'nope.json', 'flows/unclaimed.json');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('nope.json: cannot read the file (ENOENT)\n');
  });
});
