#!/usr/bin/env node
/**
 * An example contact centre: an outbound queue with a caller ID name and number, an outbound whisper flow with
 * a dynamic caller ID, two transfers (static caller ID; dynamic caller ID with a fallback), and an outbound
 * campaign with answering machine detection and a call-progress flow. Its inventory is the example instance's,
 * committed in cdk.context.json, so `npx cdk synth` runs offline.
 */
import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  CallerId, CallProgressFlow, CallProgressStep, ClaimedNumbers, DiallingMode, OutboundCampaign, OutboundQueue, OutboundWhisperFlow,
  TransferDestination, TransferFlowType, TransferToPhoneNumberFlow,
} from '../lib';

export const EXAMPLE_INSTANCE_ARN = 'arn:aws:connect:ap-northeast-1:123456789012:instance/7c4e1f0a-5d2b-4c8e-9a61-3f2d8b7e6a10';
const HOURS_ARN = `${EXAMPLE_INSTANCE_ARN}/operating-hours/2d3e4f50-6172-4839-a4b5-c6d7e8f90a1b`;

export class ExampleContactCentreStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const numbers = ClaimedNumbers.fromLookup(this, 'ClaimedNumbers', { instanceArn: EXAMPLE_INSTANCE_ARN });

    // Agents' outbound calls show the number held in the contact attribute `callerId` (set per line of
    // business); a value that is not a claimed number falls back to the queue's number.
    const whisper = new OutboundWhisperFlow(this, 'OutboundWhisper', {
      claimedNumbers: numbers,
      name: 'Outbound whisper - caller ID by line of business',
      callerId: CallerId.fromAttribute('callerId'),
      prompt: 'This call may be recorded.',
    });

    const salesQueue = new OutboundQueue(this, 'SalesQueue', {
      claimedNumbers: numbers,
      name: 'Sales outbound',
      hoursOfOperationArn: HOURS_ARN,
      callerIdNumber: CallerId.fromNumber('+81368001234'),
      callerIdName: 'Example Corp',
      outboundWhisperFlow: whisper,
    });

    new TransferToPhoneNumberFlow(this, 'TransferToHeadOffice', {
      claimedNumbers: numbers,
      name: 'Transfer to head office',
      destination: TransferDestination.fromNumber('+81368009999'),
      callerId: CallerId.fromNumber('+81368001234'),
    });

    const toPartner = new TransferToPhoneNumberFlow(this, 'TransferToPartner', {
      claimedNumbers: numbers,
      name: 'Transfer to partner desk',
      flowType: TransferFlowType.QUEUE_TRANSFER,
      destination: TransferDestination.fromAttribute('partnerNumber'),
      callerId: CallerId.fromAttribute('transferCallerId'),
      fallbackCallerId: CallerId.fromNumber('+81368001235'),
      continueFlowExecution: true,
    });

    // Warnings reviewed for this contact centre, each acknowledged with its reason.
    CallerId.acknowledgeWarning(whisper, 'CALLER_ID_DYNAMIC',
      'The per-line-of-business number is set by our routing Lambda; the generated guard sends any other value to the queue number.');
    CallerId.acknowledgeWarning(toPartner, 'CALLER_ID_DYNAMIC',
      'The partner desk chooses the caller ID per contract; the generated guard falls back to +81368001235.');
    CallerId.acknowledgeWarning(salesQueue, 'CALLER_ID_NAME_NOT_SHOWN',
      'The name labels the queue for supervisors; these are Japanese numbers, where no caller ID name is shown to customers anyway.');

    // A renewal campaign: people who answer go to the sales agents; a voicemail greeting gets a message once
    // its beep has sounded (awaitPrompt), so the recording holds the whole message.
    const renewalCalls = new CallProgressFlow(this, 'RenewalCallProgress', {
      claimedNumbers: numbers,
      name: 'Renewal campaign - call progress',
      callAnswered: CallProgressStep.transferToQueue(salesQueue, {
        whenAtCapacity: CallProgressStep.playMessageAndDisconnect('All our agents are busy. We will call you again.'),
      }),
      voicemailBeep: CallProgressStep.setAttributes({ renewalOutcome: 'voicemail' },
        CallProgressStep.playMessageAndDisconnect('This is Example Corp about your renewal. Please call us back on 03-6800-1234.')),
      voicemailNoBeep: CallProgressStep.setAttributes({ renewalOutcome: 'voicemail-no-beep' }, CallProgressStep.disconnect()),
      notDetected: CallProgressStep.transferToQueue(salesQueue),
    });

    new OutboundCampaign(this, 'RenewalCampaign', {
      claimedNumbers: numbers,
      name: 'Renewals',
      sourceCallerId: CallerId.fromNumber('+81368001234'),
      mode: DiallingMode.progressive({ bandwidthAllocation: 1 }),
      queue: salesQueue,
      contactFlow: renewalCalls,
      answerMachineDetection: { enabled: true, awaitPrompt: true },
      ringTimeout: Duration.seconds(30),
    });
  }
}

if (require.main === module) {
  const app = new App();
  new ExampleContactCentreStack(app, 'ExampleContactCentre', { env: { account: '123456789012', region: 'ap-northeast-1' } });
  app.synth();
}
