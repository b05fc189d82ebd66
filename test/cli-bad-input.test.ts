import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli as runCliInProcess } from '../lib/cli/main';
import { flowFixture, flowFixtureText, FLOW_FIXTURES, INVENTORY_FILE } from './support/fixtures';
import { CLI, ROOT, runCli } from './support/run';

// What `check` does with input no console export has: endless or huge files, other encodings, duplicate keys,
// values that would forge lines of a CI log, and a reader that goes away. Each runs the built command line.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-bad-input-'));
const write = (name: string, content: string | Buffer | object) => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content, undefined, 2));
  return file;
};
const INBOUND = path.join(FLOW_FIXTURES, 'inbound-transfer-to-phone.json');
/** A heap far smaller than the files below, so reading or splitting one whole fails the run. */
const SMALL_HEAP = { NODE_OPTIONS: '--max-old-space-size=48' };
const STACK_FRAME = /\n\s+at /;

function unclaimedTransfer(): { flow: any; id: string } {
  const flow = flowFixture('inbound-transfer-to-phone.json');
  const transfer = flow.Actions.find((a: any) => a.Type === 'TransferParticipantToThirdParty');
  transfer.Parameters.CallerId.Number = '+81368001299';
  return { flow, id: transfer.Identifier };
}

describe('check on endless and huge input', () => {
  test('GIVEN /dev/zero WHEN checked THEN it is refused at the bound, with exit 2', () => {
    const result = runCli(['check', '--numbers', INVENTORY_FILE, '--type', 'CONTACT_FLOW', '/dev/zero'], SMALL_HEAP);
    expect(result.stderr).toContain('/dev/zero: is larger than 8 MiB (8,388,608 bytes), the most read of a flow file');
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(result.status).toBe(2);
  });

  test('GIVEN a 300 MB file WHEN checked with a 48 MB heap THEN it is refused from its size and the other files are checked', () => {
    const huge = path.join(tmp, 'huge.json');
    fs.writeFileSync(huge, '{"Version": "2019-10-30", "Actions": [');
    fs.truncateSync(huge, 300 * 1024 * 1024);
    const result = runCli(['check', '--numbers', INVENTORY_FILE, huge, INBOUND], SMALL_HEAP);
    expect(result.stderr).toContain(`${huge}: is larger than 8 MiB`);
    expect(result.stderr).toContain('2 flow file(s) checked against 4 claimed number(s): 0 error(s), 0 warning(s), 1 unreadable');
    expect(result.status).toBe(2);
  });

  test('GIVEN a broken file of 8 million lines WHEN checked with a 48 MB heap THEN its line and column are reported', () => {
    // Splitting the text into lines to count them takes an array of 8 million entries: 64 MB.
    const broken = write('broken.json', `{${'\n'.repeat(8 * 1024 * 1024 - 2)}x`);
    const result = runCli(['check', '--numbers', INVENTORY_FILE, broken], SMALL_HEAP);
    expect(result.stderr).toContain(`${broken}: is not valid JSON at line 8388607, column 1 (Expected double-quoted property name)`);
    expect(result.status).toBe(2);
  });
});

describe('check on the encodings editors write', () => {
  const { flow } = unclaimedTransfer();
  const text = JSON.stringify(flow, undefined, 2);
  const utf8 = write('flow-utf8.json', text);
  const expected = runCli(['check', '--numbers', INVENTORY_FILE, utf8]);

  test('GIVEN the UTF-8 file WHEN checked THEN it has the unclaimed caller ID (the baseline)', () => {
    expect(expected.status).toBe(1);
    expect(expected.stdout).toContain('CALLER_ID_NOT_CLAIMED');
  });

  test.each<[string, Buffer]>([
    ['UTF-16LE with a byte order mark (Notepad, PowerShell 5 Out-File)', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
    ['UTF-16BE with a byte order mark', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])],
    ['UTF-16LE without a byte order mark', Buffer.from(text, 'utf16le')],
    ['UTF-8 with a byte order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
  ])('GIVEN the same flow in %s WHEN checked THEN the findings are the same', (_encoding, bytes) => {
    const file = write('flow-other.json', bytes);
    const result = runCli(['check', '--numbers', INVENTORY_FILE, file]);
    expect(result.stdout.split(file).join(utf8)).toBe(expected.stdout);
    expect(result.status).toBe(1);
  });

  test('GIVEN a file in Windows-1252 WHEN checked THEN it is refused, naming the byte and how to fix it', () => {
    const file = write('latin1.json', Buffer.from(text.replace('"Version": "2019-10-30"', '"Version": "2019-10-30", "Note": "caf\xe9"'), 'latin1'));
    const result = runCli(['check', '--numbers', INVENTORY_FILE, file]);
    expect(result.stderr).toMatch(/latin1\.json: is not UTF-8 text: byte 0xE9 at line 2, column \d+ cannot start or continue a UTF-8 character .*; save it as UTF-8\./);
    expect(result.status).toBe(2);
  });

  test('GIVEN an inventory saved with a byte order mark WHEN used THEN it is read like one without', () => {
    const inventory = write('inventory-bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fs.readFileSync(INVENTORY_FILE)]));
    const result = runCli(['check', '--numbers', inventory, INBOUND]);
    expect(result.stderr).toContain('1 flow file(s) checked against 4 claimed number(s): 0 error(s), 0 warning(s)');
    expect(result.status).toBe(0);
  });

  test('GIVEN an inventory in UTF-16 WHEN used THEN it is read too', () => {
    const inventory = write('inventory-utf16.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(fs.readFileSync(INVENTORY_FILE, 'utf8'), 'utf16le')]));
    expect(runCli(['check', '--numbers', inventory, INBOUND]).status).toBe(0);
  });

  test('GIVEN an inventory that is not JSON WHEN used THEN the line and column are named', () => {
    const inventory = write('inventory-broken.json', '{\n  "instanceArn": "x",\n  "numbers": [,]\n}');
    const result = runCli(['check', '--numbers', inventory, INBOUND]);
    expect(result.stderr).toContain(`${inventory}: is not valid JSON at line 3, column 15 (Unexpected token ',')`);
    expect(result.status).toBe(2);
  });
});

describe('check on duplicate keys', () => {
  test('GIVEN a caller ID number written twice WHEN checked THEN the file is refused, naming the key, where and why', () => {
    // GIVEN: a claimed number first and an unclaimed one last; JSON.parse alone keeps the last silently
    const flow = flowFixtureText('inbound-transfer-to-phone.json').replace(
      '"Number": "+81368001234"', '"Number": "+81368001234",\n            "Number": "+81368001299"');
    const file = write('duplicate.json', flow);

    // WHEN
    const result = runCli(['check', '--numbers', INVENTORY_FILE, file]);

    // THEN
    expect(result.stderr).toMatch(new RegExp(`${file}: is JSON with a duplicate key: "Number" appears twice in Actions\\[\\d\\] \\("[^"]+"\\)\\.Parameters\\.CallerId, at line \\d+, column \\d+ and at line \\d+, column 13\\. Which value Amazon Connect uses is not documented`));
    expect(result.status).toBe(2);
  });

  test('GIVEN a duplicate key inside the escaped Content of a DescribeContactFlow response WHEN checked THEN it is refused too', () => {
    const wrapper = JSON.parse(flowFixtureText('queue-transfer-describe-contact-flow.json'));
    wrapper.ContactFlow.Content = wrapper.ContactFlow.Content.replace('"Version":"2019-10-30"', '"Version":"2019-10-30","Version":"2019-10-30"')
      .replace('"Version": "2019-10-30"', '"Version": "2019-10-30", "Version": "2019-10-30"');
    const file = write('duplicate-describe.json', wrapper);
    const result = runCli(['check', '--numbers', INVENTORY_FILE, file]);
    expect(result.stderr).toContain(`${file}: ContactFlow.Content is JSON with a duplicate key: "Version" appears twice in the top-level object`);
    expect(result.status).toBe(2);
  });
});

describe('check output cannot be forged by the flows it reads', () => {
  // An identifier that would print a second, made-up finding line and hide itself with ANSI sequences.
  const forged = `x\r\n${INBOUND}: error CALLER_ID_NOT_CLAIMED action y: \u001b[32mall good\u001b[0m\u202e`;
  const { flow, id } = unclaimedTransfer();
  const text = JSON.stringify(flow, undefined, 2).split(id).join(forged.replace(/[\r\n\u001b\u202e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  const file = write(`forged\u001b[2K.json`, text);

  test('GIVEN an action identifier with CR, LF and ANSI escapes WHEN checked THEN every finding is one line, with the escapes shown', () => {
    const result = runCli(['check', '--numbers', INVENTORY_FILE, file]);
    expect(result.status).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    // One line per finding, each starting with the file (escaped), none a forged one.
    for (const line of lines) expect(line.startsWith(`${tmp}/forged\\u001b[2K.json: `)).toBe(true);
    expect(result.stdout + result.stderr).not.toMatch(/[\r\u001b\u202e]/);
    expect(result.stdout).toContain('action x\\r\\n');
    expect(result.stdout).toContain('\\u001b[32mall good\\u001b[0m\\u202e');
  });

  test('GIVEN the same flow WHEN checked with --json THEN the document is valid JSON with the values intact and nothing raw', () => {
    const result = runCli(['check', '--numbers', INVENTORY_FILE, '--json', file]);
    expect(result.stdout).not.toMatch(/[\r\u001b\u202e]/);
    const doc = JSON.parse(result.stdout);
    expect(doc.files[0].file).toBe(file);
    expect(doc.files[0].findings.map((f: any) => f.actionId)).toContain(forged);
  });

  test('GIVEN an unknown option with escapes WHEN refused THEN the usage error shows them escaped', () => {
    const result = runCli(['check', '--\u001b[31mbad']);
    expect(result.stderr).toContain('\\u001b[31mbad');
    expect(result.stderr).not.toContain('\u001b');
    expect(result.status).toBe(2);
  });
});

describe('check never ends with a stack trace', () => {
  test('GIVEN a reader that closes the pipe WHEN check prints THEN it stops printing quietly and exits with what it found', async () => {
    // `check ... | head -1`: a pipe whose reader is gone (EPIPE) after the first bytes
    const files = Array.from({ length: 200 }, (_, i) => write(`unclaimed-${i}.json`, unclaimedTransfer().flow));
    const child = spawn(process.execPath, [CLI, 'check', '--numbers', INVENTORY_FILE, ...files], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.once('data', () => child.stdout.destroy());
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(STACK_FRAME);
    expect(stderr).toContain('200 flow file(s) checked against 4 claimed number(s): 200 error(s)');
    expect(code).toBe(1);
  });

  test('GIVEN output that fails in the middle WHEN check runs in-process THEN it answers exit code 2 with the reason instead of throwing', async () => {
    const err: string[] = [];
    const code = await runCliInProcess(['check', '--numbers', INVENTORY_FILE, write('unclaimed.json', unclaimedTransfer().flow)], {
      out: () => { throw Object.assign(new Error('write EIO'), { code: 'EIO' }); },
      err: (line) => err.push(line),
    });
    expect(err).toEqual([
      'connect-caller-id: check: stopped by an unexpected failure (Error: write EIO). This is a fault in connect-caller-id, not a finding about the input; please report it.',
    ]);
    expect(code).toBe(2);
  });
});
