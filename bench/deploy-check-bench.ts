/**
 * What one deployment of a stack costs at deploy time: the stack uses 300 numbers of a 5,000-number instance
 * (100 outbound queues with their whisper flows, 200 transfers). The stack is synthesized, and the bundled
 * handler (what the Lambda function runs) is run over each synthesized check resource's properties against
 * the local Connect endpoint, throttled at Connect's default quota; the endpoint counts the ListPhoneNumbersV2
 * calls. `node dist/bench/deploy-check-bench.js` runs this alone, with the synth overhead beside it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { App, Stack } from 'aws-cdk-lib';
import {
  CallerId, ClaimedNumber, ClaimedNumbers, OutboundQueue, OutboundWhisperFlow, TransferDestination, TransferToPhoneNumberFlow,
} from '../lib';
import { CHECK_RESOURCE_TYPE } from '../lib/core/deploy-time-check';
import { startConnectEndpoint, generateNumbers } from '../test/support/connect-endpoint';
import { claimedNumbers, INSTANCE_ARN, rawFlows, synthWithConstructs, synthWithL1 } from './contact-centre';
import { median } from './stats';

const ROOT = path.join(__dirname, '..', '..');
const ENV = { account: '123456789012', region: 'ap-northeast-1' };
const HOURS_ARN = `${INSTANCE_ARN}/operating-hours/2d3e4f50-6172-4839-a4b5-c6d7e8f90a1b`;
const INSTANCE_NUMBERS = 5000;
const AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDLOCALBENCH00000', AWS_SECRET_ACCESS_KEY: 'local-bench-secret', AWS_REGION: 'ap-northeast-1',
  AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true',
};

interface CheckResource {
  readonly logicalId: string;
  readonly properties: unknown;
}

/** The check resources of the stack as `cdk synth` writes them. */
function synthesizedChecks(build: (stack: Stack) => void): CheckResource[] {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-deploy-check-')) });
  const stack = new Stack(app, 'Centre', { env: ENV });
  build(stack);
  const assembly = app.synth();
  const template = JSON.parse(fs.readFileSync(path.join(assembly.directory, stack.templateFile), 'utf8'));
  fs.rmSync(assembly.directory, { recursive: true, force: true });
  return Object.entries<{ Type: string; Properties: unknown }>(template.Resources)
    .filter(([, r]) => r.Type === CHECK_RESOURCE_TYPE)
    .map(([logicalId, r]) => ({ logicalId, properties: r.Properties }));
}

/** 100 queues with their whisper flows and 200 transfers, each unit with numbers of its own: 300 in all. */
function contactCentre(stack: Stack, numbers: readonly ClaimedNumber[]): void {
  const claimed = ClaimedNumbers.fromNumbers(stack, 'Numbers', { instanceArn: INSTANCE_ARN, numbers: [...numbers] });
  const callerId = (i: number) => CallerId.fromNumber(numbers[i].number);
  for (let i = 0; i < 100; i++) {
    const whisper = new OutboundWhisperFlow(stack, `Whisper${i}`, { claimedNumbers: claimed, name: `Whisper ${i}`, callerId: callerId(i) });
    new OutboundQueue(stack, `Queue${i}`, {
      claimedNumbers: claimed, name: `Queue ${i}`, hoursOfOperationArn: HOURS_ARN, callerIdNumber: callerId(i), outboundWhisperFlow: whisper,
    });
    for (const j of [0, 1]) {
      new TransferToPhoneNumberFlow(stack, `Transfer${i}x${j}`, {
        claimedNumbers: claimed, name: `Transfer ${i} ${j}`, destination: TransferDestination.fromNumber('+81368009999'), callerId: callerId(100 + 2 * i + j),
      });
    }
  }
}

/** The most phone-number ARNs a check returns: 50 queues whose numbers the inventory has no ARN for. */
function queuesWithoutArns(stack: Stack, numbers: readonly ClaimedNumber[]): void {
  const claimed = ClaimedNumbers.fromNumbers(stack, 'Numbers', { instanceArn: INSTANCE_ARN, numbers: numbers.map(({ arn: _arn, ...n }) => n) });
  for (let i = 0; i < 50; i++) {
    new OutboundQueue(stack, `Queue${i}`, { claimedNumbers: claimed, name: `Queue ${i}`, hoursOfOperationArn: HOURS_ARN, callerIdNumber: CallerId.fromNumber(numbers[i].number) });
  }
}

interface Deployment {
  readonly resources: number;
  readonly calls: number;
  readonly throttled: number;
  readonly ms: number;
  /** The largest response body the provider framework would PUT to CloudFormation. */
  readonly responseBytes: number;
}

/** Runs the bundled handler over each check, as CloudFormation would on a first deployment, and counts the calls. */
async function deploy(checks: readonly CheckResource[]): Promise<Deployment> {
  const endpoint = await startConnectEndpoint({
    numbers: { [INSTANCE_ARN]: generateNumbers(INSTANCE_NUMBERS, { targetArn: INSTANCE_ARN }) },
    throttle: { kind: 'rate', requestsPerSecond: 2, burst: 5 },
  });
  const saved = { ...process.env };
  Object.assign(process.env, AWS_ENV, { AWS_ENDPOINT_URL_CONNECT: endpoint.url });
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundle = require(path.join(ROOT, 'dist', 'handler', 'index.js'));
    const handler = bundle.createHandler({ log: () => undefined });
    let responseBytes = 0;
    const started = performance.now();
    for (const check of checks) {
      const event = {
        RequestType: 'Create', StackId: `arn:aws:cloudformation:ap-northeast-1:123456789012:stack/Centre/${'0'.repeat(36)}`,
        RequestId: '9f3c0a4e-1111-4222-8333-444455556666', LogicalResourceId: check.logicalId, ResourceType: CHECK_RESOURCE_TYPE,
        ResourceProperties: check.properties,
      };
      const result = await handler(event, { getRemainingTimeInMillis: () => 300_000 });
      const body = JSON.stringify({
        Status: 'SUCCESS', Reason: 'SUCCESS', StackId: event.StackId, RequestId: event.RequestId,
        PhysicalResourceId: result.PhysicalResourceId ?? event.RequestId, LogicalResourceId: event.LogicalResourceId, Data: result.Data,
      });
      responseBytes = Math.max(responseBytes, Buffer.byteLength(body));
    }
    return { resources: checks.length, calls: endpoint.calls, throttled: endpoint.throttled, ms: performance.now() - started, responseBytes };
  } finally {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
    await endpoint.close();
  }
}

/** The deploy-time figures: check resources, ListPhoneNumbersV2 calls, wall time and response size of one deployment. */
export async function deployCheckFigures() {
  const numbers = claimedNumbers(INSTANCE_NUMBERS);
  const centre = await deploy(synthesizedChecks((stack) => contactCentre(stack, numbers)));
  const arns = await deploy(synthesizedChecks((stack) => queuesWithoutArns(stack, numbers)));
  return {
    deployCheckNumbersUsed: 300,
    deployCheckInstanceNumbers: INSTANCE_NUMBERS,
    deployCheckMinimumCalls: Math.ceil(INSTANCE_NUMBERS / 1000),
    deployCheckResourcesPerStack: centre.resources,
    deployCheckCalls: centre.calls,
    deployCheckThrottled: centre.throttled,
    deployCheckMs: centre.ms,
    deployCheckResponseBytes: centre.responseBytes,
    deployCheckMaxArnsResponseBytes: arns.responseBytes,
  };
}

/** The synth overhead at full scale, with the check and without, against the raw-L1 twin, interleaved. */
function synthOverhead(repeats: number) {
  const scale = { queues: 1000, numbers: 5000 };
  const numbers = claimedNumbers(scale.numbers);
  const flows = rawFlows(scale, numbers);
  const time = (synth: () => string) => {
    const start = performance.now();
    const directory = synth();
    const ms = performance.now() - start;
    fs.rmSync(directory, { recursive: true, force: true });
    return ms;
  };
  time(() => synthWithConstructs({ queues: 10, numbers: 100 }, numbers.slice(0, 100)));
  const runs = { ours: [] as number[], off: [] as number[], raw: [] as number[] };
  for (let i = 0; i < repeats; i++) {
    runs.ours.push(time(() => synthWithConstructs(scale, numbers)));
    runs.off.push(time(() => synthWithConstructs(scale, numbers, false)));
    runs.raw.push(time(() => synthWithL1(scale, numbers, flows)));
  }
  const raw = median(runs.raw);
  return { synthOverheadRatio: median(runs.ours) / raw, synthOverheadRatioSynthOnly: median(runs.off) / raw, l1Ms: raw };
}

if (require.main === module) {
  deployCheckFigures()
    .then((figures) => {
      const all = { ...figures, ...synthOverhead(Number(process.env.BENCH_REPEATS ?? 5)) };
      console.log(JSON.stringify(Object.fromEntries(Object.entries(all).map(([k, v]) => [k, Math.round(v * 100) / 100])), undefined, 2));
    })
    .catch((e) => {
      process.stderr.write(`deploy-check bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 1;
    });
}
