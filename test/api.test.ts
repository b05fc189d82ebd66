import { ContactFlowType, FlowChecker, FlowContentStage, Findings, NumberProblem, PhoneNumbers, RuleCatalogue, RuleId, Severity } from '../lib';
import { exampleInventory, flowFixture } from './support/fixtures';

// The classes through which every language reaches the core: each answers as the functions the constructs and
// `check` call do.

describe('PhoneNumbers', () => {
  test('parse gives the number, its country and kind for a valid E.164 number', () => {
    expect(PhoneNumbers.parse('+81368001234')).toEqual({ valid: true, number: '+81368001234', country: 'JP', kind: 'FIXED_LINE' });
  });

  test.each([
    ['03-6800-1234', NumberProblem.NOT_E164, '+81368001234'],
    ['+81368', NumberProblem.INVALID, undefined],
  ])('parse refuses %s as %s, with the suggestion a national form allows', (value, problem, suggestion) => {
    const parsed = PhoneNumbers.parse(value, ['JP']);
    expect(parsed).toMatchObject({ valid: false, problem });
    expect(parsed.suggestion).toBe(suggestion);
    expect(parsed.reason).toEqual(expect.any(String));
    expect(parsed.number).toBeUndefined();
  });

  test('isE164Shaped tells the shape only', () => {
    expect([PhoneNumbers.isE164Shaped('+81368'), PhoneNumbers.isE164Shaped('081368001234')]).toEqual([true, false]);
  });
});

describe('FlowChecker', () => {
  const transfer = (number: string) => {
    const flow = flowFixture('inbound-transfer-to-phone.json');
    const action = flow.Actions.find((a: { Type: string }) => a.Type === 'TransferParticipantToThirdParty');
    action.Parameters.CallerId = { Number: number };
    return JSON.stringify(flow);
  };

  test('reports a caller ID the inventory does not hold, as check does, and passes a claimed one', () => {
    const refused = FlowChecker.check(transfer('+81368001299'), 'flow.json', { inventory: exampleInventory(), defaultType: ContactFlowType.CONTACT_FLOW });
    expect(refused.findings.filter((f) => f.severity === Severity.ERROR).map((f) => f.ruleId)).toEqual([RuleId.CALLER_ID_NOT_CLAIMED]);
    expect(refused.flowType).toBe(ContactFlowType.CONTACT_FLOW);

    const claimed = FlowChecker.check(transfer('+81368001234'), 'flow.json', { inventory: exampleInventory(), defaultType: ContactFlowType.CONTACT_FLOW });
    expect(claimed.findings.filter((f) => f.severity === Severity.ERROR)).toEqual([]);
  });

  test('with no type to go by, names the rules that did not run', () => {
    const prompt = { Version: '2019-10-30', StartAction: 'a', Actions: [{ Identifier: 'a', Type: 'MessageParticipant', Parameters: { Text: 'Hello' }, Transitions: {} }] };
    const result = FlowChecker.check(JSON.stringify(prompt), 'flow.json');
    expect(result.flowType).toBeUndefined();
    expect(result.notRun.flatMap((n) => n.ruleIds)).toEqual(['FLOW_CALL_PHONE_NUMBER_WRONG_TYPE', 'FLOW_TRANSFER_WRONG_TYPE']);
    expect(FlowChecker.check(JSON.stringify(prompt), 'flow.json', { defaultType: ContactFlowType.CONTACT_FLOW }).notRun).toEqual([]);
  });

  test('a template placeholder is a warning for a file checked before templating and an error for content that deploys', () => {
    const text = transfer('{{callerId}}');
    const ids = (stage?: FlowContentStage) => FlowChecker.check(text, 'flow.json', { defaultType: ContactFlowType.CONTACT_FLOW, stage })
      .findings.filter((f) => f.ruleId.startsWith('FLOW_TEMPLATE')).map((f) => `${f.ruleId} ${f.severity}`);
    expect(ids()).toEqual(['FLOW_TEMPLATE_PLACEHOLDER warning']);
    expect(ids(FlowContentStage.DEPLOYED)).toEqual(['FLOW_TEMPLATE_PLACEHOLDER_DEPLOYED error']);
  });

  test('a finding about an action whose identifier is empty names that action, empty as it is', () => {
    const disconnect = (id: string) => ({ Identifier: id, Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} });
    const flow = { Version: '2019-10-30', StartAction: 'end', Actions: [disconnect('end'), disconnect('')] };
    const invalid = FlowChecker.check(JSON.stringify(flow), 'flow.json').findings.find((f) => f.ruleId === RuleId.FLOW_INVALID_IDENTIFIER);
    expect(invalid).toMatchObject({ actionId: '' });
  });

  test('a text that does not say what it is can be checked as a flow module, where the type rules do not run', () => {
    const prompt = { Version: '2019-10-30', StartAction: 'a', Actions: [{ Identifier: 'a', Type: 'MessageParticipant', Parameters: { Text: 'Hello' }, Transitions: {} }] };
    const result = FlowChecker.check(JSON.stringify(prompt), 'module.json', { defaultFlowModule: true, defaultType: ContactFlowType.CONTACT_FLOW });
    expect([result.flowModule, result.flowType]).toEqual([true, undefined]);
    expect(result.notRun.flatMap((n) => n.ruleIds)).toEqual(['FLOW_CALL_PHONE_NUMBER_WRONG_TYPE', 'FLOW_TRANSFER_WRONG_TYPE']);
    expect(FlowChecker.check(JSON.stringify(prompt), 'flow.json', { defaultType: ContactFlowType.CONTACT_FLOW }).flowModule).toBe(false);
  });
});

describe('RuleCatalogue and Findings', () => {
  test('find gives the definition of an id, undefined for an unknown one', () => {
    expect(RuleCatalogue.find(RuleId.CALLER_ID_DYNAMIC)).toMatchObject({ id: 'CALLER_ID_DYNAMIC', severity: Severity.WARNING });
    expect(RuleCatalogue.find('CALLER_ID_DYNAMICS')).toBeUndefined();
    expect(RuleCatalogue.all().map((r) => r.id)).toEqual(Object.values(RuleId));
  });

  test('format writes one escaped line; hasErrors tells an error from warnings', () => {
    const warning = { ruleId: 'CALLER_ID_DYNAMIC', severity: Severity.WARNING, message: 'a\nb', actionId: 'x' };
    expect(Findings.format(warning)).toBe('[CALLER_ID_DYNAMIC] a\\nb (action x)');
    expect([Findings.hasErrors([warning]), Findings.hasErrors([warning, { ...warning, severity: Severity.ERROR }])]).toEqual([false, true]);
  });
});
