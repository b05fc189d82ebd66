// What CallerIdChecks knows of a whole app: its raw Connect resources, indexed by what references to them resolve to.
import { Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { CfnContactFlow, CfnPhoneNumber, CfnQueue } from 'aws-cdk-lib/aws-connect';
import * as campaignsV1 from 'aws-cdk-lib/aws-connectcampaigns';
import * as campaignsV2 from 'aws-cdk-lib/aws-connectcampaignsv2';
import { IConstruct } from 'constructs';
import { readTemplateFlowContent, TemplateFlowContent } from '../core/cfn-content';
import { CallerIdInputError } from '../core/errors';
import { callerIdUses, usesDynamicCallerId } from '../core/flow/check';
import { ActionTypes } from '../core/flow/model';
import { literal } from './caller-id-judgement';

export type ResourceKind = 'flow' | 'queue' | 'campaign-v1' | 'campaign-v2' | 'phone-number';

export function resourceKind(construct: IConstruct): ResourceKind | undefined {
  if (CfnContactFlow.isCfnContactFlow(construct)) return 'flow';
  if (CfnQueue.isCfnQueue(construct)) return 'queue';
  if (campaignsV2.CfnCampaign.isCfnCampaign(construct)) return 'campaign-v2';
  if (campaignsV1.CfnCampaign.isCfnCampaign(construct)) return 'campaign-v1';
  if (CfnPhoneNumber.isCfnPhoneNumber(construct)) return 'phone-number';
  return undefined;
}

export interface FlowFacts {
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
export class AppIndex {
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
    if (target) return CfnContactFlow.isCfnContactFlow(target) ? target : undefined;
    return this.keys(stack).flows.get(keyOf(stack, value));
  }

  public isClaimInApp(stack: Stack, value: unknown): boolean {
    const target = referencedElement(value);
    if (target) return CfnPhoneNumber.isCfnPhoneNumber(target);
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
          ? (CfnQueue.isCfnQueue(referenced) ? referenced : undefined)
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
      facts = flowFactsOf(flow, read);
      this.facts.set(flow, facts);
    }
    return facts;
  }

  /**
   * Records what `flow` holds from its content as the caller read it (undefined when unreadable), so that the
   * queue whose outbound flow it is does not read and parse the content a second time.
   */
  public flowRead(flow: CfnContactFlow, read: TemplateFlowContent | undefined): void {
    if (!this.facts.has(flow)) this.facts.set(flow, flowFactsOf(flow, read));
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

function flowFactsOf(flow: CfnContactFlow, read: TemplateFlowContent | undefined): FlowFacts {
  const type = literal(flow.type) ?? read?.type;
  const callerIds = (read ? callerIdUses(read.flow) : [])
    .filter((u) => u.actionType === ActionTypes.CALL_PHONE_NUMBER && u.value !== undefined).map((u) => u.value!);
  return { ...(type !== undefined ? { type } : {}), dynamic: read ? usesDynamicCallerId(read.flow) : false, callerIds };
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
  return Reference.isReference(token) ? token.target : undefined;
}

export function keyOf(stack: Stack, value: unknown): string {
  return JSON.stringify(stack.resolve(value));
}

/**
 * Follows `path` through an L1 property value. A level given as a token is resolved in `stack` and read with
 * CloudFormation's capitalized names too.
 */
export function leafObject(stack: Stack, value: unknown, ...path: string[]): unknown {
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
export function leaf(stack: Stack, value: unknown, ...path: string[]): string | undefined {
  const found = leafObject(stack, value, ...path);
  if (found === undefined || found === null) return undefined;
  if (typeof found === 'string') return found;
  return Token.asString(found);
}
