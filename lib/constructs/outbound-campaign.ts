import { Duration, Token } from 'aws-cdk-lib';
import { CfnCampaign } from 'aws-cdk-lib/aws-connectcampaignsv2';
import { Construct } from 'constructs';
import {
  CampaignLimits, CampaignRules, checkCampaignFlow, DiallingModeKind, modeUsesAgents, rangeProblem, ValueRange,
} from '../core/campaign-rules';
import { Finding } from '../core/findings';
import { CallerIdContext, finding } from '../core/rules';
import { ICampaignContactFlow } from './call-progress-flow';
import { CallerId } from './caller-id';
import { assertClaimedByInstance, judgeStaticOnly } from './caller-id-judgement';
import { ClaimedNumbers } from './claimed-numbers';
import { instanceIdOfArn, resourceIdOfArn } from './connect-arns';
import { IConnectQueue } from './connect-queue';
import { registerStaticNumbers } from './deploy-time-uses';
import { OutboundQueue } from './outbound-queue';
import { listProblems, validateName } from './props';
import { reportFindings } from './report';
import { brand, hasBrand } from './brand';
import { computeLogicalIdOnce } from './logical-id';

/** Options of the dialling modes that reserve agents of the campaign's queue. */
export interface AgentDiallingOptions {
  /**
   * The share of the queue's agent capacity this campaign dials for (Connect's `BandwidthAllocation`), 0 to 1.
   * @default 1
   */
  readonly bandwidthAllocation?: number;
}

/** What an agent may do with a previewed contact besides calling it. */
export enum PreviewAgentAction {
  /** Discard the contact without calling. */
  DISCARD = 'DISCARD',
}

/** Options of `DiallingMode.preview`. */
export interface PreviewDiallingOptions extends AgentDiallingOptions {
  /** How long the agent sees the contact before the call is placed (10-300 seconds). */
  readonly timeout: Duration;
  /**
   * What the agent may do during the preview besides calling.
   * @default - nothing: every previewed contact is called
   */
  readonly agentActions?: PreviewAgentAction[];
}

/** How an outbound campaign paces its calls. Parameters are checked by the campaign that uses the mode. */
export class DiallingMode {
  /** Whether `x` is a `DiallingMode`, also one made by another copy of this package (where `instanceof` is false). */
  public static isDiallingMode(x: any): x is DiallingMode {
    return hasBrand(x, 'DiallingMode');
  }

  /** Dials when an agent of the queue is free, one call per free agent. Needs a queue. */
  public static progressive(options: AgentDiallingOptions = {}): DiallingMode {
    return new DiallingMode(DiallingModeKind.PROGRESSIVE, options.bandwidthAllocation ?? 1);
  }

  /** Dials ahead of free agents, predicting how many calls will be answered. Needs a queue. */
  public static predictive(options: AgentDiallingOptions = {}): DiallingMode {
    return new DiallingMode(DiallingModeKind.PREDICTIVE, options.bandwidthAllocation ?? 1);
  }

  /** Dials without agents: the contact flow handles the whole call (e.g. a message and a hang-up). */
  public static agentless(): DiallingMode {
    return new DiallingMode(DiallingModeKind.AGENTLESS, undefined);
  }

  /** Shows each contact to an agent, and calls once `timeout` has run out. Needs a queue. */
  public static preview(options: PreviewDiallingOptions): DiallingMode {
    return new DiallingMode(DiallingModeKind.PREVIEW, options.bandwidthAllocation ?? 1, options.timeout, options.agentActions);
  }

  private constructor(
    public readonly kind: DiallingModeKind,
    /** The share of the queue's agent capacity; undefined for agentless. */
    public readonly bandwidthAllocation: number | undefined,
    /** For preview: how long the agent sees the contact. */
    public readonly previewTimeout?: Duration,
    /** For preview: what the agent may do besides calling. */
    public readonly agentActions?: PreviewAgentAction[],
  ) {
    brand(this, 'DiallingMode');
  }

  /** Whether the mode reserves agents of a queue, so the campaign needs one. */
  public get usesAgents(): boolean {
    return modeUsesAgents(this.kind);
  }
}

/** Answering machine detection settings. */
export interface AnswerMachineDetection {
  /**
   * Tell a person from an answering machine on each call. The contact flow acts on the result with Check call
   * progress (`CallProgressFlow`).
   */
  readonly enabled: boolean;
  /**
   * Wait for the voicemail greeting to end (its beep) before the voicemail branch runs, so a message played
   * there is recorded whole. Only with `enabled`.
   * @default false
   */
  readonly awaitPrompt?: boolean;
}

export interface OutboundCampaignProps {
  /** The claimed numbers of the campaign's instance. */
  readonly claimedNumbers: ClaimedNumbers;
  /** The campaign name (1-127 characters). */
  readonly name: string;
  /**
   * The caller ID the customers see (`ConnectSourcePhoneNumber`): a claimed number, fixed before the call
   * (`CallerId.fromNumber` or `CallerId.fromClaimedNumber`).
   */
  readonly sourceCallerId: CallerId;
  /** How the campaign paces its calls. */
  readonly mode: DiallingMode;
  /** The flow that runs when a call connects, usually a `CallProgressFlow`. */
  readonly contactFlow: ICampaignContactFlow;
  /**
   * The queue whose agents take the calls. Required by the progressive, predictive and preview modes, refused
   * by the agentless mode (see the README).
   * @default - none; required unless the mode is agentless
   */
  readonly queue?: IConnectQueue;
  /**
   * Answering machine detection.
   * @default - detection off
   */
  readonly answerMachineDetection?: AnswerMachineDetection;
  /**
   * How long a call rings before it is given up (15-60 seconds). Not supported by the preview mode.
   * @default - Connect's default
   */
  readonly ringTimeout?: Duration;
  /**
   * The share of the instance's outbound telephony capacity this campaign may use while other campaigns run
   * (0.01 to 1).
   * @default - Connect's default
   */
  readonly capacity?: number;
}

/**
 * An outbound campaign (`AWS::ConnectCampaignsV2::Campaign`) with a checked source caller ID, checked dialling
 * parameters, and answering machine detection checked against the flow its calls run.
 */
export class OutboundCampaign extends Construct {
  /** Whether `x` is an `OutboundCampaign`, also one made by another copy of this package (where `instanceof` is false). */
  public static isOutboundCampaign(x: any): x is OutboundCampaign {
    return hasBrand(x, 'OutboundCampaign');
  }

  /** The campaign's ARN. */
  public readonly campaignArn: string;
  /** The underlying `AWS::ConnectCampaignsV2::Campaign`. */
  public readonly resource: CfnCampaign;

  constructor(scope: Construct, id: string, props: OutboundCampaignProps) {
    super(scope, id);
    brand(this, 'OutboundCampaign');
    validateName(this, props.name);
    const { claimedNumbers, sourceCallerId, mode } = props;
    const detection = props.answerMachineDetection;

    const problems = this.parameterProblems(props);
    if (problems.length > 0) throw new Error(`${this.node.path}: ${listProblems(problems)}`);

    assertClaimedByInstance(this, claimedNumbers, { sourceCallerId });
    const findings: Finding[] = [...judgeStaticOnly(this, claimedNumbers, sourceCallerId, CallerIdContext.CAMPAIGN, 'sourceCallerId')];
    if (props.contactFlow._flowDocument) {
      findings.push(...checkCampaignFlow({
        mode: mode.kind,
        answerMachineDetection: detection?.enabled === true,
        awaitAnswerMachinePrompt: detection?.awaitPrompt === true,
      }, props.contactFlow._flowDocument));
    }
    if (props.queue && !OutboundQueue.isOutboundQueue(props.queue)) {
      findings.push(finding(CampaignRules.QUEUE_CALLER_ID_UNCHECKED,
        `queue ${props.queue.node.path} is not an OutboundQueue of this app, so its outbound caller ID number, which ` +
        'customers may see instead of sourceCallerId, is not checked. Use an OutboundQueue, or check the queue\'s stack with CallerIdChecks'));
    }
    reportFindings(this, findings);

    this.resource = new CfnCampaign(this, 'Resource', {
      name: props.name,
      connectInstanceId: instanceIdOfArn(claimedNumbers.instanceArn),
      channelSubtypeConfig: {
        telephony: {
          capacity: props.capacity,
          connectQueueId: props.queue ? resourceIdOfArn(props.queue.queueArn) : undefined,
          outboundMode: outboundMode(mode),
          defaultOutboundConfig: {
            connectContactFlowId: resourceIdOfArn(props.contactFlow.flowArn),
            connectSourcePhoneNumber: sourceCallerId.value,
            answerMachineDetectionConfig: detection
              ? { enableAnswerMachineDetection: detection.enabled, awaitAnswerMachinePrompt: detection.awaitPrompt ?? false }
              : undefined,
            ringTimeout: props.ringTimeout?.toSeconds(),
          },
        },
      },
      // Per the CreateCampaign reference, the Connect admin website shows and edits only campaigns tagged
      // `owner` with their instance's ARN.
      tags: [{ key: 'owner', value: claimedNumbers.instanceArn }],
    });
    computeLogicalIdOnce(this.resource);
    this.campaignArn = this.resource.attrArn;
    registerStaticNumbers(this, claimedNumbers, [sourceCallerId], { context: CallerIdContext.CAMPAIGN });
  }

  private parameterProblems(props: OutboundCampaignProps): string[] {
    const { mode } = props;
    const problems: string[] = [];
    const check = (property: string, value: number | undefined, range: ValueRange, unit = '', whole = false): void => {
      if (value === undefined || Token.isUnresolved(value)) return;
      const problem = rangeProblem(property, value, range, unit, whole);
      if (problem) problems.push(problem);
    };

    if (!DiallingMode.isDiallingMode(mode)) {
      return [`mode must be a DiallingMode (e.g. DiallingMode.progressive()), got ${String(mode)}`];
    }
    check('mode bandwidthAllocation', mode.bandwidthAllocation, CampaignLimits.bandwidthAllocation);
    if (mode.kind === DiallingModeKind.PREVIEW) {
      check('mode timeout', seconds(mode.previewTimeout), CampaignLimits.previewTimeoutSeconds, ' s', true);
      for (const action of mode.agentActions ?? []) {
        if (!Object.values(PreviewAgentAction).includes(action)) {
          problems.push(`mode agentActions ${JSON.stringify(action)} is not one of ${Object.values(PreviewAgentAction).join(', ')}`);
        }
      }
    }
    check('capacity', props.capacity, CampaignLimits.capacity);
    if (props.ringTimeout !== undefined) {
      if (mode.kind === DiallingModeKind.PREVIEW) {
        problems.push(`ringTimeout ${seconds(props.ringTimeout)} s is not supported by the preview mode; remove it or choose another mode`);
      } else {
        check('ringTimeout', seconds(props.ringTimeout), CampaignLimits.ringTimeoutSeconds, ' s', true);
      }
    }

    if (mode.usesAgents && !props.queue) {
      problems.push(`queue is required by the ${mode.kind.toLowerCase()} mode: it dials for the agents of that queue`);
    }
    // Nothing in an agentless campaign paces calls to a queue's agents, and the API reference says a queue's
    // own caller ID number is what customers see when a queue is given: refusing it keeps sourceCallerId the
    // caller ID.
    if (!mode.usesAgents && props.queue) {
      problems.push('queue is refused by the agentless mode: no agents take its calls, and a queue\'s own caller ID ' +
        'number could replace sourceCallerId. Remove it, or transfer to a queue from the contact flow');
    }

    const detection = props.answerMachineDetection;
    if (detection && !detection.enabled && detection.awaitPrompt) {
      problems.push('answerMachineDetection.awaitPrompt only applies when detection is enabled; remove it or set enabled: true');
    }
    return problems;
  }
}

function seconds(duration: Duration | undefined): number | undefined {
  return duration?.toSeconds({ integral: false });
}

function outboundMode(mode: DiallingMode): CfnCampaign.TelephonyOutboundModeProperty {
  const bandwidthAllocation = mode.bandwidthAllocation!;
  switch (mode.kind) {
    case DiallingModeKind.PROGRESSIVE:
      return { progressiveConfig: { bandwidthAllocation } };
    case DiallingModeKind.PREDICTIVE:
      return { predictiveConfig: { bandwidthAllocation } };
    case DiallingModeKind.AGENTLESS:
      return { agentlessConfig: {} };
    case DiallingModeKind.PREVIEW:
      return {
        previewConfig: {
          bandwidthAllocation,
          timeoutConfig: { durationInSeconds: mode.previewTimeout!.toSeconds() },
          agentActions: mode.agentActions && mode.agentActions.length > 0 ? [...mode.agentActions] : undefined,
        },
      };
  }
}
