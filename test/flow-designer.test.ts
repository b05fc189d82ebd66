import { FlowBuilder } from '../lib/core/flow/builder';
import { CallerIdSource, designerActionMetadata, MAX_CONDITION_METADATA } from '../lib/core/flow/designer';
import { ActionTypes, ContactFlowType, FlowAction, FlowTransitions } from '../lib/core/flow/model';

// The expected shapes are those of new-designer console exports (synthetic values, same keys and key order).
function act(Type: string, Parameters: Record<string, unknown>, Transitions: FlowTransitions = {}, Identifier = 'call-customer'): FlowAction {
  return { Parameters, Identifier, Type, Transitions };
}

describe('designer metadata of Call phone number', () => {
  test('GIVEN a claimed number WHEN described THEN it is the export shape: claimed, with its display name and claimed number', () => {
    const meta = designerActionMetadata(act(ActionTypes.CALL_PHONE_NUMBER, { CallerId: { Number: '+442071838750' } }));
    expect(meta).toEqual({
      isFriendlyName: true,
      parameters: { CallerId: { Number: { displayName: '+442071838750', inputOption: 'claimed' } } },
      setOptionalCallerId: true,
      callerIdSource: 'claimed',
      claimedPhoneNumber: { text: '+442071838750' },
      useDynamicConnectionTimeout: false,
    });
    expect(Object.keys(meta)).toEqual(['isFriendlyName', 'parameters', 'setOptionalCallerId', 'callerIdSource', 'claimedPhoneNumber', 'useDynamicConnectionTimeout']);
  });

  test('GIVEN a reference WHEN described THEN it is dynamic, with no display name or claimed number', () => {
    expect(designerActionMetadata(act(ActionTypes.CALL_PHONE_NUMBER, { CallerId: { Number: '$.Attributes.callerId' } }))).toEqual({
      isFriendlyName: true,
      parameters: { CallerId: { Number: { inputOption: 'dynamic' } } },
      setOptionalCallerId: true,
      callerIdSource: 'dynamic',
      useDynamicConnectionTimeout: false,
    });
  });

  test('GIVEN no caller ID (the queue\'s number) WHEN described THEN no caller ID metadata is written', () => {
    expect(designerActionMetadata(act(ActionTypes.CALL_PHONE_NUMBER, {}))).toEqual({ isFriendlyName: true });
  });

  test('GIVEN a UUID identifier WHEN described THEN it is not marked as a friendly name, as in exports', () => {
    expect(designerActionMetadata(act(ActionTypes.END_FLOW, {}, {}, '9d0e1f2a-3b4c-4d5e-8f60-718293a4b5c6'))).toEqual({});
  });

  test.each([
    [CallerIdSource.CLAIMED, 'claimed'],
    [CallerIdSource.DYNAMIC, 'dynamic'],
  ])('GIVEN a caller ID known only at deploy time and the hint %s WHEN described THEN the hint decides', (hint, source) => {
    const meta = designerActionMetadata(act(ActionTypes.CALL_PHONE_NUMBER, { CallerId: { Number: '${Token[TOKEN.1]}' } }), { callerIdSource: hint },
      (v) => v.startsWith('${Token['));
    expect(meta.callerIdSource).toBe(source);
  });

  test('GIVEN a caller ID known only at deploy time and no hint WHEN described THEN nothing is guessed', () => {
    expect(designerActionMetadata(act(ActionTypes.CALL_PHONE_NUMBER, { CallerId: { Number: '${Token[TOKEN.1]}' } }), {}, () => true))
      .toEqual({ isFriendlyName: true });
  });
});

describe('designer metadata of Transfer to phone number', () => {
  const transfer = (parameters: Record<string, unknown>): FlowAction => act(ActionTypes.TRANSFER_TO_PHONE_NUMBER, {
    ThirdPartyConnectionTimeLimitSeconds: '30', ContinueFlowExecution: 'False', ...parameters,
  });

  test('GIVEN a claimed caller ID and a UK destination WHEN described THEN the destination country and the caller ID are shown', () => {
    const meta = designerActionMetadata(transfer({ ThirdPartyPhoneNumber: '+447400123456', CallerId: { Number: '+442071838750' } }));
    expect(meta).toEqual({
      isFriendlyName: true,
      parameters: {
        ThirdPartyPhoneNumber: { countryCode: 'GB' },
        CallerId: { Number: { displayName: '+442071838750', inputOption: 'claimed' } },
      },
      CountryCode: 'gb',
      callerIdSource: 'claimed',
    });
    expect(Object.keys(meta)).toEqual(['isFriendlyName', 'parameters', 'CountryCode', 'callerIdSource']);
  });

  test('GIVEN a pass-through transfer to a US number WHEN described THEN only the destination country is shown', () => {
    expect(designerActionMetadata(transfer({ ThirdPartyPhoneNumber: '+12025550143', CallerId: { Name: 'Example Corp' } }))).toEqual({
      isFriendlyName: true, parameters: { ThirdPartyPhoneNumber: { countryCode: 'US' } }, CountryCode: 'us',
    });
  });

  test('GIVEN a dynamic destination and a dynamic caller ID WHEN described THEN both are shown as dynamic', () => {
    expect(designerActionMetadata(transfer({ ThirdPartyPhoneNumber: '$.Attributes.partnerNumber', CallerId: { Number: '$.Attributes.callerId' } }))).toEqual({
      isFriendlyName: true,
      parameters: { ThirdPartyPhoneNumber: { countryCode: '', useDynamic: true }, CallerId: { Number: { inputOption: 'dynamic' } } },
      callerIdSource: 'dynamic',
    });
  });
});

describe('designer metadata of the other generated blocks', () => {
  const compare = (operator: string): FlowAction => act(ActionTypes.COMPARE, { ComparisonValue: '$.Attributes.callerId' }, {
    NextAction: 'fallback',
    Conditions: [
      { NextAction: 'call', Condition: { Operator: operator as 'Equals', Operands: ['+81368001234'] } },
      { NextAction: 'call', Condition: { Operator: operator as 'Equals', Operands: ['+81368001235'] } },
    ],
    Errors: [{ NextAction: 'fallback', ErrorType: 'NoMatchingCondition' }],
  }, 'check-caller-id-is-claimed');

  test('GIVEN a Compare WHEN described THEN each condition has its metadata, in order, with a stable UUID-shaped id', () => {
    const meta = designerActionMetadata(compare('Equals'));
    expect(meta.conditions).toEqual([]);
    const conditions = meta.conditionMetadata as { id: string; operator: unknown; value: string }[];
    expect(conditions.map((c) => [c.operator, c.value])).toEqual([
      [{ name: 'Equals', value: 'Equals', shortDisplay: '=' }, '+81368001234'],
      [{ name: 'Equals', value: 'Equals', shortDisplay: '=' }, '+81368001235'],
    ]);
    for (const c of conditions) expect(c.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(conditions[0].id).not.toBe(conditions[1].id);
    expect(designerActionMetadata(compare('Equals'))).toEqual(meta);
  });

  const compareOf = (count: number): FlowAction => act(ActionTypes.COMPARE, { ComparisonValue: '$.Attributes.callerId' }, {
    NextAction: 'fallback',
    Conditions: Array.from({ length: count }, (_, i) => ({ NextAction: 'call', Condition: { Operator: 'Equals' as const, Operands: [`+8150${10_000_000 + i}`] } })),
    Errors: [{ NextAction: 'fallback', ErrorType: 'NoMatchingCondition' }],
  }, 'check-caller-id-is-claimed');

  test(`GIVEN a Compare of ${MAX_CONDITION_METADATA} conditions THEN it has their metadata; one more THEN none, so a guard is not twice its size`, () => {
    expect((designerActionMetadata(compareOf(MAX_CONDITION_METADATA)).conditionMetadata as unknown[])).toHaveLength(MAX_CONDITION_METADATA);
    expect(designerActionMetadata(compareOf(MAX_CONDITION_METADATA + 1))).toEqual({ isFriendlyName: true });
  });

  test('GIVEN a Compare with an operator no export shows WHEN described THEN no condition metadata is guessed', () => {
    expect(designerActionMetadata(compare('NumberLessOrEqualTo'))).toEqual({ isFriendlyName: true });
  });

  test.each([
    ['a named queue', { QueueId: 'arn:aws:connect:ap-northeast-1:123456789012:instance/i/queue/q' }, 'Sales outbound',
      { isFriendlyName: true, parameters: { QueueId: { displayName: 'Sales outbound' } }, queue: { text: 'Sales outbound' } }],
    ['a queue reference', { QueueId: '$.Attributes.queueArn' }, undefined,
      { isFriendlyName: true, parameters: { QueueId: { useDynamic: true } }, useDynamic: true }],
    ['a queue whose name is not known', { QueueId: 'arn:aws:connect:ap-northeast-1:123456789012:instance/i/queue/q' }, undefined, { isFriendlyName: true }],
  ])('GIVEN Set working queue with %s WHEN described THEN it is the export shape', (_what, parameters, queueName, expected) => {
    expect(designerActionMetadata(act(ActionTypes.SET_WORKING_QUEUE, parameters), { queueName })).toEqual(expected);
  });

  test('GIVEN Set contact attributes WHEN described THEN the attributes set from references are listed', () => {
    expect(designerActionMetadata(act(ActionTypes.SET_CONTACT_ATTRIBUTES, { Attributes: { outcome: 'voicemail' }, TargetContact: 'Current' })))
      .toEqual({ isFriendlyName: true, dynamicParams: [] });
    expect(designerActionMetadata(act(ActionTypes.SET_CONTACT_ATTRIBUTES, { Attributes: { outcome: 'voicemail', number: '$.CustomerEndpoint.Address' } })))
      .toEqual({ isFriendlyName: true, parameters: { Attributes: { number: { useDynamic: true } } }, dynamicParams: ['number'] });
  });
});

describe('FlowBuilder: blocks without a success branch of their own', () => {
  test.each([ActionTypes.TRANSFER_TO_QUEUE, ActionTypes.CHECK_CALL_PROGRESS])(
    'GIVEN %s wired only with its error branches WHEN built THEN its NextAction is the NoMatchingError target, as exports write it', (type) => {
      const flow = new FlowBuilder({ type: ContactFlowType.CONTACT_FLOW });
      const action = flow.add(type, {}, 'block');
      const hangUp = flow.add(ActionTypes.DISCONNECT, {}, 'hang up');
      const sorry = flow.add(ActionTypes.MESSAGE_PARTICIPANT, { Text: 'Sorry.' }, 'sorry').next(hangUp);
      if (type === ActionTypes.TRANSFER_TO_QUEUE) action.onError('QueueAtCapacity', hangUp);
      action.onError('NoMatchingError', sorry);
      expect(flow.build().Actions[0].Transitions.NextAction).toBe('sorry');
    });

  test('GIVEN Transfer to queue with an explicit next() WHEN built THEN next() wins', () => {
    const flow = new FlowBuilder({ type: ContactFlowType.CONTACT_FLOW });
    const action = flow.add(ActionTypes.TRANSFER_TO_QUEUE, {}, 'block');
    const hangUp = flow.add(ActionTypes.DISCONNECT, {}, 'hang up');
    const sorry = flow.add(ActionTypes.MESSAGE_PARTICIPANT, { Text: 'Sorry.' }, 'sorry').next(hangUp);
    action.next(hangUp).onError('QueueAtCapacity', sorry).onError('NoMatchingError', sorry);
    expect(flow.build().Actions[0].Transitions.NextAction).toBe('hang-up');
  });

  test('GIVEN a Disconnect in an outbound whisper flow WHEN built THEN the builder refuses what Connect would reject', () => {
    const flow = new FlowBuilder({ type: ContactFlowType.OUTBOUND_WHISPER, name: 'Whisper' });
    flow.add(ActionTypes.CALL_PHONE_NUMBER, {}, 'call').next(flow.add(ActionTypes.DISCONNECT, {}, 'hang up'));
    expect(() => flow.build()).toThrow(/\[FLOW_DISCONNECT_WRONG_TYPE\] Connect rejects this when the flow is published: DisconnectParticipant "hang-up" is in a OUTBOUND_WHISPER flow/);
  });

  test('GIVEN an AGENT_TRANSFER flow with a transfer that resumes WHEN its required branches are wired THEN it builds without failure outcomes', () => {
    const flow = new FlowBuilder({ type: ContactFlowType.AGENT_TRANSFER });
    const hangUp = flow.add(ActionTypes.DISCONNECT, {}, 'hang up');
    const transfer = flow.add(ActionTypes.TRANSFER_TO_PHONE_NUMBER, {
      ThirdPartyPhoneNumber: '+815012345678', ThirdPartyConnectionTimeLimitSeconds: '30', ContinueFlowExecution: 'True',
    }, 'transfer').next(hangUp).onError('NoMatchingError', hangUp);
    const doc = flow.start(transfer).build();
    expect(doc.Actions[1].Transitions.Errors).toEqual([{ NextAction: 'hang-up', ErrorType: 'NoMatchingError' }]);
  });
});
