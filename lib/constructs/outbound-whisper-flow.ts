import { Stack, Token } from 'aws-cdk-lib';
import { CfnContactFlow } from 'aws-cdk-lib/aws-connect';
import { Construct, IConstruct } from 'constructs';
import { FlowBuilder } from '../core/flow/builder';
import { CallerIdSource } from '../core/flow/designer';
import { ActionTypes, ContactFlowType } from '../core/flow/model';
import { Finding } from '../core/findings';
import { CallerIdContext, CallerIdRules, finding } from '../core/rules';
import { addCallerIdGuard, describeGuard, guardValues } from './call-time-guard';
import { CallerId, CallerIdKind } from './caller-id';
import { assertClaimedByInstance, judgeCallerId, judgeStaticOnly } from './caller-id-judgement';
import { ClaimedNumbers } from './claimed-numbers';
import { registerStaticNumbers } from './deploy-time-uses';
import { flowContent } from './flow-content';
import { validateName } from './props';
import { reportFindings } from './report';
import { StackBudget } from './stack-budget';
import { brand, hasBrand } from './brand';
import { computeLogicalIdOnce } from './logical-id';

/** An outbound whisper flow, set on a queue to choose the caller ID of the agents' outbound calls. */
export interface IOutboundWhisperFlow extends IConstruct {
  /** The flow's ARN. */
  readonly flowArn: string;
  /** Whether the caller ID is only known during the call (then the queue's own number is the fallback). */
  readonly usesDynamicCallerId: boolean;
  /**
   * The caller ID the flow presents instead of the queue's number. CNAM does not apply to it, so a queue
   * warns that its caller ID name is not shown.
   * @default - unknown: the queue assumes the flow keeps its number
   */
  readonly callerId?: CallerId;
}

export interface OutboundWhisperFlowProps {
  readonly claimedNumbers: ClaimedNumbers;
  /** The flow name (1-127 characters). */
  readonly name: string;
  /** The caller ID the customer sees. */
  readonly callerId: CallerId;
  /**
   * For a dynamic caller ID: the caller ID used when the value is not one of the claimed numbers.
   * @default - the queue's outbound caller ID number
   */
  readonly fallbackCallerId?: CallerId;
  /**
   * For a dynamic caller ID: the numbers it may take.
   * @default - every claimed number that can place calls (not UIFN)
   */
  readonly allowedCallerIds?: CallerId[];
  /**
   * Text played to the customer once the call is placed.
   * @default - no prompt
   */
  readonly prompt?: string;
  /**
   * @default - no description
   */
  readonly description?: string;
}

/**
 * An `OUTBOUND_WHISPER` flow whose first block is Call phone number with a checked caller ID.
 *
 * A dynamic caller ID is checked during the call against the claimed numbers; a value that is not one of them
 * is replaced by `fallbackCallerId`, or by the queue's number, instead of failing the call.
 */
export class OutboundWhisperFlow extends Construct implements IOutboundWhisperFlow {
  /** Whether `x` is an `OutboundWhisperFlow`, also one made by another copy of this package (where `instanceof` is false). */
  public static isOutboundWhisperFlow(x: any): x is OutboundWhisperFlow {
    return hasBrand(x, 'OutboundWhisperFlow');
  }

  public get flowArn(): string {
    // Made on first use: a reference token costs as much as the rest of the construct, and most flows' ARNs are never read.
    return this._flowArn ??= this.resource.attrContactFlowArn;
  }

  private _flowArn?: string;
  public readonly usesDynamicCallerId: boolean;
  public readonly callerId?: CallerId;
  /** The underlying `AWS::Connect::ContactFlow`. */
  public readonly resource: CfnContactFlow;

  constructor(scope: Construct, id: string, props: OutboundWhisperFlowProps) {
    super(scope, id);
    brand(this, 'OutboundWhisperFlow');
    validateName(this, props.name);
    const { claimedNumbers, callerId } = props;
    this.usesDynamicCallerId = callerId.isDynamic;
    this.callerId = callerId;

    // Only a dynamic caller ID has a guard to describe.
    const guardedBy = callerId.isDynamic ? guardValues(this, claimedNumbers, props.allowedCallerIds) : [];
    const fallbackText = props.fallbackCallerId
      ? `fallbackCallerId ${props.fallbackCallerId}`
      : "the queue's outbound caller ID number (Call phone number without a caller ID)";
    assertClaimedByInstance(this, claimedNumbers, { callerId, fallbackCallerId: props.fallbackCallerId });
    const findings: Finding[] = [...judgeCallerId(claimedNumbers, callerId, CallerIdContext.OUTBOUND_WHISPER, 'callerId', {
      guard: describeGuard(guardedBy, props.allowedCallerIds !== undefined, fallbackText),
    })];
    if (callerId.kind === CallerIdKind.PASS_THROUGH) {
      findings.push(finding(CallerIdRules.UNSET,
        'callerId CallerId.passThrough() only applies to transfers; an outbound whisper flow needs a claimed number or a reference'));
    }
    const statics = [callerId, ...(props.fallbackCallerId ? [props.fallbackCallerId] : []), ...(props.allowedCallerIds ?? [])];
    if (props.fallbackCallerId) {
      if (!callerId.isDynamic) {
        throw new Error(`${this.node.path}: fallbackCallerId only applies to a dynamic callerId; remove it or make callerId dynamic`);
      }
      findings.push(...judgeStaticOnly(this, claimedNumbers, props.fallbackCallerId, CallerIdContext.OUTBOUND_WHISPER, 'fallbackCallerId'));
    }
    (props.allowedCallerIds ?? []).forEach((c, i) =>
      findings.push(...judgeStaticOnly(this, claimedNumbers, c, CallerIdContext.OUTBOUND_WHISPER, `allowedCallerIds[${i}]`)));
    reportFindings(this, findings);

    const build = (guarded: readonly string[]): FlowBuilder => {
      const builder = new FlowBuilder({
        type: ContactFlowType.OUTBOUND_WHISPER, name: props.name, description: props.description, isDeployTimeValue: Token.isUnresolved,
      });
      const end = props.prompt !== undefined
        ? this.addPrompt(builder, props.prompt)
        : builder.add(ActionTypes.END_FLOW, {}, 'end flow');
      if (callerId.isDynamic) {
        const fallbackParameters = props.fallbackCallerId ? { CallerId: { Number: props.fallbackCallerId.value } } : {};
        const fallback = builder.add(ActionTypes.CALL_PHONE_NUMBER, fallbackParameters, 'call customer with fallback caller id',
          { callerIdSource: CallerIdSource.CLAIMED }).next(end);
        addCallerIdGuard(builder, callerId.value!, guarded, () => builder.add(ActionTypes.CALL_PHONE_NUMBER, { CallerId: { Number: callerId.value } },
          'call customer', { callerIdSource: CallerIdSource.DYNAMIC }).next(end), fallback);
      } else {
        const parameters = callerId.value !== undefined ? { CallerId: { Number: callerId.value } } : {};
        builder.start(builder.add(ActionTypes.CALL_PHONE_NUMBER, parameters, 'call customer', { callerIdSource: CallerIdSource.CLAIMED }).next(end));
      }
      return builder;
    };

    this.resource = new CfnContactFlow(this, 'Resource', {
      instanceArn: claimedNumbers.instanceArn,
      name: props.name,
      type: ContactFlowType.OUTBOUND_WHISPER,
      content: flowContent(this, build, callerId.isDynamic ? { claimedNumbers, allowed: props.allowedCallerIds, values: guardedBy } : undefined),
      description: props.description,
    });
    computeLogicalIdOnce(this.resource);
    StackBudget.of(Stack.of(this)).addFlow(this.resource);
    registerStaticNumbers(this, claimedNumbers, statics, { context: CallerIdContext.OUTBOUND_WHISPER });
    // The inventory's numbers a dynamic caller ID may take are verified too (claims made in the app are trusted).
    if (callerId.isDynamic && props.allowedCallerIds === undefined) {
      claimedNumbers._guardNumbers(this, guardedBy.filter((v) => !Token.isUnresolved(v)), CallerIdContext.OUTBOUND_WHISPER);
    }
  }

  private addPrompt(builder: FlowBuilder, text: string) {
    const end = builder.add(ActionTypes.END_FLOW, {}, 'end flow');
    if (!Token.isUnresolved(text) && text.length === 0) throw new Error(`${this.node.path}: prompt must not be empty`);
    return builder.add(ActionTypes.MESSAGE_PARTICIPANT, { Text: text }, 'play prompt').next(end).onError('NoMatchingError', end);
  }
}
