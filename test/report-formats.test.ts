import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { parseAcknowledgementsFile } from '../lib/cli/acknowledgements';
import { checkFilesInProcess } from '../lib/cli/check-files';
import { buildCheckReport } from '../lib/cli/check-report';
import {
  CheckReport, escapeData, escapeProperty, renderGithub, renderJunit, renderReport, renderSarif, ReportFormat, xmlAttribute, xmlText,
} from '../lib/cli/report-formats';
import { ALL_RULES } from '../lib/core/catalogue';
import { Severity } from '../lib/core/findings';
import { exampleInventoryDocument, flowFixture } from './support/fixtures';

// The SARIF 2.1.0 schema as Microsoft's SARIF SDK for JavaScript ships it (@microsoft/jest-sarif), validated with
// ajv. It is the draft-04 edition published as 2.1.0-rtm.5; its `run.language` pattern has a stray `]` that only a
// non-Unicode RegExp accepts, hence `unicodeRegExp: false`.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const SARIF_SCHEMA = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const ajv = new Ajv({ strict: false, unicodeRegExp: false, allErrors: true });
addFormats(ajv);
const validateSarif = ajv.compile(SARIF_SCHEMA);

function expectValidSarif(log: unknown): void {
  const valid = validateSarif(log);
  expect(valid ? [] : validateSarif.errors).toEqual([]);
}

const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'report-formats-'));
const write = (name: string, content: string | object) => {
  const file = path.join(cwd, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, undefined, 2));
  return name;
};

/** An inbound flow whose two transfers take their caller ID from an attribute, unguarded: two CALLER_ID_DYNAMIC warnings. */
function dynamicCallerIdFlow(): object {
  const flow = flowFixture('inbound-transfer-to-phone.json');
  const transfer = flow.Actions.find((a: any) => a.Type === 'TransferParticipantToThirdParty');
  transfer.Parameters.CallerId.Number = '$.Attributes.callerId';
  flow.Actions.push({ ...structuredClone(transfer), Identifier: 'second-transfer' });
  return flow;
}

/** An inbound flow whose transfer uses an unclaimed caller ID: one CALLER_ID_NOT_CLAIMED error. */
function unclaimedCallerIdFlow(): object {
  const flow = flowFixture('inbound-transfer-to-phone.json');
  flow.Actions.find((a: any) => a.Type === 'TransferParticipantToThirdParty').Parameters.CallerId.Number = '+81368001299';
  return flow;
}

const FIRST_TRANSFER = '2f48bcad-1e39-4656-b773-295eb2fc189d';

/** Checks the files for real and applies the acknowledgements. */
function report(files: string[], options: { acknowledgements?: string } = {}): CheckReport {
  const inventory = exampleInventoryDocument();
  const checked = checkFilesInProcess(files.map((f) => path.join(cwd, f)), { inventory, approvedExternalNumbers: {} })
    .map((r, i) => ({
      ...r,
      file: files[i],
    }));
  const acks = options.acknowledgements
    ? parseAcknowledgementsFile(fs.readFileSync(path.join(cwd, options.acknowledgements), 'utf8'), path.join(cwd, options.acknowledgements))
    : [];
  return buildCheckReport(checked, inventory, acks, cwd);
}

write('flows/dynamic caller id.json', dynamicCallerIdFlow());
write('flows/unclaimed.json', unclaimedCallerIdFlow());
/**
 * Where an action starts in a file written with two-space indentation: the line of its `{`, the nearest line
 * above its `Identifier` indented as an element of the top-level `Actions` array; column 5.
 */
function actionLine(name: string, id: string): number {
  const lines = fs.readFileSync(path.join(cwd, name), 'utf8').split('\n');
  let i = lines.findIndex((l) => l.includes(`"Identifier": ${JSON.stringify(id)}`));
  while (lines[i] !== '    {') i--;
  return i + 1;
}

write('flows/good.json', flowFixture('inbound-transfer-to-phone.json'));
write('flows/truncated.json', '{ "Version": "2019-10-30", "Actions": [');
write('acks.json', [
  { rule: 'CALLER_ID_DYNAMIC', reason: 'the attribute is set by a Lambda that returns claimed numbers only', file: 'flows/*.json', actionId: FIRST_TRANSFER },
  { rule: 'CALLER_ID_NAME_NOT_SHOWN', reason: 'no such warning here', file: 'flows/other.json' },
]);

describe('SARIF', () => {
  const full = report(['flows/dynamic caller id.json', 'flows/unclaimed.json', 'flows/truncated.json'], { acknowledgements: 'acks.json' });
  const log = renderSarif(full, { cwd, toolVersion: '1.2.3' }) as any;

  test('validates against the SARIF 2.1.0 schema, with errors, warnings, suppressions and notifications', () => {
    expectValidSarif(log);
    expect(log.runs[0].results.length).toBe(3);
    expect(log.runs[0].invocations[0].toolExecutionNotifications.length).toBe(2);
  });

  test('the validator refuses what the schema forbids, so the test above can fail', () => {
    const broken = structuredClone(log);
    broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    delete broken.runs[0].tool.driver.name;
    expect(validateSarif(broken)).toBe(false);
    expect(validateSarif.errors!.map((e) => e.instancePath)).toEqual(expect.arrayContaining([
      '/runs/0/results/0/locations/0/physicalLocation/region/startLine', '/runs/0/tool/driver',
    ]));
  });

  test('the driver lists the rule catalogue; each result points at its rule', () => {
    const driver = log.runs[0].tool.driver;
    expect(driver).toMatchObject({ name: 'connect-caller-id', semanticVersion: '1.2.3' });
    expect(driver.rules.map((r: any) => r.id)).toEqual(ALL_RULES.map((r) => r.id));
    const dynamic = ALL_RULES.find((r) => r.id === 'CALLER_ID_DYNAMIC')!;
    expect(driver.rules.find((r: any) => r.id === 'CALLER_ID_DYNAMIC')).toEqual({
      id: 'CALLER_ID_DYNAMIC',
      shortDescription: { text: dynamic.trigger },
      help: { text: `${dynamic.fix}\nSource: ${dynamic.source}`, markdown: `${dynamic.fix}\n\nSource: ${dynamic.source}` },
      defaultConfiguration: { level: 'warning' },
    });
    for (const result of log.runs[0].results) expect(driver.rules[result.ruleIndex].id).toBe(result.ruleId);
  });

  test('results carry level, message, the file relative to the working directory and the action\'s line and column', () => {
    const [unsuppressed] = log.runs[0].results.filter((r: any) => r.ruleId === 'CALLER_ID_DYNAMIC' && !r.suppressions);
    expect(unsuppressed).toMatchObject({
      level: 'warning',
      message: { text: expect.stringMatching(/^CallerId.Number \$\.Attributes\.callerId is known only during the call.* \(action second-transfer\)$/) },
      locations: [{
        physicalLocation: { artifactLocation: { uri: 'flows/dynamic%20caller%20id.json', uriBaseId: '%SRCROOT%' }, region: { startLine: actionLine('flows/dynamic caller id.json', 'second-transfer'), startColumn: 5 } },
        logicalLocations: [{ name: 'second-transfer', kind: 'element' }],
      }],
    });
    const error = log.runs[0].results.find((r: any) => r.ruleId === 'CALLER_ID_NOT_CLAIMED');
    expect(error).toMatchObject({
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'flows/unclaimed.json' }, region: { startLine: actionLine('flows/unclaimed.json', FIRST_TRANSFER), startColumn: 5 } } }],
    });
  });

  test('results have fingerprints that tell apart findings on the same line and stay when lines move', () => {
    const fingerprints = log.runs[0].results.map((r: any) => r.partialFingerprints['connectCallerId/v1']);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
    // The same flows with the designer's metadata moved above the actions: every action's line changes.
    for (const name of ['dynamic caller id.json', 'unclaimed.json']) {
      const flow = JSON.parse(fs.readFileSync(path.join(cwd, 'flows', name), 'utf8'));
      write(`moved/flows/${name}`, { ...flow, Metadata: { ...flow.Metadata, notes: Array.from({ length: 20 }, (_, i) => `note ${i}`) } });
    }
    fs.copyFileSync(path.join(cwd, 'acks.json'), path.join(cwd, 'moved', 'acks.json'));
    fs.copyFileSync(path.join(cwd, 'flows', 'truncated.json'), path.join(cwd, 'moved', 'flows', 'truncated.json'));
    const movedRoot = path.join(cwd, 'moved');
    const checked = checkFilesInProcess(['flows/dynamic caller id.json', 'flows/unclaimed.json', 'flows/truncated.json'].map((f) => path.join(movedRoot, f)),
      { inventory: exampleInventoryDocument(), approvedExternalNumbers: {} }).map((r) => ({ ...r, file: path.relative(movedRoot, r.file) }));
    const acks = parseAcknowledgementsFile(fs.readFileSync(path.join(movedRoot, 'acks.json'), 'utf8'), path.join(movedRoot, 'acks.json'));
    const moved = renderSarif(buildCheckReport(checked, exampleInventoryDocument(), acks, movedRoot), { cwd: movedRoot, toolVersion: '1.2.3' }) as any;
    const lines = (l: any) => l.runs[0].results.map((r: any) => r.locations[0].physicalLocation.region.startLine);
    expect(lines(moved)).not.toEqual(lines(log));
    expect(moved.runs[0].results.map((r: any) => r.partialFingerprints)).toEqual(log.runs[0].results.map((r: any) => r.partialFingerprints));
    expect(log.runs[0].columnKind).toBe('utf16CodeUnits');
  });

  test('an acknowledged warning is a result with an external suppression carrying the reason', () => {
    const suppressed = log.runs[0].results.filter((r: any) => r.suppressions);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0].locations[0].logicalLocations[0].name).toBe(FIRST_TRANSFER);
    expect(suppressed[0].suppressions).toEqual([{
      kind: 'external', status: 'accepted',
      justification: `the attribute is set by a Lambda that returns claimed numbers only (${path.join(cwd, 'acks.json')}[0])`,
    }]);
  });

  test('unreadable files and unused acknowledgements are notifications; the run is not successful with an unreadable file', () => {
    const invocation = log.runs[0].invocations[0];
    expect(invocation.executionSuccessful).toBe(false);
    expect(invocation.toolExecutionNotifications).toEqual([
      expect.objectContaining({ level: 'error', locations: [{ physicalLocation: { artifactLocation: { uri: 'flows/truncated.json', uriBaseId: '%SRCROOT%' } } }] }),
      { level: 'warning', message: { text: expect.stringContaining('[1]: the acknowledgement of CALLER_ID_NAME_NOT_SHOWN for file "flows/other.json" matched no warning') } },
    ]);
  });

  test('a finding without a position is placed at line 1, which code scanning requires; files outside the working directory get file: URIs', () => {
    const outside = renderSarif({
      instanceArn: 'arn', claimedNumbers: 0, files: [{
        file: '../elsewhere/flow.json',
        findings: [{ ruleId: 'FLOW_TOO_MANY_ACTIONS', severity: Severity.ERROR, message: 'too many' }],
        notRun: [{ ruleIds: ['FLOW_DISCONNECT_WRONG_TYPE'], reason: 'the flow type is not known' }],
      }],
    }, { cwd, toolVersion: '0.1.0' }) as any;
    expectValidSarif(outside);
    const location = outside.runs[0].results[0].locations[0];
    expect(location.physicalLocation.region).toEqual({ startLine: 1 });
    expect(location.physicalLocation.artifactLocation).toEqual({ uri: `file://${path.resolve(cwd, '../elsewhere/flow.json')}` });
    expect(location.logicalLocations).toBeUndefined();
    expect(outside.runs[0].invocations[0]).toMatchObject({
      executionSuccessful: true,
      toolExecutionNotifications: [{ level: 'note', message: { text: 'FLOW_DISCONNECT_WRONG_TYPE did not run: the flow type is not known' } }],
    });
  });

  test('without a tool version the driver states none', () => {
    const log = renderSarif(report([]), { cwd }) as any;
    expectValidSarif(log);
    expect(log.runs[0].tool.driver.semanticVersion).toBeUndefined();
  });

  test('a run with nothing found validates too', () => {
    const empty = renderSarif(report(['flows/good.json']), { cwd, toolVersion: '0.1.0' }) as any;
    expectValidSarif(empty);
    expect(empty.runs[0].results).toEqual([]);
  });
});

describe('GitHub Actions workflow commands', () => {
  test('one annotation per finding with file, line, column and the rule as title; acknowledged warnings left out', () => {
    const lines = renderGithub(report(['flows/dynamic caller id.json', 'flows/unclaimed.json'], { acknowledgements: 'acks.json' }), { cwd });
    const second = actionLine('flows/dynamic caller id.json', 'second-transfer');
    const first = actionLine('flows/unclaimed.json', FIRST_TRANSFER);
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^::warning file=flows/dynamic caller id\\.json,line=${second},col=5,title=CALLER_ID_DYNAMIC::CallerId\\.Number \\$\\.Attributes\\.callerId is known only.* \\(action second-transfer\\)$`)),
      expect.stringMatching(new RegExp(`^::error file=flows/unclaimed\\.json,line=${first},col=5,title=CALLER_ID_NOT_CLAIMED::CallerId\\.Number \\+81368001299 is not claimed.* \\(action ${FIRST_TRANSFER}\\)$`)),
      expect.stringMatching(/^::warning title=unused acknowledgement::.*acks\.json\[1\]: the acknowledgement of CALLER_ID_NAME_NOT_SHOWN/),
    ]);
  });

  test('without a position the annotation names the file only; an unreadable file is an error on it', () => {
    // A DescribeContactFlow response holds the flow as an escaped string: its actions have no line of their own.
    write('flows/described.json', { ContactFlow: { Type: 'CONTACT_FLOW', Name: 'unclaimed', Content: JSON.stringify(unclaimedCallerIdFlow()) } });
    const lines = renderGithub(report(['flows/truncated.json', 'flows/described.json']), { cwd });
    expect(lines[0]).toMatch(/^::error file=flows\/truncated\.json,title=unreadable::.*truncated\.json/);
    expect(lines[1]).toMatch(/^::error file=flows\/described\.json,title=CALLER_ID_NOT_CLAIMED::/);
  });

  test('data and properties are escaped as the Actions toolkit does (% CR LF, and : , in properties); control characters never reach the log raw', () => {
    expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
    expect(escapeProperty('C:\\flows\\a,b%.json\n')).toBe('C%3A\\flows\\a%2Cb%25.json%0A');
    const [line] = renderGithub({
      instanceArn: 'arn', claimedNumbers: 0,
      files: [{ file: 'flows/a,b:c\r.json', findings: [{ ruleId: 'CALLER_ID_DYNAMIC', severity: Severity.WARNING, message: 'line one\nline two: 50% \u001b[31mred', line: 3 }] }],
    }, { cwd });
    // A line break in a value is shown as `\n` rather than ending the command, as everywhere check prints.
    expect(line).toBe('::warning file=flows/a%2Cb%3Ac\\r.json,line=3,title=CALLER_ID_DYNAMIC::line one\\nline two: 50%25 \\u001b[31mred');
  });
});

/** Parses XML with Python's expat (a strict, real XML parser) and returns the tree as plain data. */
function parseXml(xml: string): any {
  const script = [
    'import sys, json, xml.etree.ElementTree as ET',
    'def conv(e): return {"tag": e.tag, "attrib": e.attrib, "text": e.text or "", "children": [conv(c) for c in e]}',
    'print(json.dumps(conv(ET.fromstring(sys.stdin.buffer.read()))))',
  ].join('\n');
  const result = spawnSync('python3', ['-c', script], { input: Buffer.from(xml, 'utf8'), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`not well-formed XML: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

describe('JUnit XML', () => {
  test('one testsuite per file, a testcase per finding: errors fail, warnings pass, acknowledged ones are skipped with the reason', () => {
    const tree = parseXml(renderJunit(report(['flows/dynamic caller id.json', 'flows/unclaimed.json', 'flows/truncated.json', 'flows/good.json'], {
      acknowledgements: 'acks.json',
    })));
    expect(tree.tag).toBe('testsuites');
    expect(tree.attrib).toEqual({ name: 'connect-caller-id check', tests: '5', failures: '1', errors: '1', skipped: '1' });
    const [dynamic, unclaimed, truncated, good] = tree.children;
    expect(dynamic.attrib).toEqual({ name: 'flows/dynamic caller id.json', tests: '2', failures: '0', errors: '0', skipped: '1' });
    expect(dynamic.children.map((c: any) => [c.attrib.name, c.children.map((x: any) => x.tag)])).toEqual([
      ['CALLER_ID_DYNAMIC action second-transfer', ['system-out']],
      [`CALLER_ID_DYNAMIC action ${FIRST_TRANSFER}`, ['skipped']],
    ]);
    expect(dynamic.children[1].children[0].attrib.message).toBe(
      `acknowledged: the attribute is set by a Lambda that returns claimed numbers only (${path.join(cwd, 'acks.json')}[0])`);
    const failure = unclaimed.children[0].children[0];
    expect(failure).toMatchObject({ tag: 'failure', attrib: { type: 'CALLER_ID_NOT_CLAIMED', message: expect.stringContaining('+81368001299 is not claimed') } });
    expect(failure.text).toMatch(/^flows\/unclaimed\.json: error CALLER_ID_NOT_CLAIMED action /);
    expect(truncated.children[0].children[0]).toMatchObject({ tag: 'error', attrib: { type: 'unreadable' } });
    expect(good.children).toEqual([expect.objectContaining({ tag: 'testcase', attrib: { classname: 'flows/good.json', name: 'caller ID and flow rules' }, children: [] })]);
  });

  test('markup, quotes, control characters and characters XML cannot hold come out as text a parser reads back', () => {
    const message = 'a <b> & "c" \'d\' ]]> tab\there\nnext line\r\u0001\u001f\ufffe\ud800 pair \ud83d\udcde end';
    const tree = parseXml(renderJunit({
      instanceArn: 'arn', claimedNumbers: 0,
      files: [{ file: 'flows/<odd> & "name".json', findings: [{ ruleId: 'FLOW_TOO_MANY_ACTIONS', severity: Severity.ERROR, message }] }],
    }));
    // Control characters are shown escaped, as in every format; U+FFFE, which XML cannot hold, is dropped.
    const readable = 'a <b> & "c" \'d\' ]]> tab\\there\\nnext line\\r\\u0001\\u001f\\ud800 pair \ud83d\udcde end';
    const suite = tree.children[0];
    expect(suite.attrib.name).toBe('flows/<odd> & "name".json');
    expect(suite.children[0].children[0].attrib.message).toBe(readable);
    expect(suite.children[0].children[0].text).toBe(`flows/<odd> & "name".json: error FLOW_TOO_MANY_ACTIONS: ${readable}`);
  });

  test('escaping functions: attribute values keep tab, LF and CR as references, which a parser does not normalize', () => {
    expect(xmlText('<a href="x">&</a> ]]>')).toBe('&lt;a href="x"&gt;&amp;&lt;/a&gt; ]]&gt;');
    expect(xmlAttribute('"\'\t\n\r<&')).toBe('&quot;&apos;&#9;&#10;&#13;&lt;&amp;');
    expect(xmlText('\u0000\u0008\u000b\u000c\u000e\uffff\udc00ok\u0009\u000a\u000d')).toBe('ok\t\n\r');
  });
});

describe('text and json', () => {
  const checked = report(['flows/dynamic caller id.json', 'flows/unclaimed.json', 'flows/truncated.json'], { acknowledgements: 'acks.json' });

  test('text: a line per finding as ever, diagnostics and the summary on stderr', () => {
    const { out, err } = renderReport(checked, ReportFormat.TEXT, { cwd, toolVersion: '0' });
    expect(out).toEqual([
      expect.stringMatching(/^flows\/dynamic caller id\.json: warning CALLER_ID_DYNAMIC action second-transfer: CallerId\.Number/),
      expect.stringMatching(new RegExp(`^flows/unclaimed\\.json: error CALLER_ID_NOT_CLAIMED action ${FIRST_TRANSFER}: CallerId\\.Number \\+81368001299`)),
    ]);
    expect(err).toEqual([
      expect.stringContaining('truncated.json'),
      expect.stringContaining('acks.json[1]: the acknowledgement of CALLER_ID_NAME_NOT_SHOWN for file "flows/other.json" matched no warning'),
      '3 flow file(s) checked against 4 claimed number(s): 1 error(s), 1 warning(s) (1 acknowledged), 1 unreadable',
    ]);
  });

  test('json: one document with the counts, acknowledged warnings with their reasons, unused acknowledgements', () => {
    const { out, err } = renderReport(checked, ReportFormat.JSON, { cwd, toolVersion: '0' });
    expect(err).toEqual([]);
    const doc = JSON.parse(out.join('\n'));
    expect(doc).toMatchObject({
      instanceArn: exampleInventoryDocument().instanceArn,
      errors: 1, warnings: 1, acknowledged: 1, unreadable: 1,
      files: [
        {
          file: 'flows/dynamic caller id.json', type: 'CONTACT_FLOW',
          findings: [{ ruleId: 'CALLER_ID_DYNAMIC', actionId: 'second-transfer' }],
          acknowledged: [{
            ruleId: 'CALLER_ID_DYNAMIC', actionId: FIRST_TRANSFER, line: actionLine('flows/dynamic caller id.json', FIRST_TRANSFER), column: 5,
            acknowledgement: { reason: expect.stringContaining('Lambda') },
          }],
        },
        { file: 'flows/unclaimed.json', findings: [{ ruleId: 'CALLER_ID_NOT_CLAIMED', line: actionLine('flows/unclaimed.json', FIRST_TRANSFER), column: 5 }] },
        { file: 'flows/truncated.json', unreadable: expect.any(String), findings: [] },
      ],
      unusedAcknowledgements: [expect.stringContaining('CALLER_ID_NAME_NOT_SHOWN')],
    });
  });
});
