import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BILLING_TRANSFER, SALES_TRANSFER, twoDynamicTransfers } from './support/dynamic-transfers';
import { ROOT, runCdk } from './support/run';

// The package as users get it: `npm pack` from a copy of the sources (so its clean build runs, as on publish,
// without touching this checkout's dist/), installed into a new CDK app from the tarball, and synthesized
// with the real CDK CLI, against the pinned aws-cdk-lib and against the lowest the peer range admits.

const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const FLOOR = { 'aws-cdk-lib': floorOf('aws-cdk-lib'), constructs: floorOf('constructs') };
const SOURCES = ['package.json', 'README.md', 'LICENSE', 'ARCHITECTURE.md', 'API.md', 'tsconfig.json', 'tsconfig.build.json', 'tsconfig.jsii.json', 'lib', 'bin', 'scripts'];
const INSTANCE_ARN = 'arn:aws:connect:ap-northeast-1:123456789012:instance/7c4e1f0a-5d2b-4c8e-9a61-3f2d8b7e6a10';

function floorOf(name: string): string {
  const range: string = PACKAGE.peerDependencies[name];
  const floor = /^\^(\d+\.\d+\.\d+)$/.exec(range);
  if (!floor) throw new Error(`peerDependencies.${name} is ${range}; this test installs the version after ^`);
  return floor[1];
}

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, {
    cwd, encoding: 'utf8', timeout: 300_000,
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
  });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} in ${cwd} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

const APP_SOURCE = `import { App, Aspects, Stack, Validations } from 'aws-cdk-lib';
import { CfnContactFlow } from 'aws-cdk-lib/aws-connect';
import {
  CallerId, CallerIdChecks, ClaimedNumbers, PhoneNumberType, TransferDestination, TransferToPhoneNumberFlow,
} from 'cdk-connect-caller-id';

const instanceArn = '${INSTANCE_ARN}';
const app = new App();
const stack = new Stack(app, 'Fresh', { env: { account: '123456789012', region: 'ap-northeast-1' } });
const numbers = ClaimedNumbers.fromNumbers(stack, 'Numbers', {
  instanceArn, numbers: [{ number: '+81368001234', type: PhoneNumberType.DID, countryCode: 'JP' }],
});
new TransferToPhoneNumberFlow(stack, 'ToHeadOffice', {
  claimedNumbers: numbers, name: 'To head office',
  destination: TransferDestination.fromNumber('+81368009999'), callerId: CallerId.fromNumber('+81368001234'),
});
const flow = new CfnContactFlow(stack, 'Transfers', {
  instanceArn, name: 'Transfers', type: 'CONTACT_FLOW', content: ${JSON.stringify(JSON.stringify(twoDynamicTransfers()))},
});
const reason = 'The billing system writes billingCallerId from the claimed numbers only';
switch (app.node.tryGetContext('ack')) {
  case 'validations': Validations.of(flow).acknowledge({ id: 'CALLER_ID_DYNAMIC', reason, where: { actionId: '${BILLING_TRANSFER}' } }); break;
  case 'checked': CallerId.acknowledgeWarning(flow, 'CALLER_ID_DYNAMIC', reason, { actionId: '${BILLING_TRANSFER}' }); break;
}
Aspects.of(app).add(new CallerIdChecks({ claimedNumbers: [numbers] }));
app.synth();
`;

describe('the npm package', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pack-'));
  let tarball: string;
  let packed: { path: string }[];
  let size: number;

  beforeAll(() => {
    const stage = path.join(work, 'stage');
    fs.mkdirSync(stage);
    for (const entry of SOURCES) fs.cpSync(path.join(ROOT, entry), path.join(stage, entry), { recursive: true });
    fs.symlinkSync(fs.realpathSync(path.join(ROOT, 'node_modules')), path.join(stage, 'node_modules'));
    const [result] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], stage));
    tarball = path.join(work, result.filename);
    packed = result.files;
    size = result.size;
  });

  test('holds the compiled library, its declarations, the CLI and the handler bundle, and nothing else', () => {
    const sources = (dir: string): string[] => fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? sources(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : []));
    const expected = [
      'package.json', 'README.md', 'LICENSE', 'ARCHITECTURE.md', 'API.md', '.jsii', 'dist/bin/connect-caller-id.js', 'dist/handler/index.js',
      // aws-cdk-lib's entry point, the deploy-time check function's handler, which calls index.js.
      'dist/handler/__entrypoint__.js',
      // The licences of the packages the two bundles hold.
      'dist/handler/THIRD-PARTY-NOTICES.txt', 'dist/lib/core/THIRD-PARTY-NOTICES.txt',
      ...sources('lib').flatMap((f) => [`dist/${f.replace(/\.ts$/, '.js')}`, `dist/${f.replace(/\.ts$/, '.d.ts')}`]),
    ];
    expect(packed.map((f) => f.path).sort()).toEqual(expected.sort());
    expect(size).toBeLessThan(1024 * 1024);
  });

  test('the README links only to files in the package, or to absolute URLs', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1])
      .filter((t) => !/^(https?:|#)/.test(t)).map((t) => t.replace(/#.*$/, ''));
    expect(targets.filter((t) => !packed.some((f) => f.path === t))).toEqual([]);
  });

  /** A new CDK app with the tarball installed; aws-cdk-lib and constructs from this checkout, or from the registry. */
  function freshApp(name: string, cdkLib: 'pinned' | 'floor'): string {
    const dir = path.join(work, name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, private: true }));
    if (cdkLib === 'floor') {
      run('npm', ['install', tarball, `aws-cdk-lib@${FLOOR['aws-cdk-lib']}`, `constructs@${FLOOR.constructs}`], dir);
    } else {
      run('npm', ['install', '--omit=peer', tarball], dir);
      for (const lib of ['aws-cdk-lib', 'constructs']) {
        fs.symlinkSync(fs.realpathSync(path.join(ROOT, 'node_modules', lib)), path.join(dir, 'node_modules', lib));
      }
    }
    fs.writeFileSync(path.join(dir, 'cdk.json'), JSON.stringify({ app: 'node app.js' }));
    return dir;
  }

  function synth(dir: string, context: string[] = []) {
    const out = fs.mkdtempSync(path.join(dir, 'cdk.out-'));
    const result = runCdk(['synth', '--output', out, '--quiet', ...context], dir);
    return { status: result.status, output: result.stdout + result.stderr, out };
  }

  describe(`installed with the pinned aws-cdk-lib (${PACKAGE.devDependencies['aws-cdk-lib']})`, () => {
    let app: string;
    beforeAll(() => {
      app = freshApp('pinned-app', 'pinned');
      fs.writeFileSync(path.join(app, 'app.ts'), APP_SOURCE);
      fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, skipLibCheck: true, types: [] }, files: ['app.ts'],
      }));
      run(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], app);
    });

    test('the app type-checks against the shipped declarations and synthesizes, the deploy-time check with its handler', () => {
      const { status, output, out } = synth(app);
      expect(output).not.toContain('[Error');
      expect(status).toBe(0);
      const template = JSON.parse(fs.readFileSync(path.join(out, 'Fresh.template.json'), 'utf8'));
      const types = Object.values<{ Type: string }>(template.Resources).map((r) => r.Type);
      expect(types.filter((t) => t === 'AWS::Connect::ContactFlow')).toHaveLength(2);
      expect(types).toContain('Custom::ConnectCallerIdCheck');
      const assets = fs.readdirSync(out).filter((f) => f.startsWith('asset.') && fs.existsSync(path.join(out, f, 'index.js')));
      expect(assets.length).toBeGreaterThan(0);
      expect(output).toContain(`(action ${BILLING_TRANSFER})`);
      expect(output).toContain(`(action ${SALES_TRANSFER})`);
    });

    test('a warning acknowledged for one action, with Validations or CallerId.acknowledgeWarning, leaves the other', () => {
      for (const ack of ['validations', 'checked']) {
        const { status, output } = synth(app, ['-c', `ack=${ack}`]);
        expect(status).toBe(0);
        expect(output).not.toContain(`(action ${BILLING_TRANSFER})`);
        expect(output).toContain(`(action ${SALES_TRANSFER})`);
      }
    });

    test('the CLI prints its version and help on stdout, and lookup says to install the Connect SDK', () => {
      const cli = path.join(app, 'node_modules', '.bin', 'connect-caller-id');
      const version = spawnSync(cli, ['--version'], { cwd: app, encoding: 'utf8' });
      expect([version.status, version.stdout]).toEqual([0, `${PACKAGE.version}\n`]);
      const help = spawnSync(cli, ['--help'], { cwd: app, encoding: 'utf8' });
      expect([help.status, help.stderr]).toEqual([0, '']);
      expect(help.stdout).toContain('Usage: connect-caller-id <command> [options]');
      const lookup = spawnSync(cli, ['lookup', '--instance-arn', INSTANCE_ARN], { cwd: app, encoding: 'utf8' });
      expect(lookup.status).toBe(2);
      expect(lookup.stderr).toContain('npm install --save-dev @aws-sdk/client-connect');
      expect(fs.existsSync(path.join(app, 'node_modules', '@aws-sdk', 'client-connect'))).toBe(false);
    });
  });

  describe(`installed with the lowest aws-cdk-lib of the peer range (${FLOOR['aws-cdk-lib']}, constructs ${FLOOR.constructs})`, () => {
    let app: string;
    beforeAll(() => {
      app = freshApp('floor-app', 'floor');
      // The JavaScript the pinned app's type check emitted: the floor's types lack `where`, the code runs the same.
      fs.writeFileSync(path.join(app, 'app.js'), fs.readFileSync(path.join(work, 'pinned-app', 'app.js')));
    });

    test('the app synthesizes with every finding, through Validations', () => {
      const { status, output, out } = synth(app);
      expect(status).toBe(0);
      expect(output).toContain(`[CALLER_ID_DYNAMIC] CallerId.Number $.Attributes.billingCallerId`);
      expect(output).toContain(`(action ${SALES_TRANSFER})`);
      expect(fs.readFileSync(path.join(out, 'Fresh.template.json'), 'utf8')).toContain('Custom::ConnectCallerIdCheck');
    });

    test('an acknowledgement for one action is refused, since this aws-cdk-lib would acknowledge both', () => {
      const { status, output } = synth(app, ['-c', 'ack=checked']);
      expect(status).not.toBe(0);
      expect(output).toContain('Fresh/Transfers: acknowledging CALLER_ID_DYNAMIC only where {"actionId":"transfer-billing"} needs aws-cdk-lib 2.276.0 or later');
    });
  });
});
