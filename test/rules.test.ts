import { checkFlow, usesDynamicCallerId } from '../lib/core/flow/check';
import { ContactFlowType } from '../lib/core/flow/model';
import { readFlowExport } from '../lib/core/flow/reader';
import { Severity } from '../lib/core/findings';
import { CallerIdContext, judgeCallerIdReference, judgeStaticCallerId } from '../lib/core/rules';
import { exampleInventory, flowFixture, flowFixtureText } from './support/fixtures';

const inventory = exampleInventory();
const use = (number: string) => judgeStaticCallerId({ number, context: CallerIdContext.TRANSFER, inventory, property: 'callerId' });

describe('static caller ID rules', () => {
  test('a claimed E.164 number passes', () => {
    expect(use('+81368001234')).toEqual([]);
  });

  test('an unclaimed number is refused, listing the closest claimed numbers', () => {
    const [f] = use('+81368001299');
    expect(f.ruleId).toBe('CALLER_ID_NOT_CLAIMED');
    expect(f.severity).toBe(Severity.ERROR);
    expect(f.message).toContain('+81368001299 is not claimed by arn:aws:connect:ap-northeast-1:123456789012:instance/7c4e1f0a');
    expect(f.message).toContain('closest claimed: +81368001234, +81368001235');
  });

  test('a national-format number is refused with the E.164 form read in the instance\'s country', () => {
    const [f] = use('03-6800-1234');
    expect(f.ruleId).toBe('CALLER_ID_NOT_E164');
    expect(f.message).toBe('callerId "03-6800-1234" is refused: it does not start with + and the country code; did you mean +81368001234?');
  });

  test('a region name is refused as not E.164 (a field test saw the transfer fail)', () => {
    expect(use('ap-northeast-1')[0]).toMatchObject({ ruleId: 'CALLER_ID_NOT_E164' });
  });

  test('a number of invalid length is refused as invalid', () => {
    expect(use('+8136800')[0]).toMatchObject({ ruleId: 'CALLER_ID_INVALID_NUMBER' });
  });

  test('without an inventory, claim checks are left to deploy time but E.164 is still judged', () => {
    expect(judgeStaticCallerId({ number: '+81368001299', context: CallerIdContext.QUEUE, property: 'x' })).toEqual([]);
    expect(judgeStaticCallerId({ number: '0368001299', context: CallerIdContext.QUEUE, property: 'x' })[0].ruleId).toBe('CALLER_ID_NOT_E164');
  });
});

describe('dynamic caller ID rules', () => {
  test('single references pass', () => {
    for (const ref of ['$.Attributes.callerId', '$.External.callerId', '$.SystemEndpoint.Address', '$.Queue.OutboundCallerId.Address']) {
      expect(judgeCallerIdReference(ref, CallerIdContext.TRANSFER, 'callerId')).toEqual([]);
    }
  });

  test('the customer\'s own number is refused (a field test saw the transfer fail)', () => {
    expect(judgeCallerIdReference('$.CustomerEndpoint.Address', CallerIdContext.TRANSFER, 'callerId')[0])
      .toMatchObject({ ruleId: 'CALLER_ID_CUSTOMER_NUMBER', message: expect.stringContaining("the caller's own number") });
  });

  test('text mixed with a reference is refused', () => {
    expect(judgeCallerIdReference('+81$.Attributes.x', CallerIdContext.TRANSFER, 'callerId')[0].ruleId).toBe('CALLER_ID_INVALID_REFERENCE');
    expect(judgeCallerIdReference('$.Attributes.a $.Attributes.b', CallerIdContext.TRANSFER, 'callerId')[0].ruleId).toBe('CALLER_ID_INVALID_REFERENCE');
  });
});

describe('checkFlow on console exports', () => {
  const check = (flow: any, type: ContactFlowType) => checkFlow(readFlowExport(JSON.stringify(flow), 'flow.json').flow, { type, inventory });
  const ids = (findings: { ruleId: string }[]) => findings.map((f) => f.ruleId);
  const transferOf = (flow: any) => flow.Actions.find((a: any) => a.Type === 'TransferParticipantToThirdParty');

  test('the good inbound transfer export has no findings', () => {
    expect(check(flowFixture('inbound-transfer-to-phone.json'), ContactFlowType.CONTACT_FLOW)).toEqual([]);
  });

  test('the good outbound whisper export has no findings', () => {
    expect(check(flowFixture('outbound-whisper.json'), ContactFlowType.OUTBOUND_WHISPER)).toEqual([]);
  });

  test.each([
    ['ap-northeast-1', 'CALLER_ID_NOT_E164'],
    ['+81368001299', 'CALLER_ID_NOT_CLAIMED'],
    ['03-6800-1234', 'CALLER_ID_NOT_E164'],
    ['$.CustomerEndpoint.Address', 'CALLER_ID_CUSTOMER_NUMBER'],
  ])('a transfer with caller ID %s is refused with %s, naming the action', (number, ruleId) => {
    const flow = flowFixture('inbound-transfer-to-phone.json');
    transferOf(flow).Parameters.CallerId.Number = number;
    const findings = check(flow, ContactFlowType.CONTACT_FLOW);
    expect(ids(findings)).toEqual([ruleId]);
    expect(findings[0].actionId).toBe(transferOf(flow).Identifier);
  });

  test('a transfer with no caller ID is refused', () => {
    const flow = flowFixture('inbound-transfer-to-phone.json');
    delete transferOf(flow).Parameters.CallerId;
    expect(ids(check(flow, ContactFlowType.CONTACT_FLOW))).toEqual(['CALLER_ID_UNSET']);
  });

  test('a transfer in an outbound whisper flow is refused', () => {
    // Its Disconnect is refused there too: whisper flows end with End flow.
    expect(ids(check(flowFixture('inbound-transfer-to-phone.json'), ContactFlowType.OUTBOUND_WHISPER))).toEqual(['FLOW_TRANSFER_WRONG_TYPE', 'FLOW_DISCONNECT_WRONG_TYPE']);
  });

  test('Call phone number outside an outbound whisper flow is refused', () => {
    // Its End flow is refused there too: inbound flows end with Disconnect.
    expect(ids(check(flowFixture('outbound-whisper.json'), ContactFlowType.CONTACT_FLOW))).toEqual(['FLOW_CALL_PHONE_NUMBER_WRONG_TYPE', 'FLOW_END_FLOW_WRONG_TYPE']);
  });

  test('a prompt before Call phone number is refused, naming both actions', () => {
    const findings = check(flowFixture('whisper-prompt-before-call.json'), ContactFlowType.OUTBOUND_WHISPER);
    expect(ids(findings)).toEqual(['FLOW_PARTICIPANT_BEFORE_CALL']);
    expect(findings[0].message).toMatch(/MessageParticipant ".+" can run before Call phone number/);
  });

  test('a destination that is not E.164 is refused', () => {
    const flow = flowFixture('inbound-transfer-to-phone.json');
    transferOf(flow).Parameters.ThirdPartyPhoneNumber = '050-1234-5678';
    expect(ids(check(flow, ContactFlowType.CONTACT_FLOW))).toEqual(['DESTINATION_NOT_E164']);
  });

  test('a DescribeContactFlow export (old timeout spelling) is read with its type and judged', () => {
    const read = readFlowExport(flowFixtureText('queue-transfer-describe-contact-flow.json'), 'x.json');
    expect(read.type).toBe(ContactFlowType.QUEUE_TRANSFER);
    const transfer = read.flow.Actions.find((a) => a.Type === 'TransferParticipantToThirdParty')!;
    expect(transfer.Parameters).toHaveProperty('ThirdPartyConnectionTimeLimitSeconds');
    expect(transfer.Parameters).not.toHaveProperty('ThirdPartyConnectionTimeoutSeconds');
    // The export sets CallerId.Name on its transfer, which CNAM does not show: a warning, not an error.
    expect(ids(checkFlow(read.flow, { type: read.type!, inventory }))).toEqual(['CALLER_ID_NAME_NOT_SHOWN']);
  });

  test('usesDynamicCallerId tells a reference from a static number', () => {
    const flow = flowFixture('outbound-whisper.json');
    const read = () => readFlowExport(JSON.stringify(flow), 'x').flow;
    const call = flow.Actions.find((a: any) => a.Type === 'CompleteOutboundCall');
    call.Parameters.CallerId.Number = '+81368001234';
    expect(usesDynamicCallerId(read())).toBe(false);
    call.Parameters.CallerId.Number = '$.Attributes.callerId';
    expect(usesDynamicCallerId(read())).toBe(true);
  });
});
