import { findRule } from '../lib/core/catalogue';
import { checkFlow, checkFlowExport, FlowContentStage, FlowTypeSource, usesDynamicCallerId } from '../lib/core/flow/check';
import { ActionTypes, ContactFlowType, FlowDocument } from '../lib/core/flow/model';
import { FLOW_MODULE, readFlowExport } from '../lib/core/flow/reader';
import { Severity } from '../lib/core/findings';
import { ClaimedNumber, Inventory, PhoneNumberType } from '../lib/core/inventory';
import {
  CallerIdContext, callerIdValueForm, judgeCallerIdReference, judgeStaticCallerId, templatePlaceholderIn, withoutReferences,
} from '../lib/core/rules';
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
    expect(ids(check(flowFixture('inbound-transfer-to-phone.json'), ContactFlowType.OUTBOUND_WHISPER))).toEqual(['FLOW_DISCONNECT_WRONG_TYPE', 'FLOW_TRANSFER_WRONG_TYPE']);
  });

  test('Call phone number outside an outbound whisper flow is refused', () => {
    // Its End flow is refused there too: inbound flows end with Disconnect.
    expect(ids(check(flowFixture('outbound-whisper.json'), ContactFlowType.CONTACT_FLOW))).toEqual(['FLOW_END_FLOW_WRONG_TYPE', 'FLOW_CALL_PHONE_NUMBER_WRONG_TYPE']);
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

describe('a transfer without a caller ID number', () => {
  const inventoryIn = (region: string, numbers: ClaimedNumber[] = []) =>
    new Inventory(`arn:aws:connect:${region}:123456789012:instance/4b2d6c1e-0f3a-4c5e-9d7b-1a2b3c4d5e6f`, numbers);
  const transfer = (destination: string, callerId?: Record<string, string>): FlowDocument => ({
    Version: '2019-10-30', StartAction: 't',
    Actions: [
      { Identifier: 't', Type: ActionTypes.TRANSFER_TO_PHONE_NUMBER,
        Parameters: { ThirdPartyPhoneNumber: destination, ThirdPartyConnectionTimeLimitSeconds: '30', ContinueFlowExecution: 'False', ...(callerId ? { CallerId: callerId } : {}) },
        Transitions: { NextAction: 'd', Errors: [{ NextAction: 'd', ErrorType: 'NoMatchingError' }] } },
      { Identifier: 'd', Type: ActionTypes.DISCONNECT, Parameters: {}, Transitions: {} },
    ],
  });
  const judged = (flow: FlowDocument, inv: Inventory) => checkFlow(flow, { type: ContactFlowType.CONTACT_FLOW, inventory: inv })
    .filter((f) => f.ruleId === 'CALLER_ID_UNSET' || f.ruleId === 'CALLER_ID_PASS_THROUGH');

  test('GIVEN a US instance WHEN a transfer sets no caller ID THEN an acknowledgeable warning names pass-through', () => {
    const [f] = judged(transfer('+12025550143'), inventoryIn('us-east-1'));
    expect(f).toMatchObject({ ruleId: 'CALLER_ID_PASS_THROUGH', severity: Severity.WARNING, actionId: 't' });
    expect(f.message).toContain("Connect passes the original caller's number on to the called party (pass-through)");
    expect(f.message).toContain('the instance is in US, its Region is us-east-1');
  });

  test.each([
    ['ap-northeast-1', 'JP', 'anonymous call'],
    ['ap-southeast-2', 'AU', 'not a number provided by Amazon Connect'],
    ['eu-west-2', 'GB', 'without proper caller identification'],
  ])('GIVEN an instance in %s (%s) WHEN a transfer sets no caller ID THEN it is an error saying what the evidence says', (region, country, evidence) => {
    const [f] = judged(transfer('+12025550143'), inventoryIn(region));
    expect(f).toMatchObject({ ruleId: 'CALLER_ID_UNSET', severity: Severity.ERROR });
    expect(f.message).toContain(`the instance is in ${country} (its Region is ${region})`);
    expect(f.message).toContain(evidence);
  });

  test('GIVEN a US instance WHEN the static destination is in Japan THEN it is an error naming the destination', () => {
    const [f] = judged(transfer('+81368009999'), inventoryIn('us-east-1'));
    expect(f.ruleId).toBe('CALLER_ID_UNSET');
    expect(f.message).toContain('the destination +81368009999 is in JP');
  });

  test('GIVEN an ARN of no known Connect Region WHEN its numbers are Australian THEN the numbers tell the country', () => {
    const inv = inventoryIn('xx-test-1', [{ number: '+61255501234', type: PhoneNumberType.DID, countryCode: 'AU' }]);
    expect(judged(transfer('+12025550143'), inv)[0].message).toContain('the instance is in AU (its claimed numbers are in AU)');
  });

  test('GIVEN only CallerId.Name WHEN judged THEN it is the same case as no caller ID, and the name is judged too', () => {
    const flow = transfer('+12025550143', { Name: 'Support' });
    const findings = checkFlow(flow, { type: ContactFlowType.CONTACT_FLOW, inventory: inventoryIn('us-east-1') });
    expect(findings.map((f) => f.ruleId)).toEqual(['CALLER_ID_PASS_THROUGH', 'CALLER_ID_NAME_NOT_SHOWN']);
    expect(findings[0].message).toContain('(only CallerId.Name "Support")');
    expect(judged(flow, inventoryIn('ap-northeast-1'))[0].ruleId).toBe('CALLER_ID_UNSET');
  });

  test('GIVEN the catalogue THEN pass-through is a warning (acknowledgeable) and unset an error', () => {
    expect(findRule('CALLER_ID_PASS_THROUGH')!.severity).toBe(Severity.WARNING);
    expect(findRule('CALLER_ID_UNSET')!.severity).toBe(Severity.ERROR);
  });
});

describe('values of a flow that are not for check to judge', () => {
  const us = new Inventory('arn:aws:connect:us-east-1:123456789012:instance/4b2d6c1e-0f3a-4c5e-9d7b-1a2b3c4d5e6f', []);
  const flowWith = (parameters: Record<string, unknown>, type: string = ActionTypes.TRANSFER_TO_PHONE_NUMBER): FlowDocument => ({
    Version: '2019-10-30', StartAction: 'a',
    Actions: [
      { Identifier: 'a', Type: type, Parameters: { ThirdPartyConnectionTimeLimitSeconds: '30', ContinueFlowExecution: 'False', ...parameters },
        Transitions: { NextAction: 'd', Errors: [{ NextAction: 'd', ErrorType: 'NoMatchingError' }] } },
      { Identifier: 'd', Type: ActionTypes.DISCONNECT, Parameters: {}, Transitions: {} },
    ],
  });
  const ids = (findings: { ruleId: string }[]) => findings.map((f) => f.ruleId);

  test.each([
    ['a mustache destination', { ThirdPartyPhoneNumber: '+1{{phoneNumber}}', CallerId: { Number: '+81368001234' } }, '{{phoneNumber}}'],
    ['a CloudFormation Sub destination', { ThirdPartyPhoneNumber: '${TRANSFERNUMBER}', CallerId: { Number: '+81368001234' } }, '${TRANSFERNUMBER}'],
    ['a %NAME% caller ID', { ThirdPartyPhoneNumber: '+815012345678', CallerId: { Number: '%CALLER_ID%' } }, '%CALLER_ID%'],
  ])('GIVEN %s in a file still to be rendered THEN the value is not judged, and one warning says so', (_what, parameters, placeholder) => {
    const findings = checkFlow(flowWith(parameters), { type: ContactFlowType.CONTACT_FLOW, inventory, stage: FlowContentStage.TEMPLATE });
    expect(ids(findings)).toEqual(['FLOW_TEMPLATE_PLACEHOLDER']);
    expect(findings[0]).toMatchObject({ severity: Severity.WARNING });
    expect(findings[0].message).toContain(JSON.stringify(placeholder));
  });

  test('GIVEN several placeholders in a file THEN there is one warning with their count', () => {
    const flow = flowWith({ ThirdPartyPhoneNumber: '{{destination}}', CallerId: { Number: '${var.caller_id}', Name: '{{name}}' } });
    const findings = checkFlow(flow, { type: ContactFlowType.CONTACT_FLOW, inventory, stage: FlowContentStage.TEMPLATE });
    expect(ids(findings)).toEqual(['FLOW_TEMPLATE_PLACEHOLDER']);
    expect(findings[0].message).toMatch(/^3 values of this flow hold a template placeholder/);
  });

  test('GIVEN a placeholder in content that deploys as written (the default) THEN one error names it and the fix', () => {
    const flow = flowWith({ ThirdPartyPhoneNumber: '+815012345678', CallerId: { Number: '+1{{callerId}}' } });
    const findings = checkFlow(flow, { type: ContactFlowType.CONTACT_FLOW, inventory });
    expect(ids(findings)).toEqual(['FLOW_TEMPLATE_PLACEHOLDER_DEPLOYED']);
    expect(findings[0]).toMatchObject({ severity: Severity.ERROR });
    expect(findings[0].message).toContain('CallerId.Number "{{callerId}}" (action "a")');
    expect(findings[0].message).toContain('Connect would receive it literally');
    expect(findings[0].message).toContain('Substitute the values before synth');
    expect(ids(checkFlow(flow, { type: ContactFlowType.CONTACT_FLOW, inventory, stage: FlowContentStage.DEPLOYED })))
      .toEqual(['FLOW_TEMPLATE_PLACEHOLDER_DEPLOYED']);
  });

  test('GIVEN the same file through checkFlowExport, as check reads it THEN a warning: a file may still be rendered', () => {
    const text = JSON.stringify(flowWith({ ThirdPartyPhoneNumber: '+815012345678', CallerId: { Number: '+1{{callerId}}' } }));
    const result = checkFlowExport(readFlowExport(text, 'f'), { inventory, defaultType: ContactFlowType.CONTACT_FLOW });
    expect(ids(result.findings)).toEqual(['FLOW_TEMPLATE_PLACEHOLDER']);
  });

  test('the two placeholder rules are a warning for files and an error for deployed content', () => {
    expect(findRule('FLOW_TEMPLATE_PLACEHOLDER')!.severity).toBe(Severity.WARNING);
    expect(findRule('FLOW_TEMPLATE_PLACEHOLDER')!.fix).not.toContain('see the final values');
    expect(findRule('FLOW_TEMPLATE_PLACEHOLDER_DEPLOYED')!.severity).toBe(Severity.ERROR);
  });

  test.each([
    ['$.Attributes.x', undefined], ['+81368001234', undefined], ['100% Support', undefined], ['%%', undefined], ['a}{b', undefined],
    ['pre ${x} post', '${x}'], ['{{a.b}}', '{{a.b}}'], ['%DEST_1%', '%DEST_1%'], ['50% off %CODE%', '%CODE%'],
  ])('templatePlaceholderIn(%j) is %j', (value, expected) => {
    expect(templatePlaceholderIn(value)).toBe(expected);
  });

  test.each<[string, Record<string, unknown>, string, string]>([
    ['a numeric transfer caller ID', { ThirdPartyPhoneNumber: '+815012345678', CallerId: { Number: 81368001234 } }, 'CallerId.Number must be a string; got number 81368001234', 'Write it as the JSON string "+81368001234"'],
    ['a null transfer caller ID', { ThirdPartyPhoneNumber: '+815012345678', CallerId: { Number: null } }, 'CallerId.Number must be a string; got null', 'Write it as a JSON string'],
    ['a numeric destination', { ThirdPartyPhoneNumber: 815012345678, CallerId: { Number: '+81368001234' } }, 'ThirdPartyPhoneNumber must be a string; got number 815012345678', '"+815012345678"'],
    ['a null destination', { ThirdPartyPhoneNumber: null, CallerId: { Number: '+81368001234' } }, 'ThirdPartyPhoneNumber must be a string; got null', 'JSON string'],
    ['a CallerId that is a string', { ThirdPartyPhoneNumber: '+815012345678', CallerId: '+81368001234' }, 'CallerId must be an object such as {"Number": "+81368001234"}; got the string "+81368001234"', ''],
    ['a boolean caller ID name', { ThirdPartyPhoneNumber: '+815012345678', CallerId: { Number: '+81368001234', Name: true } }, 'CallerId.Name must be a string; got boolean true', ''],
  ])('GIVEN %s THEN FLOW_VALUE_NOT_STRING says what it got and what to write, and nothing calls it unset', (_what, parameters, message, hint) => {
    const findings = checkFlow(flowWith(parameters), { type: ContactFlowType.CONTACT_FLOW, inventory });
    expect(ids(findings)).toEqual(['FLOW_VALUE_NOT_STRING']);
    expect(findings[0].message).toContain(message);
    expect(findings[0].message).toContain(hint);
  });

  test('GIVEN a numeric whisper caller ID THEN it is refused as not a string', () => {
    const flow: FlowDocument = { Version: '2019-10-30', StartAction: 'c', Actions: [
      { Identifier: 'c', Type: ActionTypes.CALL_PHONE_NUMBER, Parameters: { CallerId: { Number: 81368001234 } }, Transitions: { NextAction: 'e' } },
      { Identifier: 'e', Type: ActionTypes.END_FLOW, Parameters: {}, Transitions: {} },
    ] };
    expect(ids(checkFlow(flow, { type: ContactFlowType.OUTBOUND_WHISPER, inventory }))).toEqual(['FLOW_VALUE_NOT_STRING']);
  });

  test('GIVEN an empty CallerId.Number THEN only FLOW_EMPTY_PARAMETER: Connect refuses the flow, so nothing is passed through', () => {
    expect(ids(checkFlow(flowWith({ ThirdPartyPhoneNumber: '+12025550143', CallerId: { Number: '' } }), { type: ContactFlowType.CONTACT_FLOW, inventory: us })))
      .toEqual(['FLOW_EMPTY_PARAMETER']);
  });

  test('GIVEN an empty ThirdPartyPhoneNumber THEN only FLOW_EMPTY_PARAMETER, not also a destination that is not E.164', () => {
    expect(ids(checkFlow(flowWith({ ThirdPartyPhoneNumber: '', CallerId: { Number: '+81368001234' } }), { type: ContactFlowType.CONTACT_FLOW, inventory })))
      .toEqual(['FLOW_EMPTY_PARAMETER']);
  });

  test('GIVEN an empty Call phone number caller ID THEN only FLOW_EMPTY_PARAMETER', () => {
    const flow: FlowDocument = { Version: '2019-10-30', StartAction: 'c', Actions: [
      { Identifier: 'c', Type: ActionTypes.CALL_PHONE_NUMBER, Parameters: { CallerId: { Number: '' } }, Transitions: { NextAction: 'e' } },
      { Identifier: 'e', Type: ActionTypes.END_FLOW, Parameters: {}, Transitions: {} },
    ] };
    expect(ids(checkFlow(flow, { type: ContactFlowType.OUTBOUND_WHISPER, inventory }))).toEqual(['FLOW_EMPTY_PARAMETER']);
  });

  test('GIVEN a CallerId with a Name and no Number at all THEN it is still judged as unset', () => {
    expect(ids(checkFlow(flowWith({ ThirdPartyPhoneNumber: '+12025550143', CallerId: { Name: 'Support' } }), { type: ContactFlowType.CONTACT_FLOW, inventory: us })))
      .toContain('CALLER_ID_PASS_THROUGH');
  });
});

describe('drafts', () => {
  // A draft as the designer saves it: an entry point connected to nothing, branches left unconnected ("").
  const draft: FlowDocument = {
    Version: '2019-10-30', StartAction: '',
    Metadata: { status: 'SAVED' },
    Actions: [
      { Identifier: 'call', Type: ActionTypes.CALL_PHONE_NUMBER, Parameters: { CallerId: { Number: '+81368001299' } }, Transitions: { NextAction: '' } },
      ...['p1', 'p2', 'p3', 'p4', 'p5', 'p6'].map((id) => ({
        Identifier: id, Type: ActionTypes.MESSAGE_PARTICIPANT, Parameters: { Text: 'hello' },
        Transitions: { NextAction: '', Errors: [{ NextAction: '', ErrorType: 'NoMatchingError' }] },
      })),
    ],
  };

  test('GIVEN a draft with structure problems THEN one finding says it will fail to publish, with the count per rule and the first actions', () => {
    const findings = checkFlow(draft, { type: ContactFlowType.OUTBOUND_WHISPER, inventory, draft: 'Metadata.status is "SAVED"' });
    const summary = findings.filter((f) => f.ruleId.startsWith('FLOW_'));
    expect(summary).toHaveLength(1);
    expect(summary[0]).toMatchObject({ ruleId: 'FLOW_DRAFT_UNPUBLISHABLE', severity: Severity.ERROR });
    expect(summary[0].message).toContain('The flow is a draft (Metadata.status is "SAVED"): Connect stored it without validating it, and it will fail to publish with 14 problems');
    expect(summary[0].message).toContain('FLOW_START_ACTION x1, FLOW_DANGLING_TRANSITION x13');
    expect(summary[0].message).toContain('actions "call", "p1", "p2", "p3", "p4" and 2 more');
    expect(summary[0].message).not.toContain('refuses to save');
  });

  test('GIVEN the same draft THEN its caller ID rules still apply', () => {
    const findings = checkFlow(draft, { type: ContactFlowType.OUTBOUND_WHISPER, inventory, draft: 'Metadata.status is "SAVED"' });
    expect(findings.map((f) => f.ruleId)).toContain('CALLER_ID_NOT_CLAIMED');
  });

  test('GIVEN the same content not known to be a draft THEN each structure problem is its own finding', () => {
    const findings = checkFlow(draft, { type: ContactFlowType.OUTBOUND_WHISPER, inventory });
    expect(findings.filter((f) => f.ruleId === 'FLOW_DANGLING_TRANSITION')).toHaveLength(13);
  });
});

describe('linear-time matching of user values', () => {
  test('GIVEN a long dotted reference with a trailing space THEN it is read as a mix at once (it once backtracked for minutes)', () => {
    expect(callerIdValueForm(`$.Attributes${'.b'.repeat(100_000)} `)).toBe('mixed');
    expect(callerIdValueForm(`$.Attributes${'.b'.repeat(100_000)}`)).toBe('reference');
  });

  test.each([
    ['$.Attributes.callerId', 'reference'], ['$.External.caller_id', 'reference'], ["$.Attributes['caller id']", 'reference'],
    ['$.Attributes.a.b[0].c-d', 'reference'], ['$.Attributes.', 'mixed'], ['$.Attributes.a b', 'mixed'], ['+81$.Attributes.x', 'mixed'],
    ['$.Attributes.a$.Attributes.b', 'mixed'], ['+81368001234', 'static'], ['ap-northeast-1', 'static'],
  ])('callerIdValueForm(%j) is %s', (value, form) => {
    expect(callerIdValueForm(value)).toBe(form);
  });

  test.each([
    ['Support $.Attributes.team', 'Support ', true], ['$.Attributes.a[x]!', '!', true], ['$.A[ $.A[ $.A[', '$.A[ $.A[ $.A[', false],
    ['no refs', 'no refs', false], ['$.a.b $.c[d] end', '  end', true], ['$.Attributes.x[]', '[]', true],
  ])('withoutReferences(%j) leaves %j', (name, text, hasReferences) => {
    expect(withoutReferences(name)).toEqual({ text, hasReferences });
  });

  test('GIVEN a name of unclosed brackets after references THEN it is scanned once', () => {
    const name = '$.A['.repeat(50_000);
    expect(withoutReferences(name)).toEqual({ text: name, hasReferences: false });
  });
});

describe('participant actions before Call phone number', () => {
  test('GIVEN many prompts that all reach one Call phone number THEN one finding for the call, naming a prompt', () => {
    const prompts = Array.from({ length: 3000 }, (_, i) => ({
      Identifier: `p${i}`, Type: ActionTypes.MESSAGE_PARTICIPANT, Parameters: { Text: 'hi' },
      Transitions: { NextAction: i + 1 < 3000 ? `p${i + 1}` : 'call', Errors: [{ NextAction: 'call', ErrorType: 'NoMatchingError' }] },
    }));
    const flow: FlowDocument = { Version: '2019-10-30', StartAction: 'p0', Actions: [
      ...prompts,
      { Identifier: 'call', Type: ActionTypes.CALL_PHONE_NUMBER, Parameters: { CallerId: { Number: '+81368001234' } }, Transitions: { NextAction: 'end' } },
      { Identifier: 'end', Type: ActionTypes.END_FLOW, Parameters: {}, Transitions: {} },
    ] };
    const findings = checkFlow(flow, { type: ContactFlowType.OUTBOUND_WHISPER, inventory }).filter((f) => f.ruleId === 'FLOW_PARTICIPANT_BEFORE_CALL');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ actionId: 'call', message: expect.stringMatching(/^MessageParticipant "p\d+" can run before Call phone number "call"/) });
  });
});

describe('the guard of a dynamic caller ID', () => {
  const guarded = (extra: number): FlowDocument => ({
    Version: '2019-10-30', StartAction: 'cmp',
    Actions: [
      { Identifier: 'cmp', Type: ActionTypes.COMPARE, Parameters: { ComparisonValue: '$.Attributes.cid' },
        Transitions: { NextAction: 'end', Conditions: [{ NextAction: 't', Condition: { Operator: 'Equals', Operands: ['+81368001234'] } }],
          Errors: [{ NextAction: 'end', ErrorType: 'NoMatchingCondition' }] } },
      { Identifier: 't', Type: ActionTypes.TRANSFER_TO_PHONE_NUMBER,
        Parameters: { ThirdPartyPhoneNumber: '+815012345678', ThirdPartyConnectionTimeLimitSeconds: '30', ContinueFlowExecution: 'False', CallerId: { Number: '$.Attributes.cid' } },
        Transitions: { NextAction: 'end', Errors: [{ NextAction: 'end', ErrorType: 'NoMatchingError' }] } },
      ...Array.from({ length: extra }, (_, i) => ({ Identifier: `x${i}`, Type: ActionTypes.SET_CONTACT_ATTRIBUTES, Parameters: {}, Transitions: { NextAction: 'end' } })),
      { Identifier: 'end', Type: ActionTypes.DISCONNECT, Parameters: {}, Transitions: {} },
    ],
  });
  const dynamic = (flow: FlowDocument) => checkFlow(flow, { type: ContactFlowType.CONTACT_FLOW, inventory }).find((f) => f.ruleId === 'CALLER_ID_DYNAMIC')!;

  test('GIVEN a Compare on the reference letting only claimed numbers through THEN the warning says it is guarded', () => {
    expect(dynamic(guarded(0)).message).toContain('It is reached only through Compare "cmp" on the same reference');
  });

  test('GIVEN the same flow over Connect\'s 250 actions THEN the guard is not analysed, and the warning says why', () => {
    expect(dynamic(guarded(250)).message).toContain('Its guard was not analysed: the flow has 253 actions, more than the 250 Connect accepts');
  });
});

describe('checkFlowExport: which type a file is checked as', () => {
  const whisper = JSON.stringify({ Version: '2019-10-30', StartAction: 'c', Actions: [
    { Identifier: 'c', Type: ActionTypes.CALL_PHONE_NUMBER, Parameters: { CallerId: { Number: '+81368001234' } }, Transitions: { NextAction: 'e' } },
    { Identifier: 'e', Type: ActionTypes.END_FLOW, Parameters: {}, Transitions: {} },
  ] });
  const transferText = (metadata?: Record<string, unknown>) => JSON.stringify({ ...flowFixture('inbound-transfer-to-phone.json'), Metadata: metadata ?? {} });

  test('GIVEN a file stating its type THEN that type wins over the default', () => {
    const result = checkFlowExport(readFlowExport(transferText({ type: 'contactFlow' }), 'f'), { inventory, defaultType: ContactFlowType.OUTBOUND_WHISPER });
    expect(result).toMatchObject({ type: ContactFlowType.CONTACT_FLOW, typeSource: FlowTypeSource.FILE, notRun: [] });
    expect(result.findings).toEqual([]);
  });

  test('GIVEN no stated type and a Call phone number block THEN the content shows an outbound whisper flow, and a default that disagrees is warned about', () => {
    const result = checkFlowExport(readFlowExport(whisper, 'f'), { inventory, defaultType: ContactFlowType.CONTACT_FLOW });
    expect(result).toMatchObject({ type: ContactFlowType.OUTBOUND_WHISPER, typeSource: FlowTypeSource.CONTENT, notRun: [] });
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ ruleId: 'FLOW_DEFAULT_TYPE_CONTRADICTED', severity: Severity.WARNING });
    expect(result.findings[0].message).toContain('the default type is CONTACT_FLOW, but its action "c" is Call phone number');
    expect(result.findings[0].message).toContain('so it is checked as OUTBOUND_WHISPER, not as CONTACT_FLOW');
  });

  test('GIVEN the same whisper flow with the default OUTBOUND_WHISPER, or no default THEN nothing to warn about', () => {
    expect(checkFlowExport(readFlowExport(whisper, 'f'), { inventory, defaultType: ContactFlowType.OUTBOUND_WHISPER }).findings).toEqual([]);
    expect(checkFlowExport(readFlowExport(whisper, 'f'), { inventory }).findings).toEqual([]);
  });

  test('GIVEN no type anywhere THEN the default applies, and without one the type rules are listed as not run while the others run', () => {
    const read = readFlowExport(transferText(), 'f');
    expect(checkFlowExport(read, { inventory, defaultType: ContactFlowType.OUTBOUND_WHISPER }).findings.map((f) => f.ruleId))
      .toEqual(['FLOW_DISCONNECT_WRONG_TYPE', 'FLOW_TRANSFER_WRONG_TYPE']);
    const untyped = checkFlowExport(readFlowExport(transferText().replace('+81368001234', '+81368001299'), 'f'), { inventory });
    expect(untyped.type).toBeUndefined();
    expect(untyped.findings.map((f) => f.ruleId)).toEqual(['CALLER_ID_NOT_CLAIMED']);
    expect(untyped.notRun).toEqual([{ ruleIds: ['FLOW_CALL_PHONE_NUMBER_WRONG_TYPE', 'FLOW_TRANSFER_WRONG_TYPE', 'FLOW_TRANSFER_FAILURE_BRANCH_AGENT_TRANSFER', 'FLOW_DISCONNECT_WRONG_TYPE'], reason: expect.stringContaining('states no flow type') }]);
  });

  test('GIVEN a flow module THEN the type rules do not run, and say why', () => {
    const module = JSON.stringify({ ...JSON.parse(transferText()), Settings: { InputParameters: [] } });
    const result = checkFlowExport(readFlowExport(module, 'm'), { inventory, defaultType: ContactFlowType.OUTBOUND_WHISPER });
    expect(result).toMatchObject({ type: FLOW_MODULE, typeSource: FlowTypeSource.CONTENT, findings: [] });
    expect(result.notRun[0].reason).toContain('a flow module runs inside whichever flows invoke it');
  });
});
