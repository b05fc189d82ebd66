// The module object itself, not an import namespace over it, so spies reach the library's calls.
import fs = require('fs');
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import { CallerIdInputError } from '../lib/core/errors';
import { InventoryDocument, PhoneNumberType, inventoryContextKey } from '../lib/core/inventory';
import { inventoryTargetsInContextFile, writeInventoriesToContextFile } from '../lib/lookup/context-file';
import { INSTANCE_ARN } from './support/aws-env';
import { ROOT } from './support/run';

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

describe('writeInventoriesToContextFile', () => {
  test('creates the file when there is none, formatted as the CDK CLI writes it', async () => {
    await writeInventoriesToContextFile(file, [DOC]);

    const text = fs.readFileSync(file, 'utf8');
    expect(text).toBe(JSON.stringify({ [KEY]: DOC }, undefined, 2) + '\n');
    expect(text).toContain('\n  "connect-caller-id:claimed-numbers:arn:aws:connect:');
    expect(otherFilesIn(dir)).toEqual([]);
  });

  test('keeps every other key in its order, and replaces the entry where it stands', async () => {
    // GIVEN
    const existing = {
      'availability-zones:account=123456789012:region=ap-northeast-1': ['ap-northeast-1a', 'ap-northeast-1c'],
      [KEY]: { instanceArn: INSTANCE_ARN, numbers: [] },
      'acknowledged-issue-numbers': [32775],
      'vpc-provider:account=123456789012:filter.vpc-id=vpc-1:region=ap-northeast-1': { vpcId: 'vpc-1' },
    };
    fs.writeFileSync(file, JSON.stringify(existing, undefined, 2) + '\n');

    // WHEN
    await writeInventoriesToContextFile(file, [DOC]);

    // THEN
    const written = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(Object.keys(written)).toEqual(Object.keys(existing));
    expect(written).toEqual({ ...existing, [KEY]: DOC });
  });

  test('adds a second instance after the keys already there, and lists the targets back in that order', async () => {
    const other = 'arn:aws:connect:ap-northeast-1:123456789012:instance/11111111-2222-4333-8444-555555555555';
    fs.writeFileSync(file, JSON.stringify({ a: 1 }));
    await writeInventoriesToContextFile(file, [DOC]);
    await writeInventoriesToContextFile(file, [{ instanceArn: other, numbers: [] }]);

    expect(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')))).toEqual(['a', KEY, inventoryContextKey(other)]);
    expect(inventoryTargetsInContextFile(file)).toEqual([INSTANCE_ARN, other]);
    expect(inventoryTargetsInContextFile(path.join(dir, 'missing.json'))).toEqual([]);
  });

  test('writes several targets at once, one key each', async () => {
    const tdg = 'arn:aws:connect:ap-northeast-1:123456789012:traffic-distribution-group/7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    await writeInventoriesToContextFile(file, [DOC, { instanceArn: tdg, numbers: [] }]);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ [KEY]: DOC, [inventoryContextKey(tdg)]: { instanceArn: tdg, numbers: [] } });
  });

  test.each([
    ['a number with spaces', { number: '+81 50 1234 5678', type: 'DID' }, /numbers\[0\]\.number must be an E\.164 string/],
    ['a lower-case type', { number: '+815012345678', type: 'did' }, /numbers\[0\]\.type must be a Connect number type/],
    ['an instance-form ARN', { number: '+815012345678', type: 'DID', arn: `${INSTANCE_ARN}/phone-number/x` }, /numbers\[0\]\.arn must be a phone-number ARN/],
  ])('refuses to write an inventory synth would refuse (%s), naming the target, and leaves the file as it was', async (_what, number, problem) => {
    const original = JSON.stringify({ keep: 'me' }) + '\n';
    fs.writeFileSync(file, original);
    const bad = { instanceArn: INSTANCE_ARN, numbers: [number] } as unknown as InventoryDocument;

    await expect(writeInventoriesToContextFile(file, [DOC, bad])).rejects.toThrow(CallerIdInputError);
    await expect(writeInventoriesToContextFile(file, [bad])).rejects.toThrow(problem);
    await expect(writeInventoriesToContextFile(file, [bad])).rejects.toThrow(`the inventory of ${INSTANCE_ARN}`);
    expect(fs.readFileSync(file, 'utf8')).toBe(original);
    expect(otherFilesIn(dir)).toEqual([]);
  });

  test.each([
    ['not JSON', '{ "a": 1, '],
    ['an array', '[1, 2]'],
    ['a string', '"context"'],
    ['null', 'null'],
    ['empty', ''],
  ])('refuses a file that is %s, names it, and leaves it untouched', async (_what, content) => {
    fs.writeFileSync(file, content);

    let error: unknown;
    try {
      await writeInventoriesToContextFile(file, [DOC]);
    } catch (e) {
      error = e;
    }

    expect(error).toBeInstanceOf(CallerIdInputError);
    expect((error as Error).message).toContain(`The context file ${file}`);
    expect((error as Error).message).toMatch(/left as it is/);
    expect(fs.readFileSync(file, 'utf8')).toBe(content);
    expect(otherFilesIn(dir)).toEqual([]);
  });

  test('GIVEN a file saved with a byte order mark, as Windows editors do, THEN its keys are kept and the inventory added', async () => {
    fs.writeFileSync(file, '\ufeff' + JSON.stringify({ 'acknowledged-issue-numbers': [32775] }, undefined, 2) + '\n');

    await writeInventoriesToContextFile(file, [DOC]);

    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ 'acknowledged-issue-numbers': [32775], [KEY]: DOC });
    expect(inventoryTargetsInContextFile(file)).toEqual([INSTANCE_ARN]);
  });

  test('GIVEN a file with a key twice, which JSON.parse would silently resolve to the last, THEN it is refused with where, and left untouched', async () => {
    const content = `{\n  "${KEY}": { "instanceArn": "${INSTANCE_ARN}", "numbers": [] },\n  "${KEY}": { "instanceArn": "${INSTANCE_ARN}", "numbers": [] }\n}\n`;
    fs.writeFileSync(file, content);

    await expect(writeInventoriesToContextFile(file, [DOC])).rejects.toThrow(CallerIdInputError);
    await expect(writeInventoriesToContextFile(file, [DOC])).rejects.toThrow(
      new RegExp(`^The context file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: is JSON with a duplicate key: .* appears twice in the top-level object, at line 2, column 3 and at line 3, column 3\\. The CDK reads only the last[\\s\\S]*keep only one; it was left as it is`),
    );
    expect(() => inventoryTargetsInContextFile(file)).toThrow(/twice/);
    expect(fs.readFileSync(file, 'utf8')).toBe(content);
    expect(otherFilesIn(dir)).toEqual([]);
  });

  test('a failure while writing leaves the original file whole and no temporary file behind', async () => {
    // GIVEN
    const original = JSON.stringify({ keep: 'me' }, undefined, 2) + '\n';
    fs.writeFileSync(file, original);
    // A crash mid-write of the new content: the first chunk goes out, then the disk is full.
    const realWrite = fs.writeSync;
    jest.spyOn(fs, 'writeSync').mockImplementation(((fd: number, buffer: Buffer | string, ...rest: number[]) => {
      if (Buffer.isBuffer(buffer) && buffer.includes(KEY)) {
        realWrite(fd, buffer, rest[0], 10);
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      return (realWrite as (...args: unknown[]) => number)(fd, buffer, ...rest);
    }) as unknown as typeof fs.writeSync);

    // WHEN / THEN
    await expect(writeInventoriesToContextFile(file, [DOC])).rejects.toThrow(/Cannot write the context file .*ENOSPC.*left as it was/);
    expect(fs.readFileSync(file, 'utf8')).toBe(original);
    expect(otherFilesIn(dir)).toEqual([]);
  });

  test('the file is replaced by a rename, never rewritten in place', async () => {
    const original = JSON.stringify({ keep: 'me' }) + '\n';
    fs.writeFileSync(file, original);
    const rename = jest.spyOn(fs, 'renameSync').mockImplementationOnce(() => {
      throw Object.assign(new Error('EPERM: operation not permitted, rename'), { code: 'EPERM' });
    });

    await expect(writeInventoriesToContextFile(file, [DOC])).rejects.toThrow(/EPERM/);
    expect(rename).toHaveBeenCalledWith(expect.stringMatching(/\.cdk\.context\.json\..*\.tmp$/), file);
    expect(fs.readFileSync(file, 'utf8')).toBe(original);
    expect(otherFilesIn(dir)).toEqual([]);
  });

  test('the temporary file is flushed to disk before it replaces the original', async () => {
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

    await writeInventoriesToContextFile(file, [DOC]);

    expect(order.slice(0, 2)).toEqual(['fsync', 'rename']);
  });

  test('keeps the permissions of the existing file', async () => {
    fs.writeFileSync(file, '{}');
    fs.chmodSync(file, 0o640);
    await writeInventoriesToContextFile(file, [DOC]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
  });
});

/** A process writing an inventory of `count` numbers under `arn`, through the built library, as `lookup` does. */
const WRITER = `
const { writeInventoriesToContextFile } = require(${JSON.stringify(path.join(ROOT, 'dist', 'lib', 'lookup', 'context-file.js'))});
const [file, arn, count, startAt, loop] = process.argv.slice(1);
const numbers = Array.from({ length: Number(count) }, (_, i) => ({ number: '+8150' + (10000000 + i), type: 'DID', countryCode: 'JP' }));
const write = () => writeInventoriesToContextFile(file, [{ instanceArn: arn, numbers }]);
setTimeout(async () => {
  try {
    do await write(); while (loop === 'loop');
  } catch (e) {
    process.stderr.write(e.message);
    process.exit(1);
  }
}, Math.max(0, Number(startAt) - Date.now()));
`;

function startWriter(arn: string, count: number, startAt: number, loop = false): ChildProcess {
  return spawn(process.execPath, ['-e', WRITER, file, arn, String(count), String(startAt), loop ? 'loop' : 'once'], { stdio: ['ignore', 'ignore', 'pipe'] });
}

function exited(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, stderr });
    else child.once('exit', (code) => resolve({ code, stderr }));
  });
}

const instance = (i: number) => `arn:aws:connect:ap-northeast-1:123456789012:instance/00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const tempFiles = () => fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));

describe('writers of one context file', () => {
  test('four lookups writing at the same moment keep each other\'s keys, in every trial', async () => {
    for (let trial = 0; trial < 3; trial++) {
      // GIVEN a file with a key of its own
      fs.writeFileSync(file, JSON.stringify({ 'acknowledged-issue-numbers': [32775] }, undefined, 2) + '\n');

      // WHEN four processes, started together, each write 20,000 numbers under their own key
      const startAt = Date.now() + 1500;
      const writers = [0, 1, 2, 3].map((i) => startWriter(instance(i), 20_000, startAt));
      const results = await Promise.all(writers.map(exited));

      // THEN every key is there
      expect(results).toEqual(results.map(() => ({ code: 0, stderr: '' })));
      const written = JSON.parse(fs.readFileSync(file, 'utf8'));
      expect(Object.keys(written).sort()).toEqual(['acknowledged-issue-numbers', ...[0, 1, 2, 3].map((i) => inventoryContextKey(instance(i)))].sort());
      for (let i = 0; i < 4; i++) expect(written[inventoryContextKey(instance(i))].numbers).toHaveLength(20_000);
      expect(otherFilesIn(dir)).toEqual([]);
    }
  });

  test('writers killed mid-write leave no temporary files or lock that outlive the next write', async () => {
    let orphans = 0;
    for (let kill = 0; kill < 5; kill++) {
      // GIVEN a writer in a loop, killed with SIGKILL as soon as its temporary file appears
      const child = startWriter(instance(kill), 50_000, 0, true);
      const done = exited(child);
      const seen = new Set(tempFiles());
      while (!tempFiles().some((f) => !seen.has(f)) && child.exitCode === null) await new Promise((resolve) => setImmediate(resolve));
      child.kill('SIGKILL');
      await done;
      orphans = Math.max(orphans, tempFiles().length);
    }
    // The kills did leave a half-written temporary file (and the killed writer's lock) behind...
    expect(orphans).toBeGreaterThan(0);

    // WHEN the next lookup writes
    await writeInventoriesToContextFile(file, [DOC], { lockTimeoutMs: 5000 });

    // THEN nothing but the context file is left, and it is whole
    expect(otherFilesIn(dir)).toEqual([]);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))[KEY]).toEqual(DOC);
  });

  test('a lock whose process is gone is taken over at once', async () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const pid = Number(gone.stdout);
    fs.writeFileSync(`${file}.lock`, JSON.stringify({ pid, host: os.hostname(), since: new Date().toISOString(), token: 'killed' }));

    await writeInventoriesToContextFile(file, [DOC], { lockTimeoutMs: 1000 });

    expect(JSON.parse(fs.readFileSync(file, 'utf8'))[KEY]).toEqual(DOC);
    expect(otherFilesIn(dir)).toEqual([]);
  });

  test('a lock held by a live writer is waited for, then refused with who holds it and what to do', async () => {
    const original = JSON.stringify({ keep: 'me' }) + '\n';
    fs.writeFileSync(file, original);
    const held = JSON.stringify({ pid: process.pid, host: os.hostname(), since: '2030-01-01T00:00:00.000Z', token: 'another-writer' });
    fs.writeFileSync(`${file}.lock`, held);

    const error = await writeInventoriesToContextFile(file, [DOC], { lockTimeoutMs: 300 }).then(() => undefined, (e: unknown) => e);

    expect(error).toBeInstanceOf(CallerIdInputError);
    expect((error as Error).message).toBe(
      `The context file ${file} is being written by process ${process.pid} on ${JSON.stringify(os.hostname())} since 2030-01-01T00:00:00.000Z, ` +
        `and was still locked after 300 ms; it was left as it is. Retry when that lookup has ended; if none is running, delete ${file}.lock.`,
    );
    expect(fs.readFileSync(file, 'utf8')).toBe(original);
    // The other writer's lock is not touched.
    expect(fs.readFileSync(`${file}.lock`, 'utf8')).toBe(held);
  });

  test('a lock from another host is taken over only once it is older than staleLockMs', async () => {
    const lock = `${file}.lock`;
    fs.writeFileSync(lock, JSON.stringify({ pid: 1, host: 'build-agent-7', since: '2030-01-01T00:00:00.000Z', token: 'remote' }));

    await expect(writeInventoriesToContextFile(file, [DOC], { lockTimeoutMs: 200, staleLockMs: 60_000 })).rejects.toThrow(/build-agent-7/);
    const old = new Date(Date.now() - 120_000);
    fs.utimesSync(lock, old, old);
    await writeInventoriesToContextFile(file, [DOC], { lockTimeoutMs: 1000, staleLockMs: 60_000 });

    expect(JSON.parse(fs.readFileSync(file, 'utf8'))[KEY]).toEqual(DOC);
    expect(otherFilesIn(dir)).toEqual([]);
  });

  test('writers in one process take turns too', async () => {
    const docs = [0, 1, 2, 3, 4].map((i) => ({ instanceArn: instance(i), numbers: [] }));
    await Promise.all(docs.map((doc) => writeInventoriesToContextFile(file, [doc])));
    expect(inventoryTargetsInContextFile(file).sort()).toEqual(docs.map((d) => d.instanceArn).sort());
  });
});
