import { Stack, Token } from 'aws-cdk-lib';
import { CfnContactFlow, CfnQueue } from 'aws-cdk-lib/aws-connect';
import { Construct, IConstruct } from 'constructs';
import { CallProgressOutcome } from '../core/campaign-rules';
import { isInstanceResourceArn } from '../core/connect-arn';
import { CallerIdInputError } from '../core/errors';
import { ActionHandle, FlowBuilder } from '../core/flow/builder';
import { ActionTypes, ContactFlowType, FlowDocument } from '../core/flow/model';
import { readFlowExport } from '../core/flow/reader';
import { ClaimedNumbers } from './claimed-numbers';
import { IConnectQueue } from './connect-queue';
import { documentContent } from './flow-content';
import { listProblems, validateName } from './props';
import { StackBudget } from './stack-budget';
import { brand, hasBrand } from './brand';
import { computeLogicalIdOnce } from './logical-id';

/** What a call-progress branch does. */
export enum CallProgressStepKind {
  TRANSFER_TO_QUEUE = 'TRANSFER_TO_QUEUE',
  PLAY_MESSAGE_AND_DISCONNECT = 'PLAY_MESSAGE_AND_DISCONNECT',
  SET_ATTRIBUTES = 'SET_ATTRIBUTES',
  DISCONNECT = 'DISCONNECT',
}

/** Options for `CallProgressStep.transferToQueue`. */
export interface TransferToQueueStepOptions {
  /**
   * What happens when the queue is full.
   * @default CallProgressStep.disconnect()
   */
  readonly whenAtCapacity?: CallProgressStep;
  /**
   * What happens when the queue cannot be set or the transfer fails.
   * @default CallProgressStep.disconnect()
   */
  readonly onError?: CallProgressStep;
}

/**
 * What the call does on one branch of Check call progress. Steps are immutable; one step given to several
 * branches is emitted once and shared.
 */
export class CallProgressStep {
  /** Whether `x` is a `CallProgressStep`, also one made by another copy of this package (where `instanceof` is false). */
  public static isCallProgressStep(x: any): x is CallProgressStep {
    return hasBrand(x, 'CallProgressStep');
  }

  /**
   * Puts the call in `queue` for an agent: Set working queue (`UpdateContactTargetQueue`) then Transfer to
   * queue (`TransferContactToQueue`), with their error branches.
   */
  public static transferToQueue(queue: IConnectQueue, options: TransferToQueueStepOptions = {}): CallProgressStep {
    return new CallProgressStep(CallProgressStepKind.TRANSFER_TO_QUEUE, { queue, ...options });
  }

  /** Plays `text` (text to speech, `MessageParticipant`) and hangs up, e.g. to leave a voicemail message. */
  public static playMessageAndDisconnect(text: string): CallProgressStep {
    return new CallProgressStep(CallProgressStepKind.PLAY_MESSAGE_AND_DISCONNECT, { text });
  }

  /**
   * Sets user-defined contact attributes on the call (`UpdateContactAttributes`), e.g. to record the outcome
   * for reporting, then goes on with `then`. If the attributes cannot be set the call still goes on with `then`:
   * the call's outcome matters more than its record.
   */
  public static setAttributes(attributes: Record<string, string>, then: CallProgressStep): CallProgressStep {
    return new CallProgressStep(CallProgressStepKind.SET_ATTRIBUTES, { attributes: { ...attributes }, then });
  }

  /** Hangs up (`DisconnectParticipant`). */
  public static disconnect(): CallProgressStep {
    return new CallProgressStep(CallProgressStepKind.DISCONNECT, {});
  }

  public readonly kind: CallProgressStepKind;
  /** For `transferToQueue`. */
  public readonly queue?: IConnectQueue;
  /** For `transferToQueue`. */
  public readonly whenAtCapacity?: CallProgressStep;
  /** For `transferToQueue`. */
  public readonly onError?: CallProgressStep;
  /** For `playMessageAndDisconnect`. */
  public readonly text?: string;
  /** For `setAttributes`. */
  public readonly attributes?: Record<string, string>;
  /** For `setAttributes`. */
  public readonly then?: CallProgressStep;

  private constructor(kind: CallProgressStepKind, fields: {
    queue?: IConnectQueue; whenAtCapacity?: CallProgressStep; onError?: CallProgressStep; text?: string;
    attributes?: Record<string, string>; then?: CallProgressStep;
  }) {
    brand(this, 'CallProgressStep');
    this.kind = kind;
    this.queue = fields.queue;
    this.whenAtCapacity = fields.whenAtCapacity;
    this.onError = fields.onError;
    this.text = fields.text;
    this.attributes = fields.attributes;
    this.then = fields.then;
  }
}

/** The flow an outbound campaign runs when a call connects (the campaign's `ConnectContactFlowId`). */
export interface ICampaignContactFlow extends IConstruct {
  /** The flow's ARN. */
  readonly flowArn: string;
  /**
   * The flow's content, when known, so a campaign can check its settings against the flow.
   * @default - unknown: the campaign's consistency rules are not applied
   * @internal
   */
  readonly _flowDocument?: FlowDocument;
}

/** Options for `CallProgressFlow.fromFlowArn`. */
export interface ImportedCampaignContactFlowOptions {
  /**
   * The flow as exported from the Connect console (raw content, or a DescribeContactFlow response), so the
   * campaign can check its settings against it.
   * @default - none: the campaign's consistency rules are not applied to this flow
   */
  readonly exportedContent?: string;
}

export interface CallProgressFlowProps {
  /** The claimed numbers of the instance the flow belongs to. */
  readonly claimedNumbers: ClaimedNumbers;
  /** The flow name (1-127 characters). */
  readonly name: string;
  /** What happens when a person answers. */
  readonly callAnswered: CallProgressStep;
  /** What happens when a voicemail greeting ends in a beep. */
  readonly voicemailBeep: CallProgressStep;
  /** What happens when a voicemail greeting has no beep, or its beep was not recognised. */
  readonly voicemailNoBeep: CallProgressStep;
  /** What happens when Connect cannot tell a person from a machine (long silence, background noise). */
  readonly notDetected: CallProgressStep;
  /**
   * What happens when Check call progress fails once the call is connected.
   * @default CallProgressStep.disconnect()
   */
  readonly error?: CallProgressStep;
  /**
   * @default - no description
   */
  readonly description?: string;
}

const BRANCHES: readonly { readonly outcome: CallProgressOutcome; readonly prop: 'callAnswered' | 'voicemailBeep' | 'voicemailNoBeep' | 'notDetected'; readonly words: string }[] = [
  { outcome: CallProgressOutcome.CALL_ANSWERED, prop: 'callAnswered', words: 'call answered' },
  { outcome: CallProgressOutcome.VOICEMAIL_BEEP, prop: 'voicemailBeep', words: 'voicemail beep' },
  { outcome: CallProgressOutcome.VOICEMAIL_NO_BEEP, prop: 'voicemailNoBeep', words: 'voicemail no beep' },
  { outcome: CallProgressOutcome.NOT_DETECTED, prop: 'notDetected', words: 'not detected' },
];

/** Contact attribute keys Connect accepts: letters, digits, dash and underscore. */
const ATTRIBUTE_KEY = /^[A-Za-z0-9_-]+$/;

/**
 * The flow a campaign with answering machine detection runs: Check call progress first, then a typed step
 * for each of its five branches (a person, a voicemail with or without a beep, not detected, error).
 *
 * It is a `CONTACT_FLOW` (an inbound flow), not a `CAMPAIGN` flow. The campaign's telephony
 * `ConnectContactFlowId` names the flow that runs on the connected call; every block used here (Check call
 * progress, Play prompt, Disconnect, Set working queue, Transfer to queue, Set contact attributes) is
 * documented for inbound flows, and the campaign flows found in public repositories are inbound flows. The
 * `CAMPAIGN` type is something else: the multichannel journey a campaign can follow (`ConnectCampaignFlowArn`),
 * made of journey blocks such as Send SMS (admin guide, "Create an outbound campaign using the API or CLI").
 */
export class CallProgressFlow extends Construct implements ICampaignContactFlow {
  /** Whether `x` is a `CallProgressFlow`, also one made by another copy of this package (where `instanceof` is false). */
  public static isCallProgressFlow(x: any): x is CallProgressFlow {
    return hasBrand(x, 'CallProgressFlow');
  }

  /**
   * A flow defined elsewhere, by ARN. Give its exported content to have the campaign's consistency rules
   * applied to it too.
   */
  public static fromFlowArn(scope: Construct, id: string, flowArn: string, options: ImportedCampaignContactFlowOptions = {}): ICampaignContactFlow {
    return new ImportedCampaignContactFlow(scope, id, flowArn, options);
  }

  public readonly flowArn: string;
  /** The generated flow, as deployed (values from other resources still tokens). */
  /** @internal */
  public readonly _flowDocument: FlowDocument;
  /** The underlying `AWS::Connect::ContactFlow`. */
  public readonly resource: CfnContactFlow;

  constructor(scope: Construct, id: string, props: CallProgressFlowProps) {
    super(scope, id);
    brand(this, 'CallProgressFlow');
    validateName(this, props.name);
    const error = props.error ?? CallProgressStep.disconnect();
    const problems = [
      ...BRANCHES.flatMap((b) => stepProblems(props[b.prop], b.prop)),
      ...stepProblems(error, 'error'),
    ];
    if (problems.length > 0) throw new Error(`${this.node.path}: ${listProblems(problems)}`);

    const builder = new FlowBuilder({
      type: ContactFlowType.CONTACT_FLOW, name: props.name, description: props.description, isDeployTimeValue: Token.isUnresolved,
    });
    const check = builder.add(ActionTypes.CHECK_CALL_PROGRESS, {}, 'check call progress');
    builder.start(check);
    const steps = new StepEmitter(builder);
    for (const branch of BRANCHES) check.onCondition('Equals', branch.outcome, steps.emit(props[branch.prop], branch.words));
    check.onError('NoMatchingError', steps.emit(error, 'error'));

    try {
      this._flowDocument = builder.build();
    } catch (e) {
      if (e instanceof CallerIdInputError) throw new Error(`${this.node.path}: the generated flow is not valid: ${e.message}`);
      throw e;
    }
    this.resource = new CfnContactFlow(this, 'Resource', {
      instanceArn: props.claimedNumbers.instanceArn,
      name: props.name,
      type: ContactFlowType.CONTACT_FLOW,
      content: documentContent(this, this._flowDocument),
      description: props.description,
    });
    computeLogicalIdOnce(this.resource);
    this.flowArn = this.resource.attrContactFlowArn;
    StackBudget.of(Stack.of(this)).addFlow(this.resource);
  }
}

class ImportedCampaignContactFlow extends Construct implements ICampaignContactFlow {
  /** @internal */
  public readonly _flowDocument?: FlowDocument;

  constructor(scope: Construct, id: string, public readonly flowArn: string, options: ImportedCampaignContactFlowOptions) {
    super(scope, id);
    if (!Token.isUnresolved(flowArn) && !isInstanceResourceArn(flowArn, 'contact-flow')) {
      throw new Error(`${this.node.path}: flowArn ${JSON.stringify(flowArn)} is not a flow ARN; ` +
        'expected arn:<partition>:connect:<region>:<account>:instance/<instance id>/contact-flow/<flow id>');
    }
    if (options.exportedContent !== undefined) {
      try {
        this._flowDocument = readFlowExport(options.exportedContent, `${this.node.path} exportedContent`).flow;
      } catch (e) {
        if (e instanceof CallerIdInputError) throw new Error(e.message);
        throw e;
      }
    }
  }
}

/** Emits each step once per flow, sharing one Disconnect block, so a step given to several branches is drawn once. */
class StepEmitter {
  private readonly emitted = new Map<CallProgressStep, ActionHandle>();
  private disconnectAction?: ActionHandle;

  constructor(private readonly builder: FlowBuilder) {}

  emit(step: CallProgressStep, words: string): ActionHandle {
    const known = this.emitted.get(step);
    if (known) return known;
    const action = this.create(step, words);
    this.emitted.set(step, action);
    return action;
  }

  private create(step: CallProgressStep, words: string): ActionHandle {
    switch (step.kind) {
      case CallProgressStepKind.DISCONNECT:
        return this.disconnect();
      case CallProgressStepKind.PLAY_MESSAGE_AND_DISCONNECT: {
        const end = this.disconnect();
        return this.builder.add(ActionTypes.MESSAGE_PARTICIPANT, { Text: step.text }, `${words} play message`)
          .next(end).onError('NoMatchingError', end);
      }
      case CallProgressStepKind.SET_ATTRIBUTES: {
        const then = this.emit(step.then!, words);
        return this.builder.add(ActionTypes.SET_CONTACT_ATTRIBUTES, { Attributes: { ...step.attributes }, TargetContact: 'Current' }, `${words} set attributes`)
          .next(then).onError('NoMatchingError', then);
      }
      case CallProgressStepKind.TRANSFER_TO_QUEUE: {
        const onError = this.emit(step.onError ?? CallProgressStep.disconnect(), words);
        const atCapacity = this.emit(step.whenAtCapacity ?? CallProgressStep.disconnect(), words);
        // Transfer to queue has no success branch of its own: the builder writes its Error target as NextAction.
        const transfer = this.builder.add(ActionTypes.TRANSFER_TO_QUEUE, {}, `${words} transfer to queue`)
          .onError('QueueAtCapacity', atCapacity).onError('NoMatchingError', onError);
        return this.builder.add(ActionTypes.SET_WORKING_QUEUE, { QueueId: step.queue!.queueArn }, `${words} set working queue`, { queueName: queueName(step.queue!) })
          .next(transfer).onError('NoMatchingError', onError);
      }
    }
  }

  private disconnect(): ActionHandle {
    this.disconnectAction ??= this.builder.add(ActionTypes.DISCONNECT, {}, 'disconnect');
    return this.disconnectAction;
  }
}

/**
 * The name the designer shows for a queue: the `Name` of the queue's `AWS::Connect::Queue` when it is defined in
 * this app (an `OutboundQueue`'s `Resource`); unknown for a queue imported by ARN.
 */
function queueName(queue: IConnectQueue): string | undefined {
  const resource = queue.node.tryFindChild('Resource');
  return CfnQueue.isCfnQueue(resource) ? resource.name : undefined;
}

/** What is wrong with a step (and the steps it leads to) on its own, naming where it was given. */
function stepProblems(step: CallProgressStep | undefined, where: string): string[] {
  if (!CallProgressStep.isCallProgressStep(step)) return [`${where} must be a CallProgressStep (e.g. CallProgressStep.disconnect()), got ${String(step)}`];
  switch (step.kind) {
    case CallProgressStepKind.PLAY_MESSAGE_AND_DISCONNECT:
      return !Token.isUnresolved(step.text) && (typeof step.text !== 'string' || step.text.trim().length === 0)
        ? [`${where}: playMessageAndDisconnect needs the text to speak, got ${JSON.stringify(step.text)}`]
        : [];
    case CallProgressStepKind.SET_ATTRIBUTES: {
      const keys = Object.keys(step.attributes ?? {});
      const problems = keys.length === 0 ? [`${where}: setAttributes needs at least one attribute`] : [];
      for (const key of keys.filter((k) => !Token.isUnresolved(k) && !ATTRIBUTE_KEY.test(k))) {
        problems.push(`${where}: setAttributes key ${JSON.stringify(key)} is refused; attribute keys are letters, digits, - and _`);
      }
      return [...problems, ...stepProblems(step.then, `${where} then`)];
    }
    case CallProgressStepKind.TRANSFER_TO_QUEUE:
      return [
        ...(step.queue?.queueArn === undefined ? [`${where}: transferToQueue needs a queue`] : []),
        ...(step.whenAtCapacity ? stepProblems(step.whenAtCapacity, `${where} whenAtCapacity`) : []),
        ...(step.onError ? stepProblems(step.onError, `${where} onError`) : []),
      ];
    default:
      return [];
  }
}
