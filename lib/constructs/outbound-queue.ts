import { Stack, Token } from 'aws-cdk-lib';
import { CfnQueue } from 'aws-cdk-lib/aws-connect';
import { Construct } from 'constructs';
import { Finding, hasErrors } from '../core/findings';
import { CallerIdContext, CallerIdRules, finding, judgeCallerIdName } from '../core/rules';
import { CallerId, CallerIdKind } from './caller-id';
import { assertClaimedByInstance, judgeStaticOnly } from './caller-id-judgement';
import { ClaimedNumbers } from './claimed-numbers';
import { IOutboundWhisperFlow } from './outbound-whisper-flow';
import { validateName } from './props';
import { reportFindings } from './report';
import { StackBudget } from './stack-budget';
import { brand, hasBrand } from './brand';
import { computeLogicalIdOnce } from './logical-id';

export interface OutboundQueueProps {
  readonly claimedNumbers: ClaimedNumbers;
  /** The queue name (1-127 characters). */
  readonly name: string;
  /** The ARN of the hours of operation the queue follows. */
  readonly hoursOfOperationArn: string;
  /**
   * The outbound caller ID number: a claimed number, fixed before the call. Outbound calls from a queue without
   * one fail, so it is required.
   */
  readonly callerIdNumber: CallerId;
  /**
   * The outbound caller ID name (1-255 characters). Called parties see it only through CNAM: for US, Puerto
   * Rico and US Virgin Islands numbers, at most 15 characters, and not when the outbound whisper flow sets its
   * own caller ID; each of these cases is a warning.
   * @default - none
   */
  readonly callerIdName?: string;
  /**
   * The outbound whisper flow that places the agents' outbound calls.
   * @default - none: calls use the queue's caller ID
   */
  readonly outboundWhisperFlow?: IOutboundWhisperFlow;
  /**
   * @default - no description
   */
  readonly description?: string;
  /**
   * The maximum number of contacts in the queue.
   * @default - no limit
   */
  readonly maxContacts?: number;
}

/**
 * A queue for outbound calls (`AWS::Connect::Queue`) with a checked caller ID number.
 *
 * The phone-number ARN comes from the in-app claim or from the deploy-time check against the live instance,
 * never from a hand-written ARN.
 */
export class OutboundQueue extends Construct {
  /** Whether `x` is an `OutboundQueue`, also one made by another copy of this package (where `instanceof` is false). */
  public static isOutboundQueue(x: any): x is OutboundQueue {
    return hasBrand(x, 'OutboundQueue');
  }

  public get queueArn(): string {
    // Made on first use: a reference token costs as much as the rest of the construct, and most queues' ARNs are never read.
    return this._queueArn ??= this.resource.attrQueueArn;
  }

  private _queueArn?: string;
  /** The underlying `AWS::Connect::Queue`. */
  public readonly resource: CfnQueue;

  constructor(scope: Construct, id: string, props: OutboundQueueProps) {
    super(scope, id);
    brand(this, 'OutboundQueue');
    validateName(this, props.name);
    const { claimedNumbers, callerIdNumber } = props;
    if (props.callerIdName !== undefined && !Token.isUnresolved(props.callerIdName)
      && (props.callerIdName.length < 1 || props.callerIdName.length > 255)) {
      throw new Error(`${this.node.path}: callerIdName must be 1-255 characters, got ${props.callerIdName.length}`);
    }

    assertClaimedByInstance(this, claimedNumbers, { callerIdNumber });
    const findings: Finding[] = [];
    if (!callerIdNumber) {
      findings.push(finding(CallerIdRules.QUEUE_UNSET,
        'callerIdNumber is not set: outbound calls from a queue without a caller ID number fail. Set it to a claimed number'));
    } else {
      const replacedBy = replacingWhisperFlow(callerIdNumber, props.outboundWhisperFlow);
      // When the whisper flow presents its own number, the name is judged as not shown rather than against the
      // queue's number, which the called party does not see.
      findings.push(...judgeStaticOnly(this, claimedNumbers, callerIdNumber, CallerIdContext.QUEUE, 'callerIdNumber',
        replacedBy === undefined ? { callerIdName: props.callerIdName } : {}));
      if (replacedBy !== undefined && props.callerIdName !== undefined && !Token.isUnresolved(props.callerIdName)) {
        findings.push(...judgeCallerIdName({ name: props.callerIdName, context: CallerIdContext.QUEUE, replacedBy }));
      }
    }

    this.resource = new CfnQueue(this, 'Resource', {
      instanceArn: claimedNumbers.instanceArn,
      name: props.name,
      hoursOfOperationArn: props.hoursOfOperationArn,
      description: props.description,
      maxContacts: props.maxContacts,
    });
    computeLogicalIdOnce(this.resource);
    // The number is registered once the queue is one resource, so the deploy-time check's DependsOn goes straight
    // onto it instead of through a construct dependency, which aws-cdk-lib resolves by walking both trees.
    let numberArn: string | undefined;
    if (callerIdNumber?.kind === CallerIdKind.CLAIMED_IN_APP) {
      numberArn = callerIdNumber.claimed!.phoneNumberArn;
    } else if (callerIdNumber?.kind === CallerIdKind.STATIC_NUMBER) {
      numberArn = claimedNumbers._useNumber(this, callerIdNumber.value!, { context: CallerIdContext.QUEUE });
      if (numberArn === undefined && !hasErrors(findings)) {
        findings.push(finding(CallerIdRules.QUEUE_ARN_UNKNOWN,
          `callerIdNumber ${callerIdNumber} has no phone-number ARN in the inventory and the deploy-time check is off. ` +
          'Turn deployTimeCheck on, or record the number\'s arn (connect-caller-id lookup does)'));
      }
    }
    reportFindings(this, findings);
    this.resource.outboundCallerConfig = {
      outboundCallerIdNumberArn: numberArn,
      outboundCallerIdName: props.callerIdName,
      outboundFlowArn: props.outboundWhisperFlow?.flowArn,
    };
    StackBudget.of(Stack.of(this));
  }
}

/** Describes the outbound whisper flow when it presents a caller ID other than the queue's number. */
function replacingWhisperFlow(queueNumber: CallerId, whisper: IOutboundWhisperFlow | undefined): string | undefined {
  const flowCallerId = whisper?.callerId;
  if (!whisper || !flowCallerId) return undefined;
  const sameNumber = flowCallerId.kind === queueNumber.kind && flowCallerId.value === queueNumber.value && !flowCallerId.isDynamic;
  return sameNumber ? undefined : `the outbound whisper flow ${whisper.node.path} (callerId ${flowCallerId})`;
}
