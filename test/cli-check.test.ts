import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { flowFixture, FLOW_FIXTURES, INVENTORY_FILE } from './support/fixtures';
import { runCli } from './support/run';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-check-'));
const write = (name: string, content: string | object) => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, undefined, 2));
  return file;
};
const fixture = (name: string) => path.join(FLOW_FIXTURES, name);

describe('connect-caller-id check', () => {
  test('good console exports pass with exit 0 and a summary', () => {
    const result = runCli(['check', '--numbers', INVENTORY_FILE,
      fixture('inbound-transfer-to-phone.json'), fixture('outbound-whisper.json'), fixture('queue-transfer-describe-contact-flow.json')]);
    // The DescribeContactFlow export sets a caller ID name on its transfer, which CNAM does not show.
    expect(result.stdout.trim().split('\n')).toEqual([expect.stringMatching(/queue-transfer-describe-contact-flow\.json: warning CALLER_ID_NAME_NOT_SHOWN /)]);
    expect(result.stderr).toContain('3 flow file(s) checked against 4 claimed number(s): 0 error(s), 1 warning(s)');
    expect(result.status).toBe(0);
  });

  test('an unclaimed caller ID fails with exit 1, one line naming file, action, rule and fix', () => {
    const flow = flowFixture('inbound-transfer-to-phone.json');
    const transfer = flow.Actions.find((a: any) => a.Type === 'TransferParticipantToThirdParty');
    transfer.Parameters.CallerId.Number = '+81368001299';
    const file = write('unclaimed.json', flow);
    const result = runCli(['check', '--numbers', INVENTORY_FILE, file]);
    expect(result.status).toBe(1);
    expect(result.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${file}: error CALLER_ID_NOT_CLAIMED action ${transfer.Identifier}: CallerId.Number \\+81368001299 is not claimed .*closest claimed: \\+81368001234`)),
    ]);
  });

  test('a prompt before Call phone number is refused from the export\'s own Metadata.type', () => {
    const result = runCli(['check', '--numbers', INVENTORY_FILE, fixture('whisper-prompt-before-call.json')]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('FLOW_PARTICIPANT_BEFORE_CALL');
  });

  test('--json prints one document with every finding', () => {
    const flow = flowFixture('inbound-transfer-to-phone.json');
    flow.Actions.find((a: any) => a.Type === 'TransferParticipantToThirdParty').Parameters.CallerId.Number = 'ap-northeast-1';
    const result = runCli(['check', '--json', '--numbers', INVENTORY_FILE, write('region.json', flow)]);
    expect(result.status).toBe(1);
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({ errors: 1, warnings: 0, unreadable: 0, files: [{ type: 'CONTACT_FLOW', findings: [{ ruleId: 'CALLER_ID_NOT_E164', severity: 'error' }] }] });
  });

  test('--type overrides the file; a file with no type and no --type is exit 2', () => {
    const flow = flowFixture('outbound-whisper.json');
    delete flow.Metadata.type;
    const file = write('untyped.json', flow);
    const untyped = runCli(['check', '--numbers', INVENTORY_FILE, file]);
    expect(untyped.status).toBe(2);
    expect(untyped.stderr).toContain('the flow type is not in the file');
    expect(runCli(['check', '--numbers', INVENTORY_FILE, '--type', 'OUTBOUND_WHISPER', file]).status).toBe(0);
    expect(runCli(['check', '--numbers', INVENTORY_FILE, '--type', 'CONTACT_FLOW', file]).stdout).toContain('FLOW_CALL_PHONE_NUMBER_WRONG_TYPE');
  });

  test.each([
    [['check', fixture('outbound-whisper.json')], '--numbers INVENTORY.json is required'],
    [['check', '--numbers', INVENTORY_FILE], 'name at least one flow file'],
    [['check', '--numbers', INVENTORY_FILE, '--type', 'INBOUND', fixture('outbound-whisper.json')], '--type "INBOUND" is not a flow type'],
    [['check', '--frobnicate'], "Unknown option '--frobnicate'"],
    [['bogus'], 'unknown command "bogus"'],
  ])('bad usage %j is exit 2 with a message', (args, message) => {
    const result = runCli(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
  });

  test('unreadable input is exit 2 with a clear message, never a stack trace', () => {
    const truncated = write('truncated.json', fs.readFileSync(fixture('outbound-whisper.json'), 'utf8').slice(0, 300));
    const result = runCli(['check', '--numbers', INVENTORY_FILE, truncated, path.join(tmp, 'missing.json')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${truncated}:`);
    expect(result.stderr).toContain('missing.json: cannot read the file (ENOENT)');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test('a malformed inventory is exit 2, naming the entry', () => {
    const inventory = write('inventory.json', { instanceArn: 'arn:aws:connect:ap-northeast-1:123456789012:instance/x', numbers: [{ number: '+81368001234', type: 'land line' }] });
    const result = runCli(['check', '--numbers', inventory, fixture('outbound-whisper.json')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('numbers[0].type must be a Connect number type (DID, TOLL_FREE');
  });
});
