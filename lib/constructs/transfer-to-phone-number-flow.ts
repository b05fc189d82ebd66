import { Duration, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { CfnContactFlow } from 'aws-cdk-lib/aws-connect';
import { Construct } from 'constructs';
import { ActionHandle, FlowBuilder } from '../core/flow/builder';
import { CallerIdSource } from '../core/flow/designer';
import { ActionTypes, ContactFlowType } from '../core/flow/model';
import { requiredErrorTypes } from '../core/flow/structure';
import { Finding } from '../core/findings';
import { CallerIdContext, judgeDestination } from '../core/rules';
import { addCallerIdGuard, describeGuard, guardValues } from './call-time-guard';
import { CallerId, CallerIdKind, TransferDestination } from './caller-id';
import { assertClaimedByInstance, CallerIdJudgementOptions, judgeCallerId, judgeStaticOnly } from './caller-id-judgement';
import { ClaimedNumbers } from './claimed-numbers';
import { registerStaticNumbers } from './deploy-time-uses';
import { flowContent } from './flow-content';
import { validateName } from './props';
import { reportFindings } from './report';
import { StackBudget } from './stack-budget';
import { brand, hasBrand } from './brand';
import { computeLogicalIdOnce } from './logical-id';

/** How long the third-party call may last unless `timeout` says otherwise (the `@default` of `timeout`). */
const DEFAULT_TIMEOUT_SECONDS = 30;

/** The flow types in which Connect allows Transfer to phone number. */
export enum TransferFlowType {
  /** An inbound flow. */
  CONTACT_FLOW = 'CONTACT_FLOW',
  CUSTOMER_QUEUE = 'CUSTOMER_QUEUE',
  AGENT_TRANSFER = 'AGENT_TRANSFER',
  QUEUE_TRANSFER = 'QUEUE_TRANSFER',
}

export interface TransferToPhoneNumberFlowProps {
  readonly claimedNumbers: ClaimedNumbers;
  /** The flow name (1-127 characters). */
  readonly name: string;
  /**
   * The flow type.
   * @default TransferFlowType.CONTACT_FLOW
   */
  readonly flowType?: TransferFlowType;
  /** The number the contact is transferred to. */
  readonly destination: TransferDestination;
  /** The caller ID the called party sees. `CallerId.passThrough()` passes the original caller's number on. */
  readonly callerId: CallerId;
  /**
   * Required with a dynamic `callerId`: the caller ID used when the value is not one of the claimed numbers.
   * @default - none; required when callerId is dynamic
   */
  readonly fallbackCallerId?: CallerId;
  /**
   * For a dynamic caller ID: the numbers it may take.
   * @default - every claimed number that can place calls (not UIFN)
   */
  readonly allowedCallerIds?: CallerId[];
  /**
   * The caller ID name (`CallerId.Name`) sent to the called party. CNAM does not apply to caller IDs set in a
   * flow, so many networks do not show it (warning `CALLER_ID_NAME_NOT_SHOWN`).
   * @default - none
   */
  readonly callerIdName?: string;
  /**
   * How long the third-party call may last when the flow resumes afterwards (0-600 seconds).
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
  /**
   * Resume this flow after the called party hangs up.
   * @default false
   */
  readonly continueFlowExecution?: boolean;
  /**
   * DTMF digits sent once the call connects (up to 50 of `0-9 , * #`).
   * @default - none
   */
  readonly dtmfDigits?: string;
  /**
   * @default - no description
   */
  readonly description?: string;
}

/**
 * A flow that transfers the contact to a phone number with a checked caller ID.
 *
 * A dynamic caller ID is checked during the call against the claimed numbers and replaced by the required
 * `fallbackCallerId` when it is not one of them, instead of the transfer failing and the call dropping.
 */
export class TransferToPhoneNumberFlow extends Construct {
  /** Whether `x` is a `TransferToPhoneNumberFlow`, also one made by another copy of this package (where `instanceof` is false). */
  public static isTransferToPhoneNumberFlow(x: any): x is TransferToPhoneNumberFlow {
    return hasBrand(x, 'TransferToPhoneNumberFlow');
  }

  public get flowArn(): string {
    // Made on first use: a reference token costs as much as the rest of the construct, and most flows' ARNs are never read.
    return this._flowArn ??= this.resource.attrContactFlowArn;
  }

  private _flowArn?: string;
  /** The underlying `AWS::Connect::ContactFlow`. */
  public readonly resource: CfnContactFlow;

  constructor(scope: Construct, id: string, props: TransferToPhoneNumberFlowProps) {
    super(scope, id);
    brand(this, 'TransferToPhoneNumberFlow');
    validateName(this, props.name);
    const { claimedNumbers, callerId } = props;
    const timeoutSeconds = this.timeoutSeconds(props.timeout);
    const continueFlow = props.continueFlowExecution ?? false;
    if (props.dtmfDigits !== undefined && !Token.isUnresolved(props.dtmfDigits) && !/^[0-9,*#]{1,50}$/.test(props.dtmfDigits)) {
      throw new Error(`${this.node.path}: dtmfDigits ${JSON.stringify(props.dtmfDigits)} must be 1-50 of 0-9 , * #`);
    }
    if (callerId.isDynamic && !props.fallbackCallerId) {
      throw new Error(`${this.node.path}: callerId ${callerId} is dynamic, so fallbackCallerId is required: ` +
        'the claimed number used when the value is not claimed, instead of the transfer failing');
    }
    if (!callerId.isDynamic && props.fallbackCallerId) {
      throw new Error(`${this.node.path}: fallbackCallerId only applies to a dynamic callerId; remove it or make callerId dynamic`);
    }

    const context = CallerIdContext.TRANSFER;
    const destination = props.destination.value;
    // Only a dynamic caller ID has a guard to describe.
    const guardedBy = callerId.isDynamic ? guardValues(this, claimedNumbers, props.allowedCallerIds) : [];
    // Every caller ID of the flow calls the same destination, so each is judged against it.
    const common: CallerIdJudgementOptions = props.destination.isDynamic ? {} : { destination };
    assertClaimedByInstance(this, claimedNumbers, { callerId, fallbackCallerId: props.fallbackCallerId });
    const findings: Finding[] = [...judgeCallerId(claimedNumbers, callerId, context, 'callerId', {
      ...common,
      callerIdName: props.callerIdName,
      guard: props.fallbackCallerId
        ? describeGuard(guardedBy, props.allowedCallerIds !== undefined, `fallbackCallerId ${props.fallbackCallerId}`)
        : undefined,
    })];
    if (props.fallbackCallerId) findings.push(...judgeStaticOnly(this, claimedNumbers, props.fallbackCallerId, context, 'fallbackCallerId', common));
    (props.allowedCallerIds ?? []).forEach((c, i) =>
      findings.push(...judgeStaticOnly(this, claimedNumbers, c, context, `allowedCallerIds[${i}]`, common)));
    if (!Token.isUnresolved(destination)) {
      findings.push(...judgeDestination(destination, 'destination'));
    }
    reportFindings(this, findings);

    const flowType = (props.flowType ?? TransferFlowType.CONTACT_FLOW) as string as ContactFlowType;
    const build = (guarded: readonly string[]): FlowBuilder => {
      const builder = new FlowBuilder({ type: flowType, name: props.name, description: props.description, isDeployTimeValue: Token.isUnresolved });
      const disconnect = builder.add(ActionTypes.DISCONNECT, {}, 'disconnect');
      const transferParameters = (number: string | undefined): Record<string, unknown> => ({
        ThirdPartyPhoneNumber: destination,
        ThirdPartyConnectionTimeLimitSeconds: timeoutSeconds,
        ContinueFlowExecution: continueFlow ? 'True' : 'False',
        ...(props.dtmfDigits !== undefined ? { ThirdPartyDTMFDigits: props.dtmfDigits } : {}),
        ...(number !== undefined || props.callerIdName !== undefined
          ? { CallerId: { ...(number !== undefined ? { Number: number } : {}), ...(props.callerIdName !== undefined ? { Name: props.callerIdName } : {}) } }
          : {}),
      });
      const transfer = (number: string | undefined, label: string, callerIdSource: CallerIdSource): ActionHandle => {
        const parameters = transferParameters(number);
        const action = builder.add(ActionTypes.TRANSFER_TO_PHONE_NUMBER, parameters, label, { callerIdSource }).next(disconnect);
        const errors = requiredErrorTypes({ Identifier: label, Type: ActionTypes.TRANSFER_TO_PHONE_NUMBER, Parameters: parameters, Transitions: {} }, flowType);
        for (const errorType of errors) action.onError(errorType, disconnect);
        return action;
      };

      const number = callerId.kind === CallerIdKind.PASS_THROUGH ? undefined : callerId.value;
      if (callerId.isDynamic) {
        const fallback = transfer(props.fallbackCallerId!.value, 'transfer with fallback caller id', CallerIdSource.CLAIMED);
        addCallerIdGuard(builder, callerId.value!, guarded, () => transfer(number, 'transfer to phone number', CallerIdSource.DYNAMIC), fallback);
      } else {
        builder.start(transfer(number, 'transfer to phone number', CallerIdSource.CLAIMED));
      }
      return builder;
    };

    this.resource = new CfnContactFlow(this, 'Resource', {
      instanceArn: claimedNumbers.instanceArn,
      name: props.name,
      type: flowType,
      content: flowContent(this, build, callerId.isDynamic ? { claimedNumbers, allowed: props.allowedCallerIds, values: guardedBy } : undefined),
      description: props.description,
    });
    computeLogicalIdOnce(this.resource);
    StackBudget.of(Stack.of(this)).addFlow(this.resource);
    registerStaticNumbers(this, claimedNumbers, [callerId, ...(props.fallbackCallerId ? [props.fallbackCallerId] : []), ...(props.allowedCallerIds ?? [])],
      { context, ...(props.destination.isDynamic ? {} : { destination }) });
    // The inventory's numbers a dynamic caller ID may take are verified too (claims made in the app are trusted).
    if (callerId.isDynamic && props.allowedCallerIds === undefined) {
      claimedNumbers._guardNumbers(this, guardedBy.filter((v) => !Token.isUnresolved(v)), context);
    }
  }

  /** The timeout as the flow language writes it: whole seconds as a string (a token stays a token). */
  private timeoutSeconds(timeout: Duration | undefined): string {
    // The default needs no Duration: it is what Duration.seconds(DEFAULT_TIMEOUT_SECONDS) would give.
    if (timeout === undefined) return String(DEFAULT_TIMEOUT_SECONDS);
    const seconds = timeout.toSeconds({ integral: false });
    if (Token.isUnresolved(seconds)) return Tokenization.stringifyNumber(seconds);
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > 600) {
      throw new Error(`${this.node.path}: timeout must be a whole number of seconds from 0 to 600, got ${seconds}`);
    }
    return String(seconds);
  }
}
