// How CallerIdChecks judges one raw L1 resource (flow, queue, campaign) with the core's rules.
import { Stack, Token } from 'aws-cdk-lib';
import { CfnContactFlow, CfnQueue } from 'aws-cdk-lib/aws-connect';
import * as campaignsV1 from 'aws-cdk-lib/aws-connectcampaigns';
import * as campaignsV2 from 'aws-cdk-lib/aws-connectcampaignsv2';
import { IConstruct } from 'constructs';
import { describeTemplateValue, readTemplateFlowContent, TemplateFlowContent } from '../core/cfn-content';
import { ConnectArnRules, instanceArnProblem, instanceIdOf, isTrafficDistributionGroupArn } from '../core/connect-arn';
import { parseE164 } from '../core/e164';
import { CallerIdInputError } from '../core/errors';
import { CallerIdChecksRules } from '../core/checks-rules';
import { callerIdUses, checkFlow, FlowContentStage, FlowRules } from '../core/flow/check';
import { ContactFlowType } from '../core/flow/model';
import { Finding } from '../core/findings';
import { isPhoneNumberArn, toPhoneNumberArn } from '../core/inventory';
import {
  CallerIdContext, CallerIdRules, callerIdValueForm, finding, judgeCallerIdName, judgeStaticCallerId,
} from '../core/rules';
import { AppIndex, keyOf, leaf, leafObject } from './app-index';
import { literal } from './caller-id-judgement';
import { NumberUse } from './caller-id-verification';
import { ClaimedNumbers } from './claimed-numbers';
import { instanceIdOfArn } from './connect-arns';
import { flowNumberUse } from './deploy-time-uses';

/** The judgement of one resource: its findings, and the ClaimedNumbers of its instance once asked for. */
export class ResourceCheck {
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
      this.index.flowRead(flow, undefined);
      this.findings.push(finding(CallerIdChecksRules.FLOW_CONTENT_UNREADABLE, e.message));
      return;
    }
    this.index.flowRead(flow, read);
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
