import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { flowFixture, INVENTORY_FILE } from './support/fixtures';
import { runCli } from './support/run';

// A batch large enough to be spread over threads must give the same lines, in the same order, as one thread.
test('a large batch reports every finding in file order', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-large-'));
  const files = Array.from({ length: 2000 }, (_, i) => {
    const flow = flowFixture('inbound-transfer-to-phone.json');
    if (i % 100 === 7) flow.Actions.find((a: any) => a.Type === 'TransferParticipantToThirdParty').Parameters.CallerId.Number = '+81368001299';
    const file = path.join(dir, `flow-${String(i).padStart(4, '0')}.json`);
    fs.writeFileSync(file, JSON.stringify(flow));
    return file;
  });
  const result = runCli(['check', '--numbers', INVENTORY_FILE, ...files]);
  expect(result.status).toBe(1);
  const flagged = result.stdout.trim().split('\n').map((line) => path.basename(line.split(':')[0]));
  expect(flagged).toEqual(Array.from({ length: 20 }, (_, k) => `flow-${String(k * 100 + 7).padStart(4, '0')}.json`));
  expect(result.stderr).toContain('2000 flow file(s) checked against 4 claimed number(s): 20 error(s), 0 warning(s)');
});
