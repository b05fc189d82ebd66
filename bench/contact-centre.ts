import * as os from 'os';
import * as path from 'path';
import * as fs from 'fs';
import { App, Stack } from 'aws-cdk-lib';
import { CfnContactFlow, CfnQueue } from 'aws-cdk-lib/aws-connect';
import {
  CallerId, ClaimedNumber, ClaimedNumbers, ContactFlowType, OutboundQueue, OutboundWhisperFlow,
  TransferDestination, TransferToPhoneNumberFlow,
} from '../lib';
import { FlowBuilder } from '../lib/core/flow/builder';
import { ActionTypes } from '../lib/core/flow/model';
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
