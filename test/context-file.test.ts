// The module object itself, not an import namespace over it, so spies reach the library's calls.
import fs = require('fs');
import * as os from 'os';
import * as path from 'path';
import { CallerIdInputError } from '../lib/core/errors';
import { InventoryDocument, PhoneNumberType, inventoryContextKey } from '../lib/core/inventory';
import { writeInventoryToContextFile } from '../lib/lookup/context-file';
import { INSTANCE_ARN } from './support/aws-env';

const KEY = inventoryContextKey(INSTANCE_ARN);
const DOC: InventoryDocument = {
  instanceArn: INSTANCE_ARN,
  numbers: [
    {
      number: '+81368001234',
      type: PhoneNumberType.DID,
      countryCode: 'JP',
      arn: 'arn:aws:connect:ap-northeast-1:123456789012:phone-number/5e1f0000-0000-4000-8000-000000000001',
    },
  ],
};

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'context-file-'));
  file = path.join(dir, 'cdk.context.json');
});
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

function otherFilesIn(directory: string): string[] {
  return fs.readdirSync(directory).filter((f) => f !== 'cdk.context.json');
}

describe('writeInventoryToContextFile', () => {
  test('creates the file when there is none, formatted as the CDK CLI writes it', () => {
    writeInventoryToContextFile(file, DOC);

    const text = fs.readFileSync(file, 'utf8');
    expect(text).toBe(JSON.stringify({ [KEY]: DOC }, undefined, 2) + '\n');
    expect(text).toContain('\n  "connect-caller-id:claimed-numbers:arn:aws:connect:');
    expect(otherFilesIn(dir)).toEqual([]);
  });

  test('keeps every other key in its order, and replaces the entry where it stands', () => {
    // GIVEN
    const existing = {
      'availability-zones:account=123456789012:region=ap-northeast-1': ['ap-northeast-1a', 'ap-northeast-1c'],
      [KEY]: { instanceArn: INSTANCE_ARN, numbers: [] },
      'acknowledged-issue-numbers': [32775],
      'vpc-provider:account=123456789012:filter.vpc-id=vpc-1:region=ap-northeast-1': { vpcId: 'vpc-1' },
    };
    fs.writeFileSync(file, JSON.stringify(existing, undefined, 2) + '\n');

    // WHEN
    writeInventoryToContextFile(file, DOC);

    // THEN
    const written = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(Object.keys(written)).toEqual(Object.keys(existing));
    expect(written).toEqual({ ...existing, [KEY]: DOC });
  });

  test('adds a second instance after the keys already there', () => {
    const other = 'arn:aws:connect:ap-northeast-1:123456789012:instance/11111111-2222-4333-8444-555555555555';
    fs.writeFileSync(file, JSON.stringify({ a: 1 }));
    writeInventoryToContextFile(file, DOC);
    writeInventoryToContextFile(file, { instanceArn: other, numbers: [] });

    expect(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')))).toEqual(['a', KEY, inventoryContextKey(other)]);
  });

  test.each([
    ['not JSON', '{ "a": 1, '],
    ['an array', '[1, 2]'],
    ['a string', '"context"'],
    ['null', 'null'],
    ['empty', ''],
  ])('refuses a file that is %s, names it, and leaves it untouched', (_what, content) => {
    fs.writeFileSync(file, content);

    let error: unknown;
    try {
      writeInventoryToContextFile(file, DOC);
    } catch (e) {
      error = e;
    }

    expect(error).toBeInstanceOf(CallerIdInputError);
    expect((error as Error).message).toContain(`The context file ${file}`);
    expect((error as Error).message).toMatch(/left as it is/);
    expect(fs.readFileSync(file, 'utf8')).toBe(content);
    expect(otherFilesIn(dir)).toEqual([]);
  });

  test('a failure while writing leaves the original file whole and no temporary file behind', () => {
    // GIVEN
    const original = JSON.stringify({ keep: 'me' }, undefined, 2) + '\n';
    fs.writeFileSync(file, original);
    // A crash mid-write: the first chunk goes out, then the disk is full.
    const realWrite = fs.writeSync;
    jest.spyOn(fs, 'writeSync').mockImplementationOnce(((fd: number, buffer: Buffer, offset: number) => {
      realWrite(fd, buffer, offset, 10);
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }) as unknown as typeof fs.writeSync);

    // WHEN / THEN
    expect(() => writeInventoryToContextFile(file, DOC)).toThrow(/Cannot write the context file .*ENOSPC.*left as it was/);
    expect(fs.readFileSync(file, 'utf8')).toBe(original);
    expect(otherFilesIn(dir)).toEqual([]);
  });

  test('the file is replaced by a rename, never rewritten in place', () => {
    const original = JSON.stringify({ keep: 'me' }) + '\n';
    fs.writeFileSync(file, original);
    const rename = jest.spyOn(fs, 'renameSync').mockImplementationOnce(() => {
      throw Object.assign(new Error('EPERM: operation not permitted, rename'), { code: 'EPERM' });
    });

    expect(() => writeInventoryToContextFile(file, DOC)).toThrow(/EPERM/);
    expect(rename).toHaveBeenCalledWith(expect.stringMatching(/\.cdk\.context\.json\..*\.tmp$/), file);
    expect(fs.readFileSync(file, 'utf8')).toBe(original);
    expect(otherFilesIn(dir)).toEqual([]);
  });

  test('the temporary file is flushed to disk before it replaces the original', () => {
    const order: string[] = [];
    const realFsync = fs.fsyncSync;
    const realRename = fs.renameSync;
    jest.spyOn(fs, 'fsyncSync').mockImplementation((fd) => {
      order.push('fsync');
      realFsync(fd);
    });
    jest.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      order.push('rename');
      realRename(from, to);
    });

    writeInventoryToContextFile(file, DOC);

    expect(order.slice(0, 2)).toEqual(['fsync', 'rename']);
  });

  test('keeps the permissions of the existing file', () => {
    fs.writeFileSync(file, '{}');
    fs.chmodSync(file, 0o640);
    writeInventoryToContextFile(file, DOC);
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
  });
});
