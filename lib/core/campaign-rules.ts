import { Finding, Severity } from './findings';
import { ActionTypes, FlowDocument } from './flow/model';
import { reachableFrom } from './flow/structure';
import { finding, RuleDefinition } from './rules';

/**
 * The results of Check call progress (`CheckOutboundCallStatus`), the only operands its conditions accept.
 * Its fifth branch, Error, is the `NoMatchingError` error.
 */
export enum CallProgressOutcome {
  /** A person answered. */
  CALL_ANSWERED = 'CallAnswered',
  /** A voicemail greeting ending in a beep. */
  VOICEMAIL_BEEP = 'VoicemailBeep',
  /** A voicemail greeting with no beep, or one whose beep was not recognised. */
  VOICEMAIL_NO_BEEP = 'VoicemailNoBeep',
  /** Connect could not tell (long silence, background noise). */
  NOT_DETECTED = 'NotDetected',
}

/** How an outbound campaign paces its calls (`ChannelSubtypeConfig.Telephony.OutboundMode`). */
export enum DiallingModeKind {
  /** Dials when an agent of the queue is free, one call per agent. */
  PROGRESSIVE = 'PROGRESSIVE',
  /** Dials ahead of free agents, predicting answers. */
  PREDICTIVE = 'PREDICTIVE',
  /** Dials without agents: the campaign's flow handles the whole call. */
  AGENTLESS = 'AGENTLESS',
  /** Shows the contact to an agent, who calls after a countdown. */
  PREVIEW = 'PREVIEW',
}

/** Whether a dialling mode reserves agents of a queue, so the campaign needs one. */
export function modeUsesAgents(mode: DiallingModeKind): boolean {
  return mode !== DiallingModeKind.AGENTLESS;
}

/** An inclusive range of accepted values. */
export interface ValueRange {
  readonly min: number;
  readonly max: number;
}

/** The value ranges of `AWS::ConnectCampaignsV2::Campaign` (CloudFormation resource schema and the Outbound Campaigns V2 API). */
export const CampaignLimits = {
  /** `ProgressiveConfig`/`PredictiveConfig`/`PreviewConfig.BandwidthAllocation`. */
  bandwidthAllocation: { min: 0, max: 1 },
  /**
   * `Telephony.Capacity`. The CloudFormation page says 0-1; the resource schema and the API say 0.01-1, and
   * the API is what finally judges the value.
   */
  capacity: { min: 0.01, max: 1 },
  /** `DefaultOutboundConfig.RingTimeout`, seconds. */
  ringTimeoutSeconds: { min: 15, max: 60 },
  /** `PreviewConfig.TimeoutConfig.DurationInSeconds`. */
  previewTimeoutSeconds: { min: 10, max: 300 },
} as const satisfies Record<string, ValueRange>;

/** What is wrong with `value` for `property`, or undefined when it is in range (and whole, when `whole`). */
export function rangeProblem(property: string, value: number, range: ValueRange, unit = '', whole = false): string | undefined {
  const shown = `${value}${unit}`;
  if (!Number.isFinite(value) || value < range.min || value > range.max) {
    return `${property} ${shown} is out of range; accepted ${range.min}${unit} to ${range.max}${unit}`;
  }
  if (whole && !Number.isInteger(value)) {
    return `${property} ${shown} is not a whole number; accepted whole numbers from ${range.min}${unit} to ${range.max}${unit}`;
  }
  return undefined;
}

const CHECK_CALL_PROGRESS_BLOCK = 'Connect admin guide, flow block "Check call progress"';
const CAMPAIGN_API = 'Connect Outbound Campaigns V2 API, AnswerMachineDetectionConfig';

/**
 * The rules that judge a campaign's settings against its contact flow. Ids are stable. Severity: an error when
 * the calls would be handled wrongly as written; a warning when the setup is legitimate but usually a mistake.
 */
export const CampaignRules = {
  DETECTION_NOT_CHECKED: {
    id: 'CAMPAIGN_DETECTION_NOT_CHECKED', severity: Severity.WARNING,
    trigger: 'Answering machine detection is on, but the campaign\'s flow never runs a Check call progress block.',
    fix: 'Branch on the result with a Check call progress block (`CallProgressFlow`), or turn detection off.',
    source: `${CHECK_CALL_PROGRESS_BLOCK}: the block is how a flow acts on the detection result. A warning, not an error: the result is still recorded on the contact`,
  },
  CALL_PROGRESS_WITHOUT_DETECTION: {
    id: 'CAMPAIGN_CALL_PROGRESS_WITHOUT_DETECTION', severity: Severity.ERROR,
    trigger: 'The campaign\'s flow branches on Check call progress, but the campaign has answering machine detection off.',
    fix: 'Turn detection on (`answerMachineDetection: { enabled: true }`), or remove the Check call progress block.',
    source: `${CHECK_CALL_PROGRESS_BLOCK}: its branches are the result of answering machine detection; ${CAMPAIGN_API}`,
  },
  VOICEMAIL_MESSAGE_OVER_GREETING: {
    id: 'CAMPAIGN_VOICEMAIL_MESSAGE_OVER_GREETING', severity: Severity.ERROR,
    trigger: 'A voicemail branch plays a message while the campaign does not wait for the greeting to end (`awaitPrompt` off).',
    fix: 'Set `answerMachineDetection.awaitPrompt: true` so the message starts after the beep, or disconnect on voicemail.',
    source: `${CAMPAIGN_API}: AwaitAnswerMachinePrompt waits for the prompt (the beep after the greeting); Twilio's equivalent is DetectMessageEnd`,
  },
  AGENTLESS_QUEUE_TRANSFER: {
    id: 'CAMPAIGN_AGENTLESS_QUEUE_TRANSFER', severity: Severity.WARNING,
    trigger: 'An agentless campaign whose flow transfers the call to a queue.',
    fix: 'Use a progressive, predictive or preview campaign with that queue, or acknowledge the warning if agents are staffed for it.',
    source: 'Connect outbound campaigns: an agentless campaign dials without reserving agent capacity, so callers transferred to a queue wait for whoever is free',
  },
  QUEUE_CALLER_ID_UNCHECKED: {
    id: 'CAMPAIGN_QUEUE_CALLER_ID_UNCHECKED', severity: Severity.WARNING,
    trigger: 'A campaign whose queue is not an `OutboundQueue` of the app, so the queue\'s own caller ID number, which customers may see, is not checked.',
    fix: 'Give the campaign an `OutboundQueue` of the same app, or add `CallerIdChecks` for the stack that defines the queue, or acknowledge the warning.',
    source: 'Connect outbound campaigns API reference: when a queue is given, its outbound caller ID number is shown to customers',
  },
} as const satisfies Record<string, RuleDefinition>;

/** The campaign settings the consistency rules read. */
export interface CampaignSettings {
  readonly mode: DiallingModeKind;
  readonly answerMachineDetection: boolean;
  readonly awaitAnswerMachinePrompt: boolean;
}

/** A message played on the voicemail branches of a Check call progress block. */
export interface VoicemailMessage {
  /** The voicemail outcomes whose branch reaches the message. */
  readonly outcomes: CallProgressOutcome[];
  /** The Check call progress action whose branches they are. */
  readonly checkActionId: string;
  /** The action that plays the message. */
  readonly messageActionId: string;
}

/** What the consistency rules need to know about a flow: only what can run, from its start action. */
export interface CampaignFlowFacts {
  /** The Check call progress actions. */
  readonly callProgressChecks: string[];
  /** Messages played on a voicemail branch. */
  readonly voicemailMessages: VoicemailMessage[];
  /** The Transfer to queue actions. */
  readonly queueTransfers: string[];
  /**
   * Whether the flow hands the contact to another flow or a module, whose actions are not known here; a
   * rule that needs to see every action of the call is then not applied.
   */
  readonly leavesFlow: boolean;
}

const PROMPT_ACTIONS: ReadonlySet<string> = new Set([ActionTypes.MESSAGE_PARTICIPANT, 'MessageParticipantIteratively']);
const HAND_OFF_ACTIONS: ReadonlySet<string> = new Set([ActionTypes.TRANSFER_TO_FLOW, 'InvokeFlowModule']);
const VOICEMAIL_OUTCOMES: ReadonlySet<string> = new Set([CallProgressOutcome.VOICEMAIL_BEEP, CallProgressOutcome.VOICEMAIL_NO_BEEP]);

/** Reads the facts the campaign rules need from a flow, following transitions from its start action. */
export function campaignFlowFacts(flow: FlowDocument): CampaignFlowFacts {
  const byId = new Map(flow.Actions.map((a) => [a.Identifier, a]));
  const reachable = reachableFrom(byId, [flow.StartAction]);
  const runs = flow.Actions.filter((a) => reachable.has(a.Identifier));

  const checks = runs.filter((a) => a.Type === ActionTypes.CHECK_CALL_PROGRESS);
  const voicemailMessages: VoicemailMessage[] = [];
  for (const check of checks) {
    // One entry per message, however many voicemail branches share it, so each message is reported once.
    const outcomesByMessage = new Map<string, CallProgressOutcome[]>();
    for (const condition of check.Transitions.Conditions ?? []) {
      const outcome = condition.Condition.Operands[0];
      if (!VOICEMAIL_OUTCOMES.has(outcome)) continue;
      for (const id of reachableFrom(byId, [condition.NextAction])) {
        if (!PROMPT_ACTIONS.has(byId.get(id)!.Type)) continue;
        const outcomes = outcomesByMessage.get(id) ?? [];
        if (!outcomes.includes(outcome as CallProgressOutcome)) outcomes.push(outcome as CallProgressOutcome);
        outcomesByMessage.set(id, outcomes);
      }
    }
    for (const [messageActionId, outcomes] of outcomesByMessage) {
      voicemailMessages.push({ outcomes, checkActionId: check.Identifier, messageActionId });
    }
  }
  return {
    callProgressChecks: checks.map((a) => a.Identifier),
    voicemailMessages,
    queueTransfers: runs.filter((a) => a.Type === ActionTypes.TRANSFER_TO_QUEUE).map((a) => a.Identifier),
    leavesFlow: runs.some((a) => HAND_OFF_ACTIONS.has(a.Type)),
  };
}

/** Judges a campaign's settings against the flow its calls run. */
export function checkCampaignFlow(settings: CampaignSettings, flow: FlowDocument): Finding[] {
  const facts = campaignFlowFacts(flow);
  const findings: Finding[] = [];

  if (settings.answerMachineDetection && facts.callProgressChecks.length === 0 && !facts.leavesFlow) {
    findings.push(finding(CampaignRules.DETECTION_NOT_CHECKED,
      'answerMachineDetection is on, but the contact flow never runs Check call progress (CheckOutboundCallStatus): ' +
      'calls answered by a voicemail greeting are handled exactly like people. Branch on the result with a CallProgressFlow, ' +
      'or turn detection off'));
  }

  if (!settings.answerMachineDetection) {
    for (const id of facts.callProgressChecks) {
      findings.push(finding(CampaignRules.CALL_PROGRESS_WITHOUT_DETECTION,
        'the contact flow branches on Check call progress, but answerMachineDetection is off: Connect cannot tell a person ' +
        'from a voicemail greeting, so the voicemail branches never run as designed. ' +
        'Set answerMachineDetection: { enabled: true }, or remove the Check call progress block', id));
    }
  }

  if (settings.answerMachineDetection && !settings.awaitAnswerMachinePrompt) {
    for (const m of facts.voicemailMessages) {
      findings.push(finding(CampaignRules.VOICEMAIL_MESSAGE_OVER_GREETING,
        `the ${m.outcomes.join(' and ')} branch${m.outcomes.length > 1 ? 'es' : ''} of "${m.checkActionId}" play${m.outcomes.length > 1 ? '' : 's'} a message, ` +
        'but answerMachineDetection.awaitPrompt is off: ' +
        'the message starts while the greeting is still playing, so the recording misses its beginning. ' +
        'Set awaitPrompt: true so the message starts after the beep, or disconnect on voicemail', m.messageActionId));
    }
  }

  if (settings.mode === DiallingModeKind.AGENTLESS) {
    for (const id of facts.queueTransfers) {
      findings.push(finding(CampaignRules.AGENTLESS_QUEUE_TRANSFER,
        'the campaign is agentless but its contact flow transfers the call to a queue: the dialler paces calls without ' +
        'reserving agents, so customers wait for whoever is free or abandon. Use a progressive, predictive or preview ' +
        'campaign with that queue, or acknowledge this warning if agents are staffed for it', id));
    }
  }
  return findings;
}

