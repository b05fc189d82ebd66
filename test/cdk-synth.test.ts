import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT, runCdk } from './support/run';

// The real CDK CLI against the compiled example app, with the committed cdk.context.json: what users run.
describe('cdk synth with the real CDK CLI', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-out-'));

  test('the example contact centre synthesizes offline', () => {
    const result = runCdk(['synth', '--app', 'node dist/bin/example-app.js', '--output', path.join(out, 'good'), '--quiet']);
    expect(result.stderr).not.toContain('[Error');
    expect(result.status).toBe(0);
    const template = JSON.parse(fs.readFileSync(path.join(out, 'good', 'ExampleContactCentre.template.json'), 'utf8'));
    const types = Object.values<any>(template.Resources).map((r) => r.Type);
    expect(types.filter((t) => t === 'AWS::Connect::ContactFlow')).toHaveLength(4);
    expect(types.filter((t) => t === 'AWS::ConnectCampaignsV2::Campaign')).toHaveLength(1);
    expect(types).toContain('AWS::Connect::Queue');
    expect(types).toContain('Custom::ConnectCallerIdCheck');
  });

  test('a broken variant exits non-zero, naming the construct, the value and the fix', () => {
    const result = runCdk(['synth', '--app', 'node dist/test/fixtures/broken-app.js', '--output', path.join(out, 'broken'), '--quiet']);
    expect(result.status).not.toBe(0);
    const output = result.stdout + result.stderr;
    expect(output).toContain('ExampleContactCentre/TransferToHeadOffice');
    expect(output).toContain('[CALLER_ID_NOT_E164] callerId "03-6800-1234" is refused');
    expect(output).toContain('did you mean +81368001234?');
    expect(output).toContain('ExampleContactCentre/SalesQueue');
    expect(output).toContain('[CALLER_ID_NOT_CLAIMED] callerIdNumber +81368001299 is not claimed');
  });

  test('fromLookup with no inventory fails with the lookup command', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'no-context-'));
    const result = runCdk(['synth', '--app', `node ${path.join(ROOT, 'dist/bin/example-app.js')}`, '--output', path.join(dir, 'out'), '--quiet'], dir);
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toContain('npx connect-caller-id lookup --instance-arn arn:aws:connect:ap-northeast-1:123456789012:instance/');
  });
});
