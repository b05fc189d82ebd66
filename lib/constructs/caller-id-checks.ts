import { IAspect, Reference, Stack, Stage, Token, Tokenization } from 'aws-cdk-lib';
import { CfnContactFlow, CfnPhoneNumber, CfnQueue } from 'aws-cdk-lib/aws-connect';
import * as campaignsV1 from 'aws-cdk-lib/aws-connectcampaigns';
import * as campaignsV2 from 'aws-cdk-lib/aws-connectcampaignsv2';
import { IConstruct } from 'constructs';
import { describeTemplateValue, readTemplateFlowContent, TemplateFlowContent } from '../core/cfn-content';
import { ConnectArnRules, instanceArnProblem, instanceIdOf, isTrafficDistributionGroupArn } from '../core/connect-arn';
import { parseE164 } from '../core/e164';
import { CallerIdInputError } from '../core/errors';
import { CallerIdChecksRules } from '../core/checks-rules';
import { callerIdUses, checkFlow, FlowContentStage, FlowRules, usesDynamicCallerId } from '../core/flow/check';
import { ActionTypes, ContactFlowType } from '../core/flow/model';
import { Finding } from '../core/findings';
import { isPhoneNumberArn, toPhoneNumberArn } from '../core/inventory';
import {
  CallerIdContext, CallerIdRules, callerIdValueForm, finding, judgeCallerIdName, judgeStaticCallerId,
} from '../core/rules';
import { CallProgressFlow } from './call-progress-flow';
import { ClaimedNumbers } from './claimed-numbers';
import { instanceIdOfArn } from './connect-arns';
import { ExportedFlow } from './flow-file';
import { NumberUse } from './caller-id-verification';
import { flowNumberUse, literal } from './flow-support';
import { OutboundCampaign } from './outbound-campaign';
import { OutboundQueue } from './outbound-queue';
import { OutboundWhisperFlow } from './outbound-whisper-flow';
import { reportFindings } from './report';
import { TransferToPhoneNumberFlow } from './transfer-to-phone-number-flow';


export interface CallerIdChecksProps {
  /**
   * The claimed numbers of each Connect instance the checked resources belong to. A resource is judged
   * against the ClaimedNumbers whose `instanceArn` it names; when its instance is known only at deploy time,
   * against the only ClaimedNumbers given, if there is one.
   */
  readonly claimedNumbers: ClaimedNumbers[];
  /**
   * Numbers AWS Support approved as external caller IDs, each with what records the approval (e.g. the support
   * case id). They need not be claimed and are not verified at deploy time; the country rules still apply.
   * @default - none: every caller ID must be claimed
   */
  readonly approvedExternalNumbers?: Record<string, string>;
}

/**
 * Applies this library's caller ID rules to the raw Amazon Connect resources of an existing app: every
 * `CfnContactFlow` (the content, literal parts judged, deploy-time parts left to the deploy-time check),
 * `CfnQueue`, `CfnCampaign` (Connect campaigns v1 and v2) and `CfnPhoneNumber` (claims are trusted).
 *
 * ```ts
 * Aspects.of(app).add(new CallerIdChecks({ claimedNumbers: [numbers] }));
 * ```
 *
 * Findings are reported on the resource's construct path with the same rule ids as the rest of the library;
 * warnings are acknowledged with `Validations.of(resource).acknowledge({ id: RULE_ID, reason })`. The numbers found are registered with the
 * deploy-time check of their ClaimedNumbers (unless `deployTimeCheck` is off), and the resource then deploys
 * only after that check has passed. Resources owned by this library's own constructs are skipped: those
 * constructs judge themselves.
 *
 * The whole tree under the scope the aspect is added to is judged when the aspect first visits that scope,
 * before it visits any child, so the constructs the deploy-time check adds are visited by the app's other
 * aspects (tags, for one) whether or not `@aws-cdk/core:aspectStabilization` is on. Nested stages are
 * synthesized before their parent's aspects run: add the aspect to each `Stage` too.
 */
export class CallerIdChecks implements IAspect {
  private readonly claimedNumbers: readonly ClaimedNumbers[];
  private readonly approvedExternalNumbers: Readonly<Record<string, string>>;
  private readonly visited = new WeakSet<IConstruct>();

  constructor(props: CallerIdChecksProps) {
    if (!props || !Array.isArray(props.claimedNumbers) || props.claimedNumbers.length === 0) {
      throw new Error('CallerIdChecks: claimedNumbers must list the ClaimedNumbers of at least one instance, ' +
        'e.g. new CallerIdChecks({ claimedNumbers: [ClaimedNumbers.fromLookup(stack, \'Numbers\', { instanceArn })] })');
    }
    this.claimedNumbers = [...props.claimedNumbers];
    this.approvedExternalNumbers = { ...props.approvedExternalNumbers };
  }

  public visit(node: IConstruct): void {
    if (this.visited.has(node)) return;
    let index: AppIndex | undefined;
    for (const construct of this.subtree(node)) {
      const kind = resourceKind(construct);
      if (kind === undefined || kind === 'phone-number' || judgedByItsConstruct(construct)) continue;
      index ??= new AppIndex(node.node.root);
      const check = new ResourceCheck(construct, this.claimedNumbers, this.approvedExternalNumbers, index);
      switch (kind) {
        case 'flow': check.flow(construct as CfnContactFlow); break;
        case 'queue': check.queue(construct as CfnQueue); break;
        case 'campaign-v1': check.campaignV1(construct as campaignsV1.CfnCampaign); break;
        case 'campaign-v2': check.campaignV2(construct as campaignsV2.CfnCampaign); break;
      }
      reportFindings(construct, check.findings);
    }
  }

  /** Every construct under `node` outside nested stages, marked visited so later visits of them do nothing. */
  private subtree(node: IConstruct): IConstruct[] {
    const found: IConstruct[] = [];
    const pending: IConstruct[] = [node];
    while (pending.length > 0) {
      const construct = pending.pop()!;
      this.visited.add(construct);
      found.push(construct);
      // Reversed onto the stack so that resources are judged, and reported, in the order they were defined.
      const children = construct.node.children.filter((child) => !Stage.isStage(child));
      for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
    }
    return found;
  }
}

type ResourceKind = 'flow' | 'queue' | 'campaign-v1' | 'campaign-v2' | 'phone-number';

function resourceKind(construct: IConstruct): ResourceKind | undefined {
  if (CfnContactFlow.isCfnContactFlow(construct)) return 'flow';
  if (CfnQueue.isCfnQueue(construct)) return 'queue';
  if (campaignsV2.CfnCampaign.isCfnCampaign(construct)) return 'campaign-v2';
  if (campaignsV1.CfnCampaign.isCfnCampaign(construct)) return 'campaign-v1';
  if (CfnPhoneNumber.isCfnPhoneNumber(construct)) return 'phone-number';
  return undefined;
}

function judgedByItsConstruct(resource: IConstruct): boolean {
  const parent = resource.node.scope;
  const owner = parent instanceof OutboundQueue || parent instanceof OutboundWhisperFlow || parent instanceof TransferToPhoneNumberFlow
    || parent instanceof ExportedFlow || parent instanceof OutboundCampaign || parent instanceof CallProgressFlow;
  return owner && parent.resource === resource;
}

/** The judgement of one resource: its findings, and the ClaimedNumbers of its instance once asked for. */
class ResourceCheck {
  public readonly findings: Finding[] = [];
  private readonly stack: Stack;
  /** The ClaimedNumbers of the resource's instance, once asked for. */
  private target: { readonly numbers?: ClaimedNumbers } | undefined;

  constructor(
    private readonly resource: IConstruct,
    private readonly claimedNumbers: readonly ClaimedNumbers[],
    private readonly approvedExternalNumbers: Readonly<Record<string, string>>,
    private readonly index: AppIndex,
  ) {
    this.stack = Stack.of(resource);
  }

  public flow(flow: CfnContactFlow): void {
    if (flow.content === undefined) return;
    let read: TemplateFlowContent | undefined;
    try {
      read = readTemplateFlowContent(this.stack.resolve(flow.content), 'Content');
    } catch (e) {
      if (!(e instanceof CallerIdInputError)) throw e;
      this.findings.push(finding(CallerIdChecksRules.FLOW_CONTENT_UNREADABLE, e.message));
      return;
    }
    if (read === undefined) {
      this.findings.push(finding(CallerIdChecksRules.FLOW_CONTENT_DEPLOY_TIME,
        'Content is known only at deploy time, so none of the flow\'s caller IDs can be checked before a call fails. ' +
        'Build the content in the app (JSON text, with Fn::Sub or Fn::Join for the parts that vary)'));
      return;
    }
    const given = literal(flow.type);
    const type = (given as ContactFlowType | undefined) ?? read.type;
    const uses = callerIdUses(read.flow);
    const numbers = uses.length > 0 ? this.claimedNumbersFor(flow.instanceArn, 'InstanceArn') : undefined;
    let findings = checkFlow(read.flow, {
      type: type ?? ContactFlowType.CONTACT_FLOW, inventory: numbers?.inventory, isDeployTimeValue: read.isDeployTimeValue,
      approvedExternalNumbers: this.approvedExternalNumbers, stage: FlowContentStage.DEPLOYED,
    });
    if (type === undefined) {
      // Where a block may stand depends on the flow type; with none known, only the rest is judged.
      const typeRules: string[] = [FlowRules.CALL_PHONE_NUMBER_WRONG_TYPE.id, FlowRules.TRANSFER_WRONG_TYPE.id];
      findings = findings.filter((f) => !typeRules.includes(f.ruleId));
    }
    // One at a time: spreading an unbounded list into push() overflows the stack.
    for (const f of findings) this.findings.push({ ...f, message: describeTemplateValue(f.message) });

    const actions = new Map(read.flow.Actions.map((a) => [a.Identifier, a]));
    for (const use of uses) {
      const value = use.value;
      if (value === undefined || callerIdValueForm(value) !== 'static' || this.isApproved(value)) continue;
      const numberUse = flowNumberUse(actions.get(use.actionId)!);
      if (read.isDeployTimeValue(value)) {
        const cfn = read.cloudFormationValue(value);
        if (!this.index.isClaimInApp(this.stack, cfn)) this.use(numbers, Token.asString(cfn), numberUse);
      } else if (parseE164(value).ok) {
        this.use(numbers, value, numberUse);
      }
    }
  }

  public queue(queue: CfnQueue): void {
    const config = queue.outboundCallerConfig;
    const numberArn = leaf(this.stack, config, 'outboundCallerIdNumberArn');
    const flowArn = leaf(this.stack, config, 'outboundFlowArn');
    const name = literal(leaf(this.stack, config, 'outboundCallerIdName'));
    const campaigns = this.index.campaignsRoutingTo(queue);
    // A queue is for outbound calls when it says how to place them, or a campaign places its calls through it.
    if (config === undefined && campaigns.length === 0) return;

    const flow = flowArn !== undefined ? this.index.flowReferencedBy(this.stack, flowArn) : undefined;
    const facts = flow ? this.index.flowFacts(flow) : undefined;
    if (flow && facts?.type !== undefined && facts.type !== ContactFlowType.OUTBOUND_WHISPER) {
      this.findings.push(finding(CallerIdChecksRules.QUEUE_OUTBOUND_FLOW_WRONG_TYPE,
        `OutboundCallerConfig.OutboundFlowArn is ${flow.node.path}, a ${facts.type} flow; a queue's outbound flow must be an ` +
        'OUTBOUND_WHISPER flow, the only type in which Call phone number runs. Point it at an OUTBOUND_WHISPER flow'));
    }

    if (numberArn === undefined || numberArn === '') {
      if (flow && facts?.dynamic && facts.type === ContactFlowType.OUTBOUND_WHISPER) {
        this.findings.push(finding(CallerIdRules.WHISPER_DYNAMIC_QUEUE_UNSET,
          `OutboundCallerConfig.OutboundFlowArn is ${flow.node.path}, whose Call phone number takes its caller ID from a reference, ` +
          'and the queue has no OutboundCallerIdNumberArn: when the value is not E.164 Connect falls back to the queue\'s number, ' +
          'and with none the call fails. Set OutboundCallerIdNumberArn to the ARN of a claimed number'));
      } else {
        const why = config !== undefined
          ? 'it has an OutboundCallerConfig'
          : `campaign ${campaigns.join(', ')} places calls through it with no source phone number`;
        this.findings.push(finding(CallerIdRules.QUEUE_UNSET,
          `OutboundCallerConfig.OutboundCallerIdNumberArn is not set, and the queue is used for outbound calls (${why}): ` +
          'outbound calls from a queue without a caller ID number fail. Set it to the ARN of a claimed number'));
      }
      return;
    }
    const whisperNumbers = facts?.type === ContactFlowType.OUTBOUND_WHISPER ? facts.callerIds : [];
    // An ARN known only at deploy time is a claim of the app, a value from the deploy-time check, or one
    // Connect itself refuses when it does not belong to the instance; none is for synth to judge.
    const number = Token.isUnresolved(numberArn) ? undefined : this.literalNumberArn(queue, numberArn);
    // A whisper flow that presents a number of its own replaces the queue's, and CNAM does not apply to it.
    const replacedBy = flow && whisperNumbers.some((n) => n !== number) ? `the outbound whisper flow ${flow.node.path}` : undefined;
    const nameProperty = 'OutboundCallerConfig.OutboundCallerIdName';
    if (number !== undefined) {
      const inventory = this.claimedNumbersFor(queue.instanceArn, 'InstanceArn')?.inventory;
      this.findings.push(...judgeStaticCallerId({
        number, context: CallerIdContext.QUEUE, inventory, property: 'OutboundCallerConfig.OutboundCallerIdNumberArn',
        ...(name !== undefined && replacedBy === undefined ? { callerIdName: name, callerIdNameProperty: nameProperty } : {}),
      }));
    }
    if (name !== undefined && (number === undefined || replacedBy !== undefined)) {
      this.findings.push(...judgeCallerIdName({
        name, context: CallerIdContext.QUEUE, property: nameProperty, ...(replacedBy !== undefined ? { replacedBy } : {}),
      }));
    }
  }

  public campaignV2(campaign: campaignsV2.CfnCampaign): void {
    const telephony = leafObject(this.stack, campaign.channelSubtypeConfig, 'telephony');
    const number = leaf(this.stack, telephony, 'defaultOutboundConfig', 'connectSourcePhoneNumber');
    this.sourceNumber(number, campaign.connectInstanceId, 'ConnectInstanceId',
      'ChannelSubtypeConfig.Telephony.DefaultOutboundConfig.ConnectSourcePhoneNumber');
  }

  public campaignV1(campaign: campaignsV1.CfnCampaign): void {
    const number = leaf(this.stack, campaign.outboundCallConfig, 'connectSourcePhoneNumber');
    this.sourceNumber(number, campaign.connectInstanceArn, 'ConnectInstanceArn', 'OutboundCallConfig.ConnectSourcePhoneNumber');
  }

  private sourceNumber(number: string | undefined, instance: string, instanceProperty: string, property: string): void {
    if (number === undefined) return;
    if (Token.isUnresolved(number)) {
      if (this.index.isClaimInApp(this.stack, number)) return;
      this.use(this.claimedNumbersFor(instance, instanceProperty), number, { context: CallerIdContext.CAMPAIGN });
      return;
    }
    const numbers = this.claimedNumbersFor(instance, instanceProperty);
    const approval = this.approvedExternalNumbers[number];
    const findings = judgeStaticCallerId({
      number, context: CallerIdContext.CAMPAIGN, inventory: numbers?.inventory, property,
      ...(approval !== undefined ? { approvedExternal: { approvalReference: approval } } : {}),
    });
    for (const f of findings) this.findings.push(f);
    if (approval === undefined && parseE164(number).ok) this.use(numbers, number, { context: CallerIdContext.CAMPAIGN });
  }

  private isApproved(number: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.approvedExternalNumbers, number);
  }

  /** Judges the form of a literal caller ID ARN and returns the claimed number it names, when it names one. */
  private literalNumberArn(queue: CfnQueue, arn: string): string | undefined {
    const property = 'OutboundCallerConfig.OutboundCallerIdNumberArn';
    const numbers = this.claimedNumbersFor(queue.instanceArn, 'InstanceArn');
    const inventory = numbers?.inventory;
    const fixed = toPhoneNumberArn(arn);
    if (fixed !== undefined) {
      const claimed = inventory?.getByArn(fixed);
      this.findings.push(finding(CallerIdChecksRules.QUEUE_ARN_FORM,
        `${property} ${arn} is the instance/.../phone-number/... form of the old ListPhoneNumbers API, which queues refuse; ` +
        `use ${fixed}${claimed ? ` (${claimed.number})` : ''}`));
      return undefined;
    }
    if (!isPhoneNumberArn(arn)) {
      const parsed = parseE164(arn);
      const claimed = parsed.ok ? inventory?.get(parsed.number) : undefined;
      const hint = claimed?.arn ? `; the ARN of ${claimed.number} is ${claimed.arn}` : '';
      this.findings.push(finding(CallerIdChecksRules.QUEUE_ARN_FORM,
        `${property} ${JSON.stringify(arn)} is not a phone-number ARN; it takes arn:<partition>:connect:<region>:<account>:phone-number/<id>${hint}`));
      return undefined;
    }
    if (!inventory) return undefined;
    const claimed = inventory.getByArn(arn);
    if (claimed) {
      this.use(numbers, claimed.number, { context: CallerIdContext.QUEUE });
      return claimed.number;
    }
    // An inventory declared without ARNs cannot tell an unknown ARN from a claimed number's; Connect decides.
    if (inventory.hasNumbersWithoutArn) return undefined;
    const options = inventory.numbers.slice(0, 3).map((n) => `${n.number} ${n.arn}`).join(', ');
    this.findings.push(finding(CallerIdRules.NOT_CLAIMED,
      `${property} ${arn} is not the ARN of a number claimed by ${inventory.owner}; outbound calls from the queue would fail. ` +
      `Use the ARN of a claimed number (${options || 'the inventory holds no numbers'}), claim it, or refresh the inventory with connect-caller-id lookup`));
    return undefined;
  }

  private use(numbers: ClaimedNumbers | undefined, number: string, use: NumberUse): void {
    numbers?._useNumber(this.resource, number, use);
  }

  /** The ClaimedNumbers of the resource's instance; when it cannot be told, a warning says so (once). */
  private claimedNumbersFor(instance: string | undefined, property: string): ClaimedNumbers | undefined {
    if (this.target) return this.target.numbers;
    const [numbers, problem] = this.matchInstance(instance, property);
    if (problem) this.findings.push(problem);
    this.target = { numbers };
    return numbers;
  }

  private matchInstance(instance: string | undefined, property: string): [ClaimedNumbers | undefined, Finding | undefined] {
    const all = this.claimedNumbers;
    const sameStackFirst = (matches: ClaimedNumbers[]) => matches.find((c) => Stack.of(c) === this.stack) ?? matches[0];
    if (instance !== undefined && !Token.isUnresolved(instance) && isTrafficDistributionGroupArn(instance)) {
      // CloudFormation refuses the resource; its caller IDs are still judged against the group's ClaimedNumbers.
      const owner = all.find((c) => c.trafficDistributionGroupArns.includes(instance));
      return [owner, finding(ConnectArnRules.INSTANCE_ARN_IS_TRAFFIC_DISTRIBUTION_GROUP, instanceArnProblem(property, instance)!)];
    }
    if (instance !== undefined && !Token.isUnresolved(instance)) {
      const matches = all.filter((c) => !Token.isUnresolved(c.instanceArn) && (c.instanceArn === instance || instanceIdOf(c.instanceArn) === instance));
      if (matches.length > 0) return [sameStackFirst(matches), undefined];
      if (all.every((c) => !Token.isUnresolved(c.instanceArn))) {
        return [undefined, finding(CallerIdChecksRules.INSTANCE_UNKNOWN,
          `${property} ${instance} is not the instance of any ClaimedNumbers given to CallerIdChecks ` +
          `(${all.map((c) => c.instanceArn).join(', ')}), so its caller IDs are checked for form only and none is verified at deploy time. ` +
          'Add ClaimedNumbers.fromLookup for that instance to CallerIdChecks claimedNumbers')];
      }
    } else if (instance !== undefined) {
      // A campaign names its instance by id, which a template takes from the ARN by splitting it.
      const key = keyOf(this.stack, instance);
      const matches = all.filter((c) => keyOf(this.stack, c.instanceArn) === key
        || keyOf(this.stack, instanceIdOfArn(c.instanceArn)) === key);
      if (matches.length > 0) return [sameStackFirst(matches), undefined];
    }
    if (all.length === 1) return [all[0], undefined];
    return [undefined, finding(CallerIdChecksRules.INSTANCE_AMBIGUOUS,
      `${property} is known only at deploy time and CallerIdChecks has ${all.length} ClaimedNumbers, so it cannot tell which instance ` +
      'this resource belongs to; its caller IDs are checked for form only and none is verified at deploy time. ' +
      `Use the same value as one ClaimedNumbers' instanceArn for ${property}`)];
  }
}

interface FlowFacts {
  readonly type?: string;
  /** Whether a Call phone number or transfer block takes its caller ID from a reference. */
  readonly dynamic: boolean;
  /** The caller IDs the flow's Call phone number blocks set, as written. */
  readonly callerIds: string[];
}

/**
 * What one resource needs to know about the others in the app: which flow a queue names, which queue a
 * campaign calls through, whether a value is a number claimed in the app. References are compared by what
 * they resolve to in the referring stack.
 */
class AppIndex {
  private readonly flows: CfnContactFlow[] = [];
  private readonly queues: CfnQueue[] = [];
  private readonly phoneNumbers: CfnPhoneNumber[] = [];
  private readonly campaigns: { campaign: IConstruct; hasSourceNumber: boolean; queue: string | undefined }[] = [];
  private readonly keysByStack = new Map<Stack, { flows: Map<string, CfnContactFlow>; queues: Map<string, CfnQueue>; claims: Set<string> }>();
  private readonly facts = new Map<CfnContactFlow, FlowFacts>();
  private routedCampaigns: Map<CfnQueue, string[]> | undefined;

  constructor(root: IConstruct) {
    for (const construct of root.node.findAll()) {
      switch (resourceKind(construct)) {
        case 'flow': this.flows.push(construct as CfnContactFlow); break;
        case 'queue': this.queues.push(construct as CfnQueue); break;
        case 'phone-number': this.phoneNumbers.push(construct as CfnPhoneNumber); break;
        case 'campaign-v2': {
          const campaign = construct as campaignsV2.CfnCampaign;
          const stack = Stack.of(campaign);
          const telephony = leafObject(stack, campaign.channelSubtypeConfig, 'telephony');
          this.campaigns.push({
            campaign,
            hasSourceNumber: leaf(stack, telephony, 'defaultOutboundConfig', 'connectSourcePhoneNumber') !== undefined,
            queue: leaf(stack, telephony, 'connectQueueId'),
          });
          break;
        }
        case 'campaign-v1': {
          const campaign = construct as campaignsV1.CfnCampaign;
          const stack = Stack.of(campaign);
          this.campaigns.push({
            campaign,
            hasSourceNumber: leaf(stack, campaign.outboundCallConfig, 'connectSourcePhoneNumber') !== undefined,
            queue: leaf(stack, campaign.outboundCallConfig, 'connectQueueArn'),
          });
          break;
        }
      }
    }
  }

  public flowReferencedBy(stack: Stack, value: string): CfnContactFlow | undefined {
    if (!Token.isUnresolved(value)) return undefined;
    const target = referencedElement(value);
    if (target) return target instanceof CfnContactFlow ? target : undefined;
    return this.keys(stack).flows.get(keyOf(stack, value));
  }

  public isClaimInApp(stack: Stack, value: unknown): boolean {
    const target = referencedElement(value);
    if (target) return target instanceof CfnPhoneNumber;
    return this.keys(stack).claims.has(keyOf(stack, value));
  }

  /** The paths of the campaigns without a source number that place their calls through `queue`. */
  public campaignsRoutingTo(queue: CfnQueue): string[] {
    if (!this.routedCampaigns) {
      this.routedCampaigns = new Map();
      for (const { campaign, hasSourceNumber, queue: reference } of this.campaigns) {
        if (hasSourceNumber || reference === undefined || !Token.isUnresolved(reference)) continue;
        const stack = Stack.of(campaign);
        const referenced = referencedElement(reference);
        const target = referenced
          ? (referenced instanceof CfnQueue ? referenced : undefined)
          : this.keys(stack).queues.get(keyOf(stack, reference));
        if (target) this.routedCampaigns.set(target, [...(this.routedCampaigns.get(target) ?? []), campaign.node.path]);
      }
    }
    return this.routedCampaigns.get(queue) ?? [];
  }

  public flowFacts(flow: CfnContactFlow): FlowFacts {
    let facts = this.facts.get(flow);
    if (!facts) {
      let read: TemplateFlowContent | undefined;
      try {
        read = flow.content === undefined ? undefined : readTemplateFlowContent(Stack.of(flow).resolve(flow.content), 'Content');
      } catch (e) {
        if (!(e instanceof CallerIdInputError)) throw e;
      }
      const type = literal(flow.type) ?? read?.type;
      const callerIds = (read ? callerIdUses(read.flow) : [])
        .filter((u) => u.actionType === ActionTypes.CALL_PHONE_NUMBER && u.value !== undefined).map((u) => u.value!);
      facts = { ...(type !== undefined ? { type } : {}), dynamic: read ? usesDynamicCallerId(read.flow) : false, callerIds };
      this.facts.set(flow, facts);
    }
    return facts;
  }

  private keys(stack: Stack) {
    let keys = this.keysByStack.get(stack);
    if (!keys) {
      keys = { flows: new Map(), queues: new Map(), claims: new Set() };
      for (const flow of this.flows) {
        for (const ref of [flow.attrContactFlowArn, flow.ref]) keys.flows.set(keyOf(stack, ref), flow);
      }
      for (const queue of this.queues) {
        for (const ref of [queue.attrQueueArn, queue.ref]) keys.queues.set(keyOf(stack, ref), queue);
      }
      for (const phone of this.phoneNumbers) {
        for (const ref of [phone.attrAddress, phone.attrPhoneNumberArn, phone.ref]) keys.claims.add(keyOf(stack, ref));
      }
      this.keysByStack.set(stack, keys);
    }
    return keys;
  }
}

/**
 * The resource a reference token (`flow.attrContactFlowArn`, `queue.ref`, `phone.attrAddress`) points at, from
 * the token itself: resolving every resource's references in every stack to compare them costs more than the
 * checks. Values that are not a single reference (an intrinsic object, a concatenation) are compared by
 * resolution instead.
 */
function referencedElement(value: unknown): IConstruct | undefined {
  if (typeof value !== 'string' || !Token.isUnresolved(value)) return undefined;
  const token = Tokenization.reverse(value, { failConcat: false });
  return token instanceof Reference ? token.target : undefined;
}

function keyOf(stack: Stack, value: unknown): string {
  return JSON.stringify(stack.resolve(value));
}

/**
 * Follows `path` through an L1 property value. A level given as a token is resolved in `stack` and read with
 * CloudFormation's capitalized names too.
 */
function leafObject(stack: Stack, value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === undefined || current === null) return undefined;
    if (Tokenization.isResolvable(current)) current = stack.resolve(current);
    if (typeof current !== 'object' || current === null) return undefined;
    const record = current as Record<string, unknown>;
    current = record[key] ?? record[key.charAt(0).toUpperCase() + key.slice(1)];
  }
  return current;
}

/** Like `leafObject`, for a string: a value resolved from a token comes back as a token again. */
function leaf(stack: Stack, value: unknown, ...path: string[]): string | undefined {
  const found = leafObject(stack, value, ...path);
  if (found === undefined || found === null) return undefined;
  if (typeof found === 'string') return found;
  return Token.asString(found);
}
