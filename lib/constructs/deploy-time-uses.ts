// What a construct registers with the deploy-time check (`CallerIdVerification`): the static numbers it uses,
// and how a flow action uses its caller ID.
import { IConstruct } from 'constructs';
import { parseE164 } from '../core/e164';
import { ActionTypes, FlowAction } from '../core/flow/model';
import { CallerIdContext } from '../core/rules';
import { CallerId, CallerIdKind } from './caller-id';
import { NumberUse } from './caller-id-verification';
import { ClaimedNumbers } from './claimed-numbers';

/**
 * Registers every static number a construct uses with the deploy-time check, so the construct deploys only once
 * the live instance has confirmed them. Approved external numbers are not registered: the instance does not
 * list them, so the check would refuse them.
 */
export function registerStaticNumbers(user: IConstruct, claimedNumbers: ClaimedNumbers, callerIds: readonly CallerId[], use: NumberUse): void {
  for (const callerId of callerIds) {
    if (callerId.kind === CallerIdKind.STATIC_NUMBER) claimedNumbers._useNumber(user, callerId.value!, use);
  }
}

/**
 * How a flow action that places a call uses its caller ID, for the rules the deploy-time check applies: Call
 * phone number in an outbound whisper flow, or a transfer with its destination when that is a literal number.
 */
export function flowNumberUse(action: FlowAction): NumberUse {
  if (action.Type === ActionTypes.CALL_PHONE_NUMBER) return { context: CallerIdContext.OUTBOUND_WHISPER };
  const destination = action.Parameters.ThirdPartyPhoneNumber;
  return { context: CallerIdContext.TRANSFER, ...(typeof destination === 'string' && parseE164(destination).ok ? { destination } : {}) };
}
