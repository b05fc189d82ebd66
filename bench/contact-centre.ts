import * as os from 'os';
import * as path from 'path';
import * as fs from 'fs';
import { createHash } from 'crypto';
import { App, CfnResource, CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CfnContactFlow, CfnQueue } from 'aws-cdk-lib/aws-connect';
import { CfnRole } from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  CallerId, ClaimedNumber, ClaimedNumbers, ContactFlowType, OutboundQueue, OutboundWhisperFlow,
  TransferDestination, TransferToPhoneNumberFlow,
} from '../lib';
import { FlowBuilder } from '../lib/core/flow/builder';
import { ActionTypes } from '../lib/core/flow/model';
import { handlerAssetPath } from '../lib/constructs/handler-asset';
import { computeLogicalIdOnce } from '../lib/constructs/logical-id';
import { claimedNumbers, INSTANCE_ARN } from './inventory-fixture';

export { claimedNumbers, INSTANCE_ARN };

/** The size of a benchmarked contact centre. */
export interface CentreSize {
  readonly queues: number;
  readonly numbers: number;
}

const HOURS_ARN = `${INSTANCE_ARN}/operating-hours/2d3e4f50-6172-4839-a4b5-c6d7e8f90a1b`;
/** Queue, whisper flow and transfer flow: three resources a unit, so 100 units keep a stack well under 500. */
const UNITS_PER_STACK = 100;
const ENV = { account: '123456789012', region: 'ap-northeast-1' };

function outdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
}

/** The contact centre built with this library's constructs; returns the cloud assembly directory. */
export function synthWithConstructs(size: CentreSize, numbers: ClaimedNumber[], deployTimeCheck = true): string {
  const app = new App({ outdir: outdir() });
  let stack: Stack | undefined;
  let claimed: ClaimedNumbers | undefined;
  for (let i = 0; i < size.queues; i++) {
    if (i % UNITS_PER_STACK === 0) {
      stack = new Stack(app, `Centre${i / UNITS_PER_STACK}`, { env: ENV });
      claimed = ClaimedNumbers.fromNumbers(stack, 'Numbers', { instanceArn: INSTANCE_ARN, numbers, deployTimeCheck });
    }
    const callerId = CallerId.fromNumber(numbers[i % numbers.length].number);
    const whisper = new OutboundWhisperFlow(stack!, `Whisper${i}`, { claimedNumbers: claimed!, name: `Whisper ${i}`, callerId, prompt: 'This call may be recorded.' });
    new OutboundQueue(stack!, `Queue${i}`, {
      claimedNumbers: claimed!, name: `Queue ${i}`, hoursOfOperationArn: HOURS_ARN, callerIdNumber: callerId,
      outboundWhisperFlow: whisper,
    });
    new TransferToPhoneNumberFlow(stack!, `Transfer${i}`, {
      claimedNumbers: claimed!, name: `Transfer ${i}`, destination: TransferDestination.fromNumber('+81368009999'), callerId,
    });
  }
  return app.synth().directory;
}

/** The same flow JSON a user of raw L1 constructs would have written by hand, computed before timing. */
export interface RawFlows {
  readonly whisper: string[];
  readonly transfer: string[];
}

export function rawFlows(size: CentreSize, numbers: ClaimedNumber[]): RawFlows {
  const whisper: string[] = [];
  const transfer: string[] = [];
  for (let i = 0; i < size.queues; i++) {
    const number = numbers[i % numbers.length].number;
    const w = new FlowBuilder({ type: ContactFlowType.OUTBOUND_WHISPER, name: `Whisper ${i}` });
    const end = w.add(ActionTypes.END_FLOW, {}, 'end flow');
    const prompt = w.add(ActionTypes.MESSAGE_PARTICIPANT, { Text: 'This call may be recorded.' }, 'play prompt').next(end).onError('NoMatchingError', end);
    w.start(w.add(ActionTypes.CALL_PHONE_NUMBER, { CallerId: { Number: number } }, 'call customer').next(prompt));
    whisper.push(JSON.stringify(w.build()));
    const t = new FlowBuilder({ type: ContactFlowType.CONTACT_FLOW, name: `Transfer ${i}` });
    const disconnect = t.add(ActionTypes.DISCONNECT, {}, 'disconnect');
    t.start(t.add(ActionTypes.TRANSFER_TO_PHONE_NUMBER, {
      ThirdPartyPhoneNumber: '+81368009999', ThirdPartyConnectionTimeLimitSeconds: '30', ContinueFlowExecution: 'False',
      CallerId: { Number: number },
    }, 'transfer to phone number').next(disconnect).onError('NoMatchingError', disconnect));
    transfer.push(JSON.stringify(t.build()));
  }
  return { whisper, transfer };
}

/** The same contact centre from raw L1 constructs, with literal ARNs and hand-written flow JSON; returns the cloud assembly directory. */
export function synthWithL1(size: CentreSize, numbers: ClaimedNumber[], flows: RawFlows, addChecks?: (app: App) => void): string {
  const app = new App({ outdir: outdir() });
  let stack: Stack | undefined;
  for (let i = 0; i < size.queues; i++) {
    if (i % UNITS_PER_STACK === 0) stack = new Stack(app, `Centre${i / UNITS_PER_STACK}`, { env: ENV });
    const whisper = new CfnContactFlow(stack!, `Whisper${i}`, {
      instanceArn: INSTANCE_ARN, name: `Whisper ${i}`, type: 'OUTBOUND_WHISPER', content: flows.whisper[i],
    });
    new CfnQueue(stack!, `Queue${i}`, {
      instanceArn: INSTANCE_ARN, name: `Queue ${i}`, hoursOfOperationArn: HOURS_ARN,
      outboundCallerConfig: {
        outboundCallerIdNumberArn: numbers[i % numbers.length].arn, outboundFlowArn: whisper.attrContactFlowArn,
      },
    });
    new CfnContactFlow(stack!, `Transfer${i}`, { instanceArn: INSTANCE_ARN, name: `Transfer ${i}`, type: 'CONTACT_FLOW', content: flows.transfer[i] });
  }
  addChecks?.(app);
  return app.synth().directory;
}

/** What the deploy-time check of one stack lists, as a user writing its properties by hand would: one entry per number. */
export function checkedNumbersByStack(size: CentreSize, numbers: ClaimedNumber[]): object[][] {
  // With fewer numbers than units, units would share a number, which the check lists once with all its uses.
  if (numbers.length < size.queues) throw new Error(`the same-template twin needs a number per unit: ${numbers.length} numbers for ${size.queues} queues`);
  const stacks: object[][] = [];
  for (let s = 0; s * UNITS_PER_STACK < size.queues; s++) {
    const entries: { Number: string; UsedBy: object[]; Arn?: string }[] = [];
    for (let i = s * UNITS_PER_STACK; i < Math.min(size.queues, (s + 1) * UNITS_PER_STACK); i++) {
      const { number, arn } = numbers[i % numbers.length];
      entries.push({
        Number: number,
        UsedBy: [
          { Path: `Centre${s}/Queue${i}`, Context: 'queue' },
          { Path: `Centre${s}/Transfer${i}`, Context: 'transfer to phone number', Destination: '+81368009999' },
          { Path: `Centre${s}/Whisper${i}`, Context: 'outbound whisper flow' },
        ],
        Arn: arn,
      });
    }
    stacks.push(entries.sort((a, b) => (a.Number < b.Number ? -1 : a.Number > b.Number ? 1 : 0)));
  }
  return stacks;
}

/**
 * The templates the constructs synthesize, rebuilt from L1 resources under the same construct paths and in the
 * same order, with every value (flow JSON, the check's list of numbers) computed before the timing: what any
 * library producing these templates and this construct tree pays in aws-cdk-lib alone, so its synth time beside
 * the raw twin's is the floor of the constructs' overhead, and the constructs' time beside it is the cost of their
 * own work. Logical ids are computed once, as the constructs compute them. test/bench-twins.test.ts keeps the
 * templates identical, text for text.
 */
export function synthSameTemplateWithL1(size: CentreSize, numbers: ClaimedNumber[], flows: RawFlows, checked: object[][]): string {
  const app = new App({ outdir: outdir() });
  let stack: Stack | undefined;
  let check: CfnResource | undefined;
  for (let i = 0; i < size.queues; i++) {
    if (i % UNITS_PER_STACK === 0) {
      stack = new Stack(app, `Centre${i / UNITS_PER_STACK}`, { env: ENV });
      new Construct(stack, 'Numbers');
    }
    const whisper = new CfnContactFlow(new Construct(stack!, `Whisper${i}`), 'Resource', {
      instanceArn: INSTANCE_ARN, name: `Whisper ${i}`, type: 'OUTBOUND_WHISPER', content: flows.whisper[i],
    });
    // Where the constructs add the check: when the stack's first flow registers its number.
    if (i % UNITS_PER_STACK === 0) check = checkResources(stack!, checked[i / UNITS_PER_STACK]);
    const queue = new CfnQueue(new Construct(stack!, `Queue${i}`), 'Resource', {
      instanceArn: INSTANCE_ARN, name: `Queue ${i}`, hoursOfOperationArn: HOURS_ARN,
      outboundCallerConfig: {
        outboundCallerIdNumberArn: numbers[i % numbers.length].arn, outboundFlowArn: whisper.attrContactFlowArn,
      },
    });
    const transfer = new CfnContactFlow(new Construct(stack!, `Transfer${i}`), 'Resource', {
      instanceArn: INSTANCE_ARN, name: `Transfer ${i}`, type: 'CONTACT_FLOW', content: flows.transfer[i],
    });
    for (const user of [whisper, queue, transfer]) {
      // As the constructs do: the id is hashed from the construct path once, not at each of its resolutions.
      computeLogicalIdOnce(user);
      user.addResourceDependency(check!, 'it uses caller ID numbers the deploy-time check verifies');
    }
  }
  return app.synth().directory;
}

/**
 * The deploy-time check of one stack and its function, role and log group, as L1 resources, in the constructs'
 * order (the check's construct, then the function's); returns the check.
 */
function checkResources(stack: Stack, numbers: object[]): CfnResource {
  const id = createHash('sha256').update(JSON.stringify(INSTANCE_ARN)).digest('hex').slice(0, 8).toUpperCase();
  const checkScope = new Construct(stack, `ConnectCallerIdCheck${id}`);
  const provider = new Construct(stack, 'ConnectCallerIdCheckProvider');
  const logs = new CfnLogGroup(provider, 'HandlerLogs', { retentionInDays: 365 });
  logs.applyRemovalPolicy(RemovalPolicy.DESTROY);
  const role = new CfnRole(provider, 'HandlerRole', {
    assumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }],
    },
    policies: [{
      policyName: 'ConnectCallerIdCheck',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: logs.attrArn },
          { Action: 'connect:ListPhoneNumbersV2', Effect: 'Allow', Resource: '*' },
        ],
      },
    }],
  });
  const code = lambda.Code.fromAsset(handlerAssetPath());
  const { s3Location } = code.bind(provider);
  const fn = new lambda.CfnFunction(provider, 'Handler', {
    runtime: 'nodejs24.x',
    handler: '__entrypoint__.handler',
    code: { s3Bucket: s3Location!.bucketName, s3Key: s3Location!.objectKey },
    timeout: 300,
    memorySize: 256,
    role: role.attrArn,
    loggingConfig: { logGroup: logs.ref },
    environment: { variables: { CALLER_ID_CHECK_LOG_GROUP: logs.ref } },
    description: 'Verifies at deploy time that the caller ID numbers used in the stack are claimed in Amazon Connect',
  });
  code.bindToResource(fn);
  const check = new CustomResource(checkScope, 'Verification', {
    serviceToken: fn.attrArn,
    resourceType: 'Custom::ConnectCallerIdCheck',
    serviceTimeout: Duration.seconds(360),
    properties: { TargetArns: [INSTANCE_ARN], Numbers: numbers },
  }).node.defaultChild as CfnResource;
  computeLogicalIdOnce(check);
  return check;
}
