import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { inventoryFromFile } from '../lib/cli/inventory-source';
import { parseInventoryContextKey } from '../lib/core/context-key';
import { inventoryContextKey } from '../lib/core/inventory';
import { writeInventoriesToContextFile } from '../lib/lookup/context-file';
import { exampleInventoryDocument } from './support/fixtures';

const TOKYO = exampleInventoryDocument();
const OSAKA = {
  instanceArn: 'arn:aws:connect:ap-northeast-3:123456789012:instance/0d1e2f3a-4b5c-4d6e-8f70-819203a4b5c6',
  numbers: [{ number: '+81661234567', type: 'DID', countryCode: 'JP' }],
};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'inventory-source-'));

/** A cdk.context.json as `connect-caller-id lookup` writes it, next to the keys a CDK app has anyway. */
async function contextFile(name: string, ...docs: (typeof TOKYO)[]): Promise<{ file: string; value: unknown }> {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, JSON.stringify({ 'availability-zones:account=123456789012:region=ap-northeast-1': ['ap-northeast-1a'] }));
  await writeInventoriesToContextFile(file, docs);
  return { file, value: JSON.parse(fs.readFileSync(file, 'utf8')) };
}

describe('check --numbers cdk.context.json', () => {
  test('with one instance, its inventory is read without --instance-arn', async () => {
    const { file, value } = await contextFile('one.json', TOKYO);
    expect(inventoryFromFile(value, file)).toEqual(TOKYO);
    expect(inventoryFromFile(value, file, TOKYO.instanceArn)).toEqual(TOKYO);
  });

  test('with two instances, --instance-arn picks one; without it the message lists the instance ARNs found', async () => {
    const { file, value } = await contextFile('two.json', TOKYO, OSAKA as typeof TOKYO);
    expect(inventoryFromFile(value, file, OSAKA.instanceArn)).toEqual(OSAKA);
    expect(inventoryFromFile(value, file, TOKYO.instanceArn)).toEqual(TOKYO);
    expect(() => inventoryFromFile(value, file)).toThrow(
      `${file}: holds the inventories of 2 instances; pick one with --instance-arn: ${TOKYO.instanceArn}, ${OSAKA.instanceArn}`);
  });

  test('a traffic distribution group\'s inventory is one more target to pick from', async () => {
    const group = { instanceArn: 'arn:aws:connect:ap-northeast-1:123456789012:traffic-distribution-group/5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b', numbers: OSAKA.numbers };
    const { file, value } = await contextFile('with-group.json', TOKYO, group as typeof TOKYO);
    expect(() => inventoryFromFile(value, file)).toThrow(
      `${file}: holds the inventories of 2 instances or traffic distribution groups; pick one with --instance-arn: ${TOKYO.instanceArn}, ${group.instanceArn}`);
    expect(inventoryFromFile(value, file, group.instanceArn)).toEqual(group);
  });

  test('an --instance-arn the file has no inventory of names the ones it has and the lookup that fills it', async () => {
    const { file, value } = await contextFile('tokyo-only.json', TOKYO);
    expect(() => inventoryFromFile(value, file, OSAKA.instanceArn)).toThrow(
      `${file}: holds no inventory of ${OSAKA.instanceArn}; it holds the inventories of ${TOKYO.instanceArn}. ` +
      `Run connect-caller-id lookup --instance-arn ${OSAKA.instanceArn} --context-file ${file}, or pass one of those`);
  });

  test('a context file without any inventory says how to make one', async () => {
    const { file, value } = await contextFile('none.json');
    expect(() => inventoryFromFile(value, file)).toThrow(`${file}: holds no inventory (no connect-caller-id:claimed-numbers:<instance ARN> key); run connect-caller-id lookup`);
  });

  test('a broken inventory in the context file is refused naming the key', () => {
    const file = path.join(tmp, 'broken.json');
    const value = { [inventoryContextKey(TOKYO.instanceArn)]: { instanceArn: TOKYO.instanceArn, numbers: [{ number: '0368001234', type: 'DID' }] } };
    expect(() => inventoryFromFile(value, file)).toThrow(`${file} ${inventoryContextKey(TOKYO.instanceArn)}: the inventory is not valid:\n  - numbers[0].number must be an E.164 string`);
  });

  test('an inventory document is read as before; --instance-arn must then be its instance', () => {
    expect(inventoryFromFile(TOKYO, 'inventory.json')).toEqual(TOKYO);
    expect(() => inventoryFromFile(TOKYO, 'inventory.json', OSAKA.instanceArn)).toThrow(
      `inventory.json: the inventory is of ${TOKYO.instanceArn}, not of --instance-arn ${OSAKA.instanceArn}`);
  });

  test('an --instance-arn that is not an instance ARN is refused with the form expected', async () => {
    const { file, value } = await contextFile('one-again.json', TOKYO);
    expect(() => inventoryFromFile(value, file, '7c4e1f0a-5d2b-4c8e-9a61-3f2d8b7e6a10')).toThrow(
      '--instance-arn: expected the ARN of a Connect instance (arn:aws:connect:<region>:<account>:instance/<id>)');
  });

  test.each([[[]], ['text'], [null]])('%j is neither an inventory nor a context file', (value) => {
    expect(() => inventoryFromFile(value, 'x.json')).toThrow('x.json: expected an inventory { "instanceArn": ..., "numbers": [...] } or a cdk.context.json object');
  });

  test('context keys: the ARN after the prefix the lookup writes, nothing for other keys', () => {
    expect(parseInventoryContextKey(inventoryContextKey(TOKYO.instanceArn))).toBe(TOKYO.instanceArn);
    expect(parseInventoryContextKey('connect-caller-id:claimed-numbers:')).toBeUndefined();
    expect(parseInventoryContextKey('availability-zones:account=123456789012:region=ap-northeast-1')).toBeUndefined();
  });
});
