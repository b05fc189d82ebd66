/**
 * A contact flow in the shape the console exports, written for these tests: two Transfer to phone number
 * blocks in a row, each taking its caller ID from a contact attribute with nothing guarding it, so each gets its
 * own CALLER_ID_DYNAMIC warning naming its action.
 */
export const BILLING_TRANSFER = 'transfer-billing';
export const SALES_TRANSFER = 'transfer-sales';

export function twoDynamicTransfers(): object {
  const transfer = (identifier: string, attribute: string, next: string) => ({
    Identifier: identifier,
    Type: 'TransferParticipantToThirdParty',
    Parameters: {
      ThirdPartyPhoneNumber: '+815012345678',
      ThirdPartyConnectionTimeLimitSeconds: '30',
      ContinueFlowExecution: 'True',
      CallerId: { Number: `$.Attributes.${attribute}` },
    },
    Transitions: {
      NextAction: next,
      Errors: [
        { NextAction: 'disconnect', ErrorType: 'CallFailed' },
        { NextAction: 'disconnect', ErrorType: 'ConnectionTimeLimitExceeded' },
      ],
    },
  });
  return {
    Version: '2019-10-30',
    StartAction: BILLING_TRANSFER,
    Metadata: {
      entryPointPosition: { x: 40, y: 40 },
      ActionMetadata: {
        [BILLING_TRANSFER]: { position: { x: 200, y: 40 } },
        [SALES_TRANSFER]: { position: { x: 480, y: 40 } },
        disconnect: { position: { x: 760, y: 40 } },
      },
    },
    Actions: [
      transfer(BILLING_TRANSFER, 'billingCallerId', SALES_TRANSFER),
      transfer(SALES_TRANSFER, 'salesCallerId', 'disconnect'),
      { Identifier: 'disconnect', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} },
    ],
  };
}
