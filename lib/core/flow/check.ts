import { parseE164 } from '../e164';
import { Finding, Severity } from '../findings';
import { Inventory } from '../inventory';
import {
  CallerIdContext, callerIdValueForm, finding, judgeCallerIdName, judgeCallerIdValue, judgeDestination,
  judgeDynamicCallerId, judgeUnsetTransferCallerId, RuleDefinition, templatePlaceholderIn,
} from '../rules';
import { FlowGuards } from './guard';
import { ActionTypes, ContactFlowType, FlowAction, FlowDocument, MAX_FLOW_ACTIONS } from './model';
import { checkPublishRules, RuleNotRun } from './publish-rules';
import { FLOW_MODULE, FlowKind, ReadFlow } from './reader';
import { reachableFrom, successorsOf, validateFlowStructure } from './structure';

const FLOW_LANGUAGE = 'Connect flow language reference';
const PUBLISHED = 'Connect API reference, CreateContactFlow: the PUBLISHED status initiates validation of the content, SAVED does not';

/** Rules about where caller-ID actions may stand, and about how a flow's caller-ID values are written. */
export const FlowRules = {
  CALL_PHONE_NUMBER_WRONG_TYPE: {
    id: 'FLOW_CALL_PHONE_NUMBER_WRONG_TYPE', severity: Severity.ERROR,
    trigger: 'A Call phone number block (`CompleteOutboundCall`) in a flow that is not an outbound whisper flow.',
    fix: 'Move the block into an OUTBOUND_WHISPER flow and set that flow as the queue\'s outbound whisper flow.',
    source: `${FLOW_LANGUAGE}: CompleteOutboundCall is supported only in outbound whisper flows`,
  },
  PARTICIPANT_BEFORE_CALL: {
    id: 'FLOW_PARTICIPANT_BEFORE_CALL', severity: Severity.ERROR,
    trigger: 'A participant action (e.g. Play prompt) that can run before the Call phone number block.',
    fix: 'Put the Call phone number block first, right after the entry point.',
    source: 'Connect admin guide, "Set up outbound caller ID": the first participant action places the call with the queue\'s caller ID',
  },
  TRANSFER_WRONG_TYPE: {
    id: 'FLOW_TRANSFER_WRONG_TYPE', severity: Severity.ERROR,
    trigger: 'A Transfer to phone number block in a flow type where Connect does not allow it.',
    fix: 'Use it in an inbound (CONTACT_FLOW), CUSTOMER_QUEUE, AGENT_TRANSFER or QUEUE_TRANSFER flow.',
    source: `${FLOW_LANGUAGE}: TransferParticipantToThirdParty`,
  },
  VALUE_NOT_STRING: {
    id: 'FLOW_VALUE_NOT_STRING', severity: Severity.ERROR,
    trigger: 'A caller ID number or name or a transfer destination that is not a JSON string (a number, `null`, `true`, an object), ' +
      'or a `CallerId` that is not an object.',
    fix: 'Write the value as a string: `"+81368001234"` or `"$.Attributes.callerId"`, inside `"CallerId": {"Number": ...}`.',
    source: `${FLOW_LANGUAGE}: these parameters are strings, and every scalar parameter of a console export is one ` +
      '(what Connect does with another JSON type is unverified)',
  },
  TEMPLATE_PLACEHOLDER: {
    id: 'FLOW_TEMPLATE_PLACEHOLDER', severity: Severity.WARNING,
    trigger: 'In a file `check` reads, a caller ID or destination holding a template placeholder (`${var}`, `{{name}}`, `%NAME%`) ' +
      'that a deployment tool fills in: the value is not judged. One warning per file.',
    fix: 'Run `check` on the rendered file as it will be deployed, then acknowledge the warning. `ExportedFlow` and `CallerIdChecks` ' +
      'deploy content as written and refuse placeholders (`FLOW_TEMPLATE_PLACEHOLDER_DEPLOYED`).',
    source: 'CloudFormation `Fn::Sub`, Terraform `templatefile` and mustache templates, as flow files in repositories use them',
  },
  TEMPLATE_PLACEHOLDER_DEPLOYED: {
    id: 'FLOW_TEMPLATE_PLACEHOLDER_DEPLOYED', severity: Severity.ERROR,
    trigger: 'In flow content an app deploys (`ExportedFlow`, a `CfnContactFlow` that `CallerIdChecks` judges), a caller ID or ' +
      'destination holding a template placeholder (`${var}`, `{{name}}`, `%NAME%`): nothing fills it in after synth, so Connect ' +
      'receives it as written. One error per flow.',
    fix: 'Substitute the values before synth: render the file with its templating tool (or write the values into it) and give ' +
      '`ExportedFlow` the rendered file; for a `CfnContactFlow`, build the content with `Fn::Sub` and a variable map.',
    source: 'CloudFormation `AWS::Connect::ContactFlow`: Content is deployed as given; a literal `${var}` outside `Fn::Sub`, ' +
      '`{{name}}` or `%NAME%` is plain text to it',
  },
  DEFAULT_TYPE_CONTRADICTED: {
    id: 'FLOW_DEFAULT_TYPE_CONTRADICTED', severity: Severity.WARNING,
    trigger: 'A file that states no flow type and holds a Call phone number block (outbound whisper only), checked with another ' +
      'default type (`--type`). The rules use the type the content shows. (A flow module is not a flow of any type, so the default ' +
      'never applies to one.)',
    fix: 'Check that the file is the flow you mean to deploy as that type; give the type in the file (a `{Name, Type, Content}` ' +
      'object or `Metadata.type`), or acknowledge the warning.',
    source: `${FLOW_LANGUAGE}: CompleteOutboundCall is supported only in outbound whisper flows`,
  },
  DRAFT_UNPUBLISHABLE: {
    id: 'FLOW_DRAFT_UNPUBLISHABLE', severity: Severity.ERROR,
    trigger: 'A draft export (`Metadata.status` "SAVED", or an empty `StartAction`) with problems that Connect rejects when the flow ' +
      'is published: all of them in one finding, with the count per rule and the first actions.',
    fix: 'Connect every block and the entry point in the designer, publish the flow, and export it again.',
    source: PUBLISHED,
  },
} as const satisfies Record<string, RuleDefinition>;

/** The rules that depend on the flow type: they run only when the file, its content or `--type` tells it. */
export const FLOW_TYPE_RULES: readonly RuleDefinition[] = [FlowRules.CALL_PHONE_NUMBER_WRONG_TYPE, FlowRules.TRANSFER_WRONG_TYPE];

/** How many action identifiers a summary names. */
const SHOWN_ACTIONS = 5;

const TRANSFER_FLOW_TYPES: ReadonlySet<string> = new Set([
  ContactFlowType.CONTACT_FLOW, ContactFlowType.CUSTOMER_QUEUE, ContactFlowType.AGENT_TRANSFER, ContactFlowType.QUEUE_TRANSFER,
]);

/** Actions that put audio in front of the participant, placing an outbound call implicitly. */
const PARTICIPANT_ACTIONS: ReadonlySet<string> = new Set([
  ActionTypes.MESSAGE_PARTICIPANT, 'MessageParticipantIteratively', 'GetParticipantInput', 'ConnectParticipantWithLexBot',
]);

/** Whether the checked content is what deploys, or a file a deployment tool still renders. */
export enum FlowContentStage {
  /** The content deploys as written (`ExportedFlow`, `CallerIdChecks`): a template placeholder is an error. */
  DEPLOYED = 'deployed',
  /** A file checked before a templating tool renders it (the `check` command): a template placeholder is a warning. */
  TEMPLATE = 'template',
}

export interface FlowCheckOptions {
  /**
   * The flow type, or `FLOW_MODULE`. A module runs inside whichever flows invoke it, so, as with no type, the rules
   * that depend on the type (`FLOW_TYPE_RULES`) do not run.
   * @default - unknown: the rules that depend on the type do not run
   */
  readonly type?: FlowKind;
  /** The instance's claimed numbers; when undefined, claim checks are left to deploy time. */
  readonly inventory?: Inventory;
  /**
   * Tells values known only at deploy time (e.g. CDK tokens inside flow content); those are not judged here.
   * @default - every value is literal
   */
  readonly isDeployTimeValue?: (value: string) => boolean;
  /**
   * The length of the flow content as it will be deployed, when known (`ReadFlow.contentLength`).
   * @default - the length of the flow serialized
   */
  readonly contentLength?: number;
  /**
   * Numbers AWS Support approved as external caller IDs, each with its approval reference: they need not be
   * claimed (the country rules still apply).
   * @default - none: every caller ID must be claimed
   */
  readonly approvedExternalNumbers?: Readonly<Record<string, string>>;
  /**
   * Why the flow is a draft (`ReadFlow.draft`): its publish-time problems are then summarised in one
   * `FLOW_DRAFT_UNPUBLISHABLE` finding, since Connect stored it without validating it.
   * @default - not a draft: each problem is its own finding
   */
  readonly draft?: string;
  /**
   * Whether the content deploys as written, or is a file a templating tool renders first: this decides whether a
   * template placeholder is `FLOW_TEMPLATE_PLACEHOLDER_DEPLOYED` (an error) or `FLOW_TEMPLATE_PLACEHOLDER` (a warning).
   * @default FlowContentStage.DEPLOYED
   */
  readonly stage?: FlowContentStage;
}

/** A caller ID found in a flow. */
export interface FlowCallerIdUse {
  readonly actionId: string;
  readonly actionType: string;
  /** The raw `CallerId.Number`; undefined when the action sets none. */
  readonly value?: string;
}

/** Every action of a flow that places a call, with the caller ID it sets. */
export function callerIdUses(flow: FlowDocument): FlowCallerIdUse[] {
  const uses: FlowCallerIdUse[] = [];
  for (const action of flow.Actions) {
    if (action.Type !== ActionTypes.CALL_PHONE_NUMBER && action.Type !== ActionTypes.TRANSFER_TO_PHONE_NUMBER) continue;
    const number = callerIdParameters(action).number;
    const value = typeof number === 'string' && number.length > 0 ? number : undefined;
    uses.push({ actionId: action.Identifier, actionType: action.Type, ...(value !== undefined ? { value } : {}) });
  }
  return uses;
}

/** Whether the flow sets its caller ID from a reference (judged only at call time). */
export function usesDynamicCallerId(flow: FlowDocument): boolean {
  return callerIdUses(flow).some((u) => u.value !== undefined && callerIdValueForm(u.value) !== 'static');
}

/**
 * Everything Connect validates when the flow is published: version, start action, identifiers, transitions,
 * limits, and the publish-time rejections of `publish-rules.ts`. For a draft these are summarised in one finding.
 */
function publishTimeFindings(flow: FlowDocument, options: FlowCheckOptions): { findings: Finding[]; notRun: RuleNotRun[] } {
  const findings = validateFlowStructure(flow, options.contentLength);
  // A flow module runs inside whichever flows invoke it: the type-dependent publish rules cannot judge it.
  const type = options.type !== undefined && options.type !== FLOW_MODULE ? options.type : undefined;
  const publish = checkPublishRules(flow, { ...(type ? { type } : {}), isDeployTimeValue: options.isDeployTimeValue });
  append(findings, publish.findings);
  return { findings, notRun: publish.notRun };
}

/**
 * Applies every flow rule: what Connect validates at publish time, where caller-ID actions stand, and each caller
 * ID and destination. Work is linear in the size of the flow.
 */
export function checkFlow(flow: FlowDocument, options: FlowCheckOptions): Finding[] {
  return runFlowRules(flow, options).findings;
}

function runFlowRules(flow: FlowDocument, options: FlowCheckOptions): { findings: Finding[]; publishNotRun: RuleNotRun[] } {
  const findings: Finding[] = [];
  const publishTime = publishTimeFindings(flow, options);
  append(findings, options.draft !== undefined ? summariseDraft(publishTime.findings, options.draft) : publishTime.findings);
  const run = new FlowRun(flow, options);
  for (const action of flow.Actions) {
    if (action.Type === ActionTypes.CALL_PHONE_NUMBER) append(findings, run.checkCallPhoneNumber(action));
    if (action.Type === ActionTypes.TRANSFER_TO_PHONE_NUMBER) append(findings, run.checkTransfer(action));
  }
  append(findings, checkParticipantBeforeCall(flow, () => run.byId));
  append(findings, run.placeholderFinding());
  return { findings, publishNotRun: publishTime.notRun };
}

/** Where a flow's type came from. */
export enum FlowTypeSource {
  /** The file states it: a DescribeContactFlow or `{Name, Type, Content}` `Type`, `Metadata.type`, a module wrapper. */
  FILE = 'file',
  /** The content shows it: a Call phone number block (outbound whisper), `Settings` or `EndFlowModuleExecution` (module). */
  CONTENT = 'content',
  /** The caller's default for files that state none (`--type`). */
  DEFAULT = 'default',
}

/** Rules that did not run on a flow, and why. */
export interface RulesNotRun {
  readonly ruleIds: readonly string[];
  readonly reason: string;
}

/** How an exported flow was checked. */
export interface ExportCheck {
  /** @default - unknown */
  readonly type?: FlowKind;
  /** @default - no type */
  readonly typeSource?: FlowTypeSource;
  /** What tells the type, as a phrase (e.g. `Metadata.type is "outboundWhisper"`); undefined when there is none. */
  readonly typeEvidence?: string;
  readonly findings: Finding[];
  readonly notRun: readonly RulesNotRun[];
}

export interface ExportCheckOptions extends Omit<FlowCheckOptions, 'type' | 'contentLength' | 'draft' | 'stage'> {
  /**
   * Whether the file deploys as written or is rendered by a templating tool first.
   * @default FlowContentStage.TEMPLATE: an export checked as a file may still be a template
   */
  readonly stage?: FlowContentStage;
  /**
   * The type of flows that neither state one nor show one in their content.
   * @default - none: the rules that depend on the type do not run on such flows
   */
  readonly defaultType?: FlowKind;
}

/**
 * Checks a flow as read from an export. Its type is the one the file states; else the one its content shows (a
 * Call phone number block only runs in an outbound whisper flow; `Settings` and `EndFlowModuleExecution` belong to
 * flow modules); else `defaultType`. Rules that need a type it cannot have are listed as not run.
 */
export function checkFlowExport(read: ReadFlow, options: ExportCheckOptions): ExportCheck {
  const { defaultType, ...rest } = options;
  const resolved = flowKindOf(read, defaultType);
  const { findings, publishNotRun } = runFlowRules(read.flow, {
    stage: FlowContentStage.TEMPLATE,
    ...rest,
    ...(resolved ? { type: resolved.type } : {}),
    ...(read.contentLength !== undefined ? { contentLength: read.contentLength } : {}),
    ...(read.draft !== undefined ? { draft: read.draft } : {}),
  });
  // A module deploys as a flow module, never as a flow of the default type, so only a flow's shown type can contradict it.
  if (resolved?.source === FlowTypeSource.CONTENT && resolved.type !== FLOW_MODULE && defaultType !== undefined && defaultType !== resolved.type) {
    findings.push(finding(FlowRules.DEFAULT_TYPE_CONTRADICTED,
      `The file states no flow type and the default type is ${defaultType}, but ${resolved.evidence}, so it is checked as ` +
      `${resolved.type}, not as ${defaultType}. If it deploys as ${defaultType}, it is the wrong content for that type; otherwise ` +
      'state its type in the file, or acknowledge this warning'));
  }
  // The publish-time rules name only those of theirs that had an action to judge.
  const ruleIds = [...FLOW_TYPE_RULES.map((r) => r.id), ...publishNotRun.map((r) => r.ruleId)];
  const notRun: RulesNotRun[] = [];
  if (resolved === undefined) {
    notRun.push({ ruleIds, reason: 'the file states no flow type and its content does not show one; give the type (--type)' });
  } else if (resolved.type === FLOW_MODULE) {
    notRun.push({ ruleIds, reason: 'a flow module runs inside whichever flows invoke it, so the flow type is not known' });
  }
  return {
    ...(resolved ? { type: resolved.type, typeSource: resolved.source, typeEvidence: resolved.evidence } : {}),
    findings,
    notRun,
  };
}

function flowKindOf(read: ReadFlow, defaultType: FlowKind | undefined): { type: FlowKind; source: FlowTypeSource; evidence: string } | undefined {
  if (read.type !== undefined) return { type: read.type, source: FlowTypeSource.FILE, evidence: `the file states ${read.type}` };
  if (read.module) {
    return { type: FLOW_MODULE, source: read.module.stated ? FlowTypeSource.FILE : FlowTypeSource.CONTENT, evidence: read.module.evidence };
  }
  const call = read.flow.Actions.find((a) => a.Type === ActionTypes.CALL_PHONE_NUMBER);
  if (call) {
    return {
      type: ContactFlowType.OUTBOUND_WHISPER, source: FlowTypeSource.CONTENT,
      evidence: `its action "${call.Identifier}" is Call phone number (CompleteOutboundCall), which runs only in outbound whisper flows`,
    };
  }
  if (defaultType !== undefined) return { type: defaultType, source: FlowTypeSource.DEFAULT, evidence: 'the default type given' };
  return undefined;
}

/** A draft's publish-time errors in one finding: the count per rule and the first actions. */
function summariseDraft(problems: readonly Finding[], draft: string): Finding[] {
  const errors = problems.filter((p) => p.severity === Severity.ERROR);
  const others = problems.filter((p) => p.severity !== Severity.ERROR);
  if (errors.length === 0) return others;
  const perRule = new Map<string, number>();
  const actions: string[] = [];
  const seen = new Set<string>();
  for (const p of errors) {
    perRule.set(p.ruleId, (perRule.get(p.ruleId) ?? 0) + 1);
    if (p.actionId !== undefined && !seen.has(p.actionId)) {
      seen.add(p.actionId);
      actions.push(p.actionId);
    }
  }
  const rules = [...perRule.entries()].map(([id, n]) => `${id} x${n}`).join(', ');
  const shown = actions.slice(0, SHOWN_ACTIONS).map((a) => JSON.stringify(a)).join(', ');
  const where = actions.length === 0 ? ''
    : `; actions ${shown}${actions.length > SHOWN_ACTIONS ? ` and ${actions.length - SHOWN_ACTIONS} more` : ''}`;
  return [finding(FlowRules.DRAFT_UNPUBLISHABLE,
    `The flow is a draft (${draft}): Connect stored it without validating it, and it will fail to publish with ` +
    `${errors.length} problem${errors.length === 1 ? '' : 's'} (${rules}${where}). ` +
    'Connect every block and the entry point in the designer, publish the flow, and export it again'), ...others];
}

/** A caller ID object's parts as found, before their JSON types are judged. */
function callerIdParameters(action: FlowAction): { present: boolean; object: boolean; raw: unknown; number?: unknown; name?: unknown } {
  const raw = action.Parameters.CallerId;
  if (raw === undefined) return { present: false, object: false, raw };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { present: true, object: false, raw };
  const callerId = raw as Record<string, unknown>;
  return { present: true, object: true, raw, number: callerId.Number, name: callerId.Name };
}

/** The state of checking one flow: indexes built once, and the template placeholders met on the way. */
class FlowRun {
  private index?: ReadonlyMap<string, FlowAction>;
  private guards?: FlowGuards;
  private readonly placeholders: { actionId: string; property: string; placeholder: string }[] = [];

  constructor(private readonly flow: FlowDocument, private readonly options: FlowCheckOptions) {}

  /** The actions by identifier, indexed on first use: only flows with a Call phone number block need it. */
  public get byId(): ReadonlyMap<string, FlowAction> {
    this.index ??= new Map(this.flow.Actions.map((a) => [a.Identifier, a]));
    return this.index;
  }

  public checkCallPhoneNumber(action: FlowAction): Finding[] {
    const findings: Finding[] = [];
    const type = this.options.type;
    if (type !== undefined && type !== FLOW_MODULE && type !== ContactFlowType.OUTBOUND_WHISPER) {
      findings.push(finding(FlowRules.CALL_PHONE_NUMBER_WRONG_TYPE,
        `Call phone number (CompleteOutboundCall) is in a ${type} flow; Connect runs it only in OUTBOUND_WHISPER flows, ` +
        'so its caller ID would never be used. Move it to an outbound whisper flow', action.Identifier));
    }
    const callerId = this.callerIdOf(action, findings);
    if (callerId.number !== undefined) {
      append(findings, withAction(this.judgeCallerId(action, callerId.number, CallerIdContext.OUTBOUND_WHISPER), action.Identifier));
    }
    return findings;
  }

  public checkTransfer(action: FlowAction): Finding[] {
    const findings: Finding[] = [];
    const type = this.options.type;
    if (type !== undefined && type !== FLOW_MODULE && !TRANSFER_FLOW_TYPES.has(type)) {
      findings.push(finding(FlowRules.TRANSFER_WRONG_TYPE,
        `Transfer to phone number is in a ${type} flow; Connect allows it only in ${[...TRANSFER_FLOW_TYPES].join(', ')} flows`,
        action.Identifier));
    }
    // An empty string is FLOW_EMPTY_PARAMETER's: Connect refuses the flow, so no other judgement of it applies.
    const rawDestination = action.Parameters.ThirdPartyPhoneNumber;
    const destination = rawDestination === '' ? undefined : this.stringValue(action, 'ThirdPartyPhoneNumber', rawDestination, findings);
    const staticDestination = destination !== undefined && callerIdValueForm(destination) === 'static' ? destination : undefined;
    const callerId = this.callerIdOf(action, findings);
    const { number, name, numberGiven } = callerId;
    const context = CallerIdContext.TRANSFER;
    if (!numberGiven) {
      append(findings, withAction(judgeUnsetTransferCallerId({
        inventory: this.options.inventory, destination: staticDestination,
        subject: `Transfer to phone number sets no CallerId.Number${name !== undefined ? ` (only CallerId.Name ${JSON.stringify(name)})` : ''}`,
      }), action.Identifier));
    }
    const judgedWithNumber = number !== undefined && callerIdValueForm(number) === 'static';
    if (number !== undefined) {
      append(findings, withAction(this.judgeCallerId(action, number, context, {
        destination: staticDestination,
        callerIdName: judgedWithNumber ? name : undefined,
      }), action.Identifier));
    }
    if (name !== undefined && !judgedWithNumber) {
      append(findings, withAction(judgeCallerIdName({ name, context, property: 'CallerId.Name' }), action.Identifier));
    }
    if (destination !== undefined) append(findings, withAction(judgeDestination(destination, 'ThirdPartyPhoneNumber'), action.Identifier));
    return findings;
  }

  /**
   * One finding for the flow, naming the first values holding a placeholder; none when there were none. A file still
   * to be rendered gets a warning; content that deploys as written gets an error, since Connect would receive the
   * placeholder itself as the number.
   */
  public placeholderFinding(): Finding[] {
    const count = this.placeholders.length;
    if (count === 0) return [];
    const shown = this.placeholders.slice(0, 3)
      .map((p) => `${p.property} ${JSON.stringify(clip(p.placeholder))} (action ${JSON.stringify(p.actionId)})`).join(', ');
    const values = `${count} value${count === 1 ? '' : 's'} of this flow hold${count === 1 ? 's' : ''} a template placeholder: ` +
      `${shown}${count > 3 ? ` and ${count - 3} more` : ''}`;
    if ((this.options.stage ?? FlowContentStage.DEPLOYED) === FlowContentStage.TEMPLATE) {
      return [finding(FlowRules.TEMPLATE_PLACEHOLDER,
        `${values}, which a deployment tool fills in. They were not judged; check the flow as deployed, or acknowledge this warning`)];
    }
    return [finding(FlowRules.TEMPLATE_PLACEHOLDER_DEPLOYED,
      `${values}. This content deploys as written and nothing fills placeholders in after synth, so Connect would receive ` +
      `${count === 1 ? 'it' : 'them'} literally and refuse the flow or fail the call. Substitute the values before synth ` +
      '(render the file, or write the values in); in CfnContactFlow content, use Fn::Sub with a variable map')];
  }

  /**
   * The caller ID number and name to judge. Values of the wrong JSON type are reported; values holding a template
   * placeholder or known only at deploy time are left unjudged. `numberGiven` says whether the action sets a
   * number at all (an unset one is judged as unset). An empty string is set, but not judged: Connect refuses it at
   * publish (FLOW_EMPTY_PARAMETER), so the call never runs to pass a number on or not.
   */
  private callerIdOf(action: FlowAction, findings: Finding[]): { number?: string; name?: string; numberGiven: boolean } {
    const parts = callerIdParameters(action);
    if (parts.present && !parts.object) {
      findings.push(finding(FlowRules.VALUE_NOT_STRING,
        `CallerId must be an object such as {"Number": "+81368001234"}; got ${describeJson(parts.raw)}`, action.Identifier));
      return { numberGiven: true };
    }
    const number = parts.number === '' ? undefined : this.stringValue(action, 'CallerId.Number', parts.number, findings);
    const name = parts.name === '' ? undefined : this.stringValue(action, 'CallerId.Name', parts.name, findings);
    return { ...(number !== undefined ? { number } : {}), ...(name !== undefined ? { name } : {}), numberGiven: parts.number !== undefined };
  }

  /** A parameter's value when it is a string to judge; undefined when it is absent, refused or left unjudged. */
  private stringValue(action: FlowAction, property: string, value: unknown, findings: Finding[]): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      findings.push(finding(FlowRules.VALUE_NOT_STRING, `${property} must be a string; got ${describeJson(value)}${stringHint(value)}`,
        action.Identifier));
      return undefined;
    }
    if (this.options.isDeployTimeValue?.(value)) return undefined;
    const placeholder = templatePlaceholderIn(value);
    if (placeholder !== undefined) {
      this.placeholders.push({ actionId: action.Identifier, property, placeholder });
      return undefined;
    }
    return value;
  }

  /** Judges one action's caller ID: a static number by every number rule, a reference by what guards it. */
  private judgeCallerId(
    action: FlowAction, number: string, context: CallerIdContext,
    extra: { readonly destination?: string; readonly callerIdName?: string } = {},
  ): Finding[] {
    const options = this.options;
    if (callerIdValueForm(number) === 'reference') {
      return judgeDynamicCallerId(number, context, 'CallerId.Number', this.guardOf(action, number, context));
    }
    const approval = options.approvedExternalNumbers?.[number];
    return judgeCallerIdValue({
      number, context, inventory: options.inventory, property: 'CallerId.Number',
      ...(extra.destination !== undefined ? { destination: extra.destination } : {}),
      ...(extra.callerIdName !== undefined ? { callerIdName: extra.callerIdName, callerIdNameProperty: 'CallerId.Name' } : {}),
      ...(approval !== undefined ? { approvedExternal: { approvalReference: approval } } : {}),
    });
  }

  /**
   * What guards a dynamic caller ID. A flow over Connect's action limit cannot be published, so its guards are not
   * analysed: that keeps the analysis, one walk of the flow per guarded reference, bounded.
   */
  private guardOf(action: FlowAction, reference: string, context: CallerIdContext): string | undefined {
    const actions = this.flow.Actions.length;
    if (actions > MAX_FLOW_ACTIONS) {
      return `Its guard was not analysed: the flow has ${actions} actions, more than the ${MAX_FLOW_ACTIONS} Connect accepts`;
    }
    // Indexed on first use: most flows set no dynamic caller ID.
    this.guards ??= new FlowGuards(this.flow, this.options);
    return this.guards.guardOf(action, reference, context);
  }
}

/**
 * Each Call phone number block that a participant action can run before. One walk of the flow, from every
 * participant action at once, labelling each action with the first participant that reaches it.
 */
function checkParticipantBeforeCall(flow: FlowDocument, index: () => ReadonlyMap<string, FlowAction>): Finding[] {
  const calls = flow.Actions.filter((a) => a.Type === ActionTypes.CALL_PHONE_NUMBER);
  if (calls.length === 0) return [];
  const byId = index();
  const reachableFromStart = reachableFrom(byId, [flow.StartAction]);
  const reachedBy = new Map<string, FlowAction>();
  const queue: string[] = [];
  const visit = (id: string, participant: FlowAction): void => {
    if (byId.has(id) && !reachedBy.has(id)) {
      reachedBy.set(id, participant);
      queue.push(id);
    }
  };
  for (const participant of flow.Actions) {
    if (!PARTICIPANT_ACTIONS.has(participant.Type) || !reachableFromStart.has(participant.Identifier)) continue;
    for (const target of successorsOf(participant)) visit(target, participant);
  }
  for (let i = 0; i < queue.length; i++) {
    const participant = reachedBy.get(queue[i])!;
    for (const target of successorsOf(byId.get(queue[i])!)) visit(target, participant);
  }
  const findings: Finding[] = [];
  for (const call of calls) {
    const participant = reachedBy.get(call.Identifier);
    if (participant === undefined) continue;
    findings.push(finding(FlowRules.PARTICIPANT_BEFORE_CALL,
      `${participant.Type} "${participant.Identifier}" can run before Call phone number "${call.Identifier}": ` +
      "the prompt places the call with the queue's caller ID and this block's caller ID is lost. " +
      'Put Call phone number first', call.Identifier));
  }
  return findings;
}

/** Appends without spreading, which overflows the stack for very long lists. */
function append(target: Finding[], items: readonly Finding[]): void {
  for (const item of items) target.push(item);
}

function withAction(findings: Finding[], actionId: string): Finding[] {
  return findings.map((f) => ({ ...f, actionId }));
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(clip(value))}`;
  return `${typeof value} ${clip(String(value))}`;
}

/** For a number written without quotes, the string it was probably meant to be. */
function stringHint(value: unknown): string {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) return '. Write it as a JSON string';
  const candidate = `+${value}`;
  return parseE164(candidate).ok ? `. Write it as the JSON string "${candidate}"` : '. Write it as a JSON string in E.164, starting with +';
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
