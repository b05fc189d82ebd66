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

  test('--type is the default for files that state no type; the file\'s own type wins', () => {
    // GIVEN an inbound transfer export whose Metadata.type says contactFlow
    const stated = fixture('inbound-transfer-to-phone.json');
    // WHEN --type names another type THEN the file's own type is used
    const result = runCli(['check', '--json', '--numbers', INVENTORY_FILE, '--type', 'OUTBOUND_WHISPER', stated]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).files[0]).toMatchObject({ type: 'CONTACT_FLOW', typeFrom: 'file', findings: [] });

    // GIVEN the same flow with no type in the file THEN --type applies
    const flow = flowFixture('inbound-transfer-to-phone.json');
    delete flow.Metadata.type;
    const untyped = write('untyped-transfer.json', flow);
    const typed = runCli(['check', '--numbers', INVENTORY_FILE, '--type', 'OUTBOUND_WHISPER', untyped]);
    expect(typed.status).toBe(1);
    expect(typed.stdout).toContain('FLOW_TRANSFER_WRONG_TYPE');
  });

  test('a file with no type is still checked; the rules that need one are named as not run', () => {
    const flow = flowFixture('inbound-transfer-to-phone.json');
    delete flow.Metadata.type;
    flow.Actions.find((a: any) => a.Type === 'TransferParticipantToThirdParty').Parameters.CallerId.Number = '+81368001299';
    const file = write('untyped-unclaimed.json', flow);
    const text = runCli(['check', '--numbers', INVENTORY_FILE, file]);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain(`${file}: error CALLER_ID_NOT_CLAIMED`);
    expect(text.stderr).toContain(`${file}: not run: FLOW_CALL_PHONE_NUMBER_WRONG_TYPE, FLOW_TRANSFER_WRONG_TYPE, FLOW_TRANSFER_FAILURE_BRANCH_AGENT_TRANSFER, FLOW_DISCONNECT_WRONG_TYPE: the file states no flow type`);
    expect(text.stderr).toContain('1 flow file(s) checked against 4 claimed number(s): 1 error(s), 0 warning(s), 1 without a flow type');
    const json = JSON.parse(runCli(['check', '--json', '--numbers', INVENTORY_FILE, file]).stdout);
    expect(json).toMatchObject({ unreadable: 0, files: [{ notRun: [{ ruleIds: ['FLOW_CALL_PHONE_NUMBER_WRONG_TYPE', 'FLOW_TRANSFER_WRONG_TYPE', 'FLOW_TRANSFER_FAILURE_BRANCH_AGENT_TRANSFER', 'FLOW_DISCONNECT_WRONG_TYPE'] }] }] });
    expect(json.files[0]).not.toHaveProperty('type');
  });

  test('a mixed folder reads in one run: a {Name, Type, Content} object, a whisper told by its content, a flow module, a draft', () => {
    const whisper = flowFixture('outbound-whisper.json');
    delete whisper.Metadata.type;
    const inbound = flowFixture('inbound-transfer-to-phone.json');
    const files = [
      write('object.json', { Name: 'billing', Type: 'CONTACT_FLOW', Content: JSON.stringify(inbound), Tags: {} }),
      write('whisper-no-type.json', whisper),
      write('module.json', { Version: '2019-10-30', StartAction: 'r', Settings: { InputParameters: [] },
        Actions: [{ Identifier: 'r', Type: 'EndFlowModuleExecution', Parameters: {}, Transitions: {} }] }),
      write('draft.json', { ...inbound, StartAction: '', Metadata: { ...inbound.Metadata, status: 'SAVED' } }),
    ];
    const result = runCli(['check', '--json', '--type', 'CONTACT_FLOW', '--numbers', INVENTORY_FILE, ...files]);
    const doc = JSON.parse(result.stdout);
    expect(doc.unreadable).toBe(0);
    expect(doc.files.map((f: any) => [f.type, f.typeFrom])).toEqual([
      ['CONTACT_FLOW', 'file'], ['OUTBOUND_WHISPER', 'content'], ['FLOW_MODULE', 'content'], ['CONTACT_FLOW', 'file'],
    ]);
    // The untyped whisper is checked as its content shows, with a warning that --type said otherwise.
    expect(doc.files.slice(0, 3).map((f: any) => f.findings.map((x: any) => x.ruleId))).toEqual([[], ['FLOW_DEFAULT_TYPE_CONTRADICTED'], []]);
    expect(doc.files[2].notRun[0].reason).toContain('flow module');
    expect(doc.files[3].findings).toEqual([expect.objectContaining({ ruleId: 'FLOW_DRAFT_UNPUBLISHABLE', message: expect.stringContaining('will fail to publish') })]);
    expect(result.status).toBe(1);
  });

  test('a pass-through transfer of a US instance is a warning that --acknowledge drops, exit 0', () => {
    const inventory = write('us.json', { instanceArn: 'arn:aws:connect:us-east-1:123456789012:instance/4b2d6c1e-0f3a-4c5e-9d7b-1a2b3c4d5e6f', numbers: [] });
    const flow = flowFixture('inbound-transfer-to-phone.json');
    const transfer = flow.Actions.find((a: any) => a.Type === 'TransferParticipantToThirdParty');
    delete transfer.Parameters.CallerId;
    transfer.Parameters.ThirdPartyPhoneNumber = '+12025550143';
    const file = write('pass-through.json', flow);
    const warned = runCli(['check', '--numbers', inventory, file]);
    expect(warned.status).toBe(0);
    expect(warned.stdout).toContain(`${file}: warning CALLER_ID_PASS_THROUGH action ${transfer.Identifier}:`);
    const acknowledged = runCli(['check', '--numbers', inventory, '--acknowledge', 'CALLER_ID_PASS_THROUGH', file]);
    expect(acknowledged.stdout).toBe('');
    expect(acknowledged.stderr).toContain('0 error(s), 0 warning(s) (1 acknowledged)');
    // The same transfer on the Japanese example instance shows as anonymous: an error that cannot be acknowledged.
    expect(runCli(['check', '--numbers', INVENTORY_FILE, file]).stdout).toContain('error CALLER_ID_UNSET');
    expect(runCli(['check', '--numbers', INVENTORY_FILE, '--acknowledge', 'CALLER_ID_UNSET', file]).stderr).toContain('is an error, and errors cannot be acknowledged');
  });

  test('--help says --type is the default and the file\'s own type wins, and lists FLOW_MODULE', () => {
    const help = runCli(['check', '--help']).stdout;
    expect(help).toContain("a file's own type (Type, Metadata.type) wins");
    expect(help).toContain('FLOW_MODULE');
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
