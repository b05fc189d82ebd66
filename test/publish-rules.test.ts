import { checkFlow } from '../lib/core/flow/check';
import { ActionTypes, ContactFlowType, FlowAction, FlowDocument, FlowTransitions } from '../lib/core/flow/model';
import { checkPublishRules, PUBLISH_REJECTION, PUBLISH_RULE_IDS, PublishRules } from '../lib/core/flow/publish-rules';
import { identifierProblem, RESERVED_IDENTIFIERS } from '../lib/core/flow/structure';

// Synthetic flows in the shape console exports have: UUID identifiers, string parameters, `Transitions: {}` on
// terminal actions, `NextAction` plus the Error branch on blocks without a success branch of their own.
const ID = {
  first: '5f0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b',
  second: '6a1d2b3c-4d5e-4f60-9b7c-8d9e0f1a2b3c',
  end: '7b2e3c4d-5e6f-4071-8c8d-9e0f1a2b3c4d',
  other: '8c3f4d5e-6f70-4182-9d9e-0f1a2b3c4d5e',
};

function act(Identifier: string, Type: string, Parameters: Record<string, unknown>, Transitions: FlowTransitions): FlowAction {
  return { Parameters, Identifier, Type, Transitions };
}

function flowOf(...actions: FlowAction[]): FlowDocument {
  return { Version: '2019-10-30', StartAction: actions[0].Identifier, Metadata: { entryPointPosition: { x: 40, y: 40 }, ActionMetadata: {} }, Actions: actions };
}

const disconnect = act(ID.end, ActionTypes.DISCONNECT, {}, {});
const endFlow = act(ID.end, ActionTypes.END_FLOW, {}, {});
const prompt = (next: string): FlowAction => act(ID.first, ActionTypes.MESSAGE_PARTICIPANT, { Text: 'Thank you for calling.' }, { NextAction: next });

function transfer(parameters: Record<string, unknown>, errors: string[]): FlowAction {
  return act(ID.first, ActionTypes.TRANSFER_TO_PHONE_NUMBER, {
    ThirdPartyPhoneNumber: '+815012345678', ...parameters,
  }, { NextAction: ID.end, Errors: errors.map((ErrorType) => ({ NextAction: ID.end, ErrorType })) });
}

function ruleIds(flow: FlowDocument, type?: ContactFlowType): string[] {
  return checkPublishRules(flow, { type }).findings.map((f) => f.ruleId);
}

describe('publish-time rules on flows in the shapes Connect accepted', () => {
  test.each([
    ['an inbound flow ending in Disconnect, with a Play prompt that has no error branch', ContactFlowType.CONTACT_FLOW, flowOf(prompt(ID.end), disconnect)],
    ['an outbound whisper flow ending in End flow', ContactFlowType.OUTBOUND_WHISPER, flowOf(prompt(ID.end), endFlow)],
    ['a customer queue flow ending in End flow', ContactFlowType.CUSTOMER_QUEUE, flowOf(prompt(ID.end), endFlow)],
    ['a customer queue flow ending in Disconnect', ContactFlowType.CUSTOMER_QUEUE, flowOf(prompt(ID.end), disconnect)],
    ['a hold flow of one Loop prompts block without NextAction', ContactFlowType.CUSTOMER_HOLD, flowOf(
      act(ID.first, 'MessageParticipantIteratively', { Messages: [{ PromptId: 'arn:aws:connect:::prompt/1' }] }, { Errors: [], Conditions: [] }))],
    ['a transfer that hands the call over with NoMatchingError only', ContactFlowType.CONTACT_FLOW, flowOf(
      transfer({ ThirdPartyConnectionTimeLimitSeconds: '30', ContinueFlowExecution: 'False' }, ['NoMatchingError']), disconnect)],
    ['a transfer that resumes the flow with all three outcomes', ContactFlowType.CONTACT_FLOW, flowOf(
      transfer({ ThirdPartyConnectionTimeLimitSeconds: '30', ContinueFlowExecution: 'True' }, ['CallFailed', 'ConnectionTimeLimitExceeded', 'NoMatchingError']), disconnect)],
    ['a Compare on a top-level value, a nested path, and a " " operand', ContactFlowType.CONTACT_FLOW, flowOf(
      act(ID.first, ActionTypes.COMPARE, { ComparisonValue: '$.Channel' }, {
        NextAction: ID.second, Conditions: [{ NextAction: ID.end, Condition: { Operator: 'Equals', Operands: [' '] } }],
        Errors: [{ NextAction: ID.second, ErrorType: 'NoMatchingCondition' }],
      }),
      act(ID.second, ActionTypes.COMPARE, { ComparisonValue: '$.External.customer.tier' }, {
        NextAction: ID.end, Conditions: [{ NextAction: ID.end, Condition: { Operator: 'Equals', Operands: ['gold'] } }],
        Errors: [{ NextAction: ID.end, ErrorType: 'NoMatchingCondition' }],
      }),
      disconnect)],
    ['a Show view block with empty strings inside ViewData arrays (a published export holds them)', ContactFlowType.CONTACT_FLOW, flowOf(
      act(ID.first, 'ShowView', { ViewResource: { Id: 'arn:aws:connect:::view/1' }, ViewData: { Sections: [{ Heading: '', Items: [{ HelperText: '' }] }] } },
        { NextAction: ID.end, Errors: [{ NextAction: ID.end, ErrorType: 'NoMatchingError' }] }),
      disconnect)],
    ['Transfer to queue with its Error target as NextAction', ContactFlowType.CONTACT_FLOW, flowOf(
      act(ID.first, ActionTypes.TRANSFER_TO_QUEUE, {}, {
        NextAction: ID.end, Errors: [{ NextAction: ID.end, ErrorType: 'QueueAtCapacity' }, { NextAction: ID.end, ErrorType: 'NoMatchingError' }],
      }), disconnect)],
  ])('GIVEN %s WHEN checked THEN nothing is reported', (_what, type, flow) => {
    expect(checkPublishRules(flow, { type })).toEqual({ findings: [], notRun: [] });
  });
});

describe('FLOW_DISCONNECT_WRONG_TYPE and FLOW_END_FLOW_WRONG_TYPE', () => {
  test.each([
    ContactFlowType.CUSTOMER_WHISPER, ContactFlowType.AGENT_WHISPER, ContactFlowType.OUTBOUND_WHISPER,
    ContactFlowType.CUSTOMER_HOLD, ContactFlowType.AGENT_HOLD,
  ])('GIVEN a Disconnect in a %s flow WHEN checked THEN Connect rejects it on publish', (type) => {
    const [f] = checkPublishRules(flowOf(prompt(ID.end), disconnect), { type }).findings;
    expect(f).toMatchObject({ ruleId: 'FLOW_DISCONNECT_WRONG_TYPE', severity: 'error', actionId: ID.end });
    expect(f.message).toContain(`${PUBLISH_REJECTION}: DisconnectParticipant "${ID.end}" is in a ${type} flow`);
    expect(f.message).toMatch(type.endsWith('WHISPER') ? /EndFlowExecution instead/ : /a hold flow ends when the hold does/);
  });

  test.each([ContactFlowType.CONTACT_FLOW, ContactFlowType.AGENT_TRANSFER, ContactFlowType.QUEUE_TRANSFER, ContactFlowType.CUSTOMER_QUEUE])(
    'GIVEN a Disconnect in a %s flow WHEN checked THEN it is accepted', (type) => {
      expect(ruleIds(flowOf(prompt(ID.end), disconnect), type)).toEqual([]);
    });

  test.each([
    ContactFlowType.CONTACT_FLOW, ContactFlowType.CUSTOMER_HOLD, ContactFlowType.AGENT_HOLD, ContactFlowType.AGENT_TRANSFER, ContactFlowType.QUEUE_TRANSFER,
  ])('GIVEN an End flow in a %s flow WHEN checked THEN Connect rejects it on publish', (type) => {
    const [f] = checkPublishRules(flowOf(prompt(ID.end), endFlow), { type }).findings;
    expect(f).toMatchObject({ ruleId: 'FLOW_END_FLOW_WRONG_TYPE', actionId: ID.end });
    expect(f.message).toContain(`${PUBLISH_REJECTION}: EndFlowExecution "${ID.end}" is in a ${type} flow; it is valid only in whisper and customer-queue flows`);
  });

  test.each([ContactFlowType.CUSTOMER_WHISPER, ContactFlowType.AGENT_WHISPER, ContactFlowType.OUTBOUND_WHISPER, ContactFlowType.CUSTOMER_QUEUE])(
    'GIVEN an End flow in a %s flow WHEN checked THEN it is accepted', (type) => {
      expect(ruleIds(flowOf(prompt(ID.end), endFlow), type)).toEqual([]);
    });
});

describe('transfer rules', () => {
  test('GIVEN failure branches on a transfer that hands the call over WHEN checked THEN both are named and the fix given', () => {
    const flow = flowOf(transfer({ ThirdPartyConnectionTimeLimitSeconds: '30', ContinueFlowExecution: 'False' },
      ['CallFailed', 'ConnectionTimeLimitExceeded', 'NoMatchingError']), disconnect);
    const findings = checkPublishRules(flow, { type: ContactFlowType.CONTACT_FLOW }).findings;
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ ruleId: 'FLOW_TRANSFER_FAILURE_BRANCH_NOT_CONTINUING', actionId: ID.first });
    expect(findings[0].message).toContain('has CallFailed and ConnectionTimeLimitExceeded branches but ContinueFlowExecution is "False"');
    expect(findings[0].message).toContain('Remove those branches, or set ContinueFlowExecution to "True"');
  });

  test('GIVEN failure branches in an AGENT_TRANSFER flow WHEN checked THEN they are rejected even with ContinueFlowExecution "True"', () => {
    const flow = flowOf(transfer({ ThirdPartyConnectionTimeLimitSeconds: '30', ContinueFlowExecution: 'True' },
      ['CallFailed', 'NoMatchingError']), disconnect);
    expect(ruleIds(flow, ContactFlowType.AGENT_TRANSFER)).toEqual(['FLOW_TRANSFER_FAILURE_BRANCH_AGENT_TRANSFER']);
    expect(ruleIds(flow, ContactFlowType.QUEUE_TRANSFER)).toEqual([]);
  });

  test.each([
    [{ ThirdPartyConnectionTimeLimitSeconds: '30' }, 'has no ContinueFlowExecution;'],
    [{ ContinueFlowExecution: 'False' }, 'has no ThirdPartyConnectionTimeLimitSeconds;'],
    [{}, 'has no ContinueFlowExecution and no ThirdPartyConnectionTimeLimitSeconds;'],
  ])('GIVEN a transfer with %j WHEN checked THEN the missing required parameters are named', (parameters, words) => {
    const findings = checkPublishRules(flowOf(transfer(parameters, ['NoMatchingError']), disconnect), { type: ContactFlowType.CONTACT_FLOW }).findings;
    expect(findings.map((f) => f.ruleId)).toEqual(['FLOW_TRANSFER_PARAMETER_MISSING']);
    expect(findings[0].message).toContain(words);
  });

  test('GIVEN a transfer without ContinueFlowExecution but with failure branches WHEN checked THEN only the missing parameter is reported', () => {
    const flow = flowOf(transfer({ ThirdPartyConnectionTimeLimitSeconds: '30' }, ['CallFailed', 'NoMatchingError']), disconnect);
    expect(ruleIds(flow, ContactFlowType.CONTACT_FLOW)).toEqual(['FLOW_TRANSFER_PARAMETER_MISSING']);
  });
});

describe('FLOW_EMPTY_PARAMETER and FLOW_EMPTY_CONDITION_OPERAND', () => {
  test('GIVEN empty strings as a parameter and inside nested objects WHEN checked THEN one finding per action names each path', () => {
    const flow = flowOf(
      act(ID.first, ActionTypes.SET_CONTACT_ATTRIBUTES, { Attributes: { tier: '', region: 'eu', nested: { deeper: '' } }, TargetContact: 'Current' },
        { NextAction: ID.second, Errors: [{ NextAction: ID.second, ErrorType: 'NoMatchingError' }] }),
      act(ID.second, ActionTypes.MESSAGE_PARTICIPANT, { Text: '' }, { NextAction: ID.end }),
      disconnect,
    );
    const findings = checkPublishRules(flow, { type: ContactFlowType.CONTACT_FLOW }).findings;
    expect(findings.map((f) => [f.ruleId, f.actionId])).toEqual([['FLOW_EMPTY_PARAMETER', ID.first], ['FLOW_EMPTY_PARAMETER', ID.second]]);
    expect(findings[0].message).toContain('has an empty string in Parameters.Attributes.tier, Parameters.Attributes.nested.deeper;');
    expect(findings[1].message).toContain(`${PUBLISH_REJECTION}: MessageParticipant "${ID.second}" has an empty string in Parameters.Text;`);
  });

  test('GIVEN more empty values than are shown WHEN checked THEN the rest are counted', () => {
    const attributes = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`a${i}`, '']));
    const flow = flowOf(act(ID.first, ActionTypes.SET_CONTACT_ATTRIBUTES, { Attributes: attributes, TargetContact: 'Current' }, { NextAction: ID.end }), disconnect);
    expect(checkPublishRules(flow).findings[0].message).toContain('Parameters.Attributes.a4 and 3 more;');
  });

  test('GIVEN parameters that refer to themselves (made in code) WHEN checked THEN the walk ends', () => {
    const attributes: Record<string, unknown> = { tier: '' };
    attributes.self = attributes;
    const flow = flowOf(act(ID.first, ActionTypes.SET_CONTACT_ATTRIBUTES, { Attributes: attributes }, { NextAction: ID.end }), disconnect);
    expect(checkPublishRules(flow).findings.map((f) => f.ruleId)).toEqual(['FLOW_EMPTY_PARAMETER']);
  });

  test('GIVEN a Compare condition against "" WHEN checked THEN it is rejected, naming the operator', () => {
    const flow = flowOf(act(ID.first, ActionTypes.COMPARE, { ComparisonValue: '$.External.result' }, {
      NextAction: ID.end,
      Conditions: [{ NextAction: ID.end, Condition: { Operator: 'Equals', Operands: [''] } }, { NextAction: ID.end, Condition: { Operator: 'Equals', Operands: ['ok'] } }],
      Errors: [{ NextAction: ID.end, ErrorType: 'NoMatchingCondition' }],
    }), disconnect);
    const findings = checkPublishRules(flow).findings;
    expect(findings.map((f) => f.ruleId)).toEqual(['FLOW_EMPTY_CONDITION_OPERAND']);
    expect(findings[0].message).toContain('has a condition comparing with an empty string (Equals)');
  });
});

describe('FLOW_COMPARISON_VALUE_NOT_PATH', () => {
  const compare = (ComparisonValue: unknown): FlowDocument => flowOf(act(ID.first, ActionTypes.COMPARE,
    ComparisonValue === undefined ? {} : { ComparisonValue }, {
      NextAction: ID.end, Conditions: [{ NextAction: ID.end, Condition: { Operator: 'Equals', Operands: ['gold'] } }],
      Errors: [{ NextAction: ID.end, ErrorType: 'NoMatchingCondition' }],
    }), disconnect);

  test.each([
    ['$.External', 'a namespace rather than a value in it'],
    ['$.Attributes', 'a namespace rather than a value in it'],
    ['gold', 'a literal'],
    ['$.', 'a path that ends before naming a value'],
    ['$.External.', 'a path that ends before naming a value'],
    [undefined, 'is missing'],
    [42, 'is not a string'],
  ])('GIVEN ComparisonValue %j WHEN checked THEN it is rejected as %s', (value, words) => {
    const findings = checkPublishRules(compare(value)).findings;
    expect(findings.map((f) => f.ruleId)).toEqual(['FLOW_COMPARISON_VALUE_NOT_PATH']);
    expect(findings[0].message).toContain(words);
  });

  test('GIVEN an empty ComparisonValue WHEN checked THEN only the empty-parameter rule reports it', () => {
    expect(ruleIds(compare(''))).toEqual(['FLOW_EMPTY_PARAMETER']);
  });

  test('GIVEN a ComparisonValue known only at deploy time WHEN checked THEN it is left to deploy time', () => {
    expect(checkPublishRules(compare('${Token[TOKEN.7]}'), { isDeployTimeValue: (v) => v.includes('${Token[') }).findings).toEqual([]);
  });
});

describe('FLOW_MISSING_NEXT_ACTION', () => {
  test.each([ActionTypes.TRANSFER_TO_QUEUE, ActionTypes.CHECK_CALL_PROGRESS, 'Loop', 'InvokeLambdaFunction'])(
    'GIVEN a %s with only an error branch WHEN checked THEN its missing NextAction is rejected', (type) => {
      const flow = flowOf(act(ID.first, type, {}, { Errors: [{ NextAction: ID.end, ErrorType: 'NoMatchingError' }] }), disconnect);
      const findings = checkPublishRules(flow).findings;
      expect(findings.map((f) => [f.ruleId, f.actionId])).toEqual([['FLOW_MISSING_NEXT_ACTION', ID.first]]);
      expect(findings[0].message).toContain(`${PUBLISH_REJECTION}: ${type} "${ID.first}" has no NextAction`);
    });

  test.each([ActionTypes.DISCONNECT, ActionTypes.END_FLOW, ActionTypes.END_FLOW_MODULE])('GIVEN a terminal %s WHEN checked THEN no NextAction is needed', (type) => {
    expect(ruleIds(flowOf(act(ID.first, type, {}, {})), ContactFlowType.CUSTOMER_QUEUE)).toEqual([]);
  });
});

describe('rules that depend on the flow type', () => {
  test('GIVEN no flow type WHEN checked THEN the type-dependent rules that had an action to judge are listed as not run, and the others still run', () => {
    const flow = flowOf(
      transfer({ ThirdPartyConnectionTimeLimitSeconds: '30', ContinueFlowExecution: 'True' }, ['CallFailed', 'ConnectionTimeLimitExceeded', 'NoMatchingError']),
      act(ID.second, ActionTypes.MESSAGE_PARTICIPANT, { Text: '' }, { NextAction: ID.end }),
      disconnect,
    );
    const result = checkPublishRules(flow);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['FLOW_EMPTY_PARAMETER']);
    expect(result.notRun.map((n) => n.ruleId)).toEqual(['FLOW_TRANSFER_FAILURE_BRANCH_AGENT_TRANSFER', 'FLOW_DISCONNECT_WRONG_TYPE']);
    expect(result.notRun[1].reason).toBe('the flow type is not known, so whether Connect accepts a Disconnect block in it cannot be told; give the type');
  });

  test('GIVEN no flow type and nothing type-dependent to judge WHEN checked THEN no rule is listed as not run', () => {
    expect(checkPublishRules(flowOf(prompt(ID.other), act(ID.other, 'InvokeLambdaFunction', {}, { NextAction: ID.first }))).notRun).toEqual([]);
  });
});

describe('one implementation per rule', () => {
  test('GIVEN Call phone number in a CONTACT_FLOW (rejected on publish) WHEN checkFlow runs THEN FLOW_CALL_PHONE_NUMBER_WRONG_TYPE reports it once and no publish rule repeats it', () => {
    const flow = flowOf(act(ID.first, ActionTypes.CALL_PHONE_NUMBER, { CallerId: { Number: '$.Attributes.callerId' } }, { NextAction: ID.end }), disconnect);
    const findings = checkFlow(flow, { type: ContactFlowType.CONTACT_FLOW });
    expect(findings.filter((f) => f.ruleId === 'FLOW_CALL_PHONE_NUMBER_WRONG_TYPE')).toHaveLength(1);
    expect(findings.filter((f) => PUBLISH_RULE_IDS.has(f.ruleId))).toEqual([]);
  });

  test('GIVEN a flow breaking a publish rule WHEN checkFlow runs THEN the publish rule\'s finding is among its findings', () => {
    const flow = flowOf(prompt(ID.end), disconnect);
    expect(checkFlow(flow, { type: ContactFlowType.AGENT_WHISPER }).map((f) => f.ruleId)).toContain('FLOW_DISCONNECT_WRONG_TYPE');
  });

  test('every publish rule is an error whose source cites the live-API evidence or the reference', () => {
    for (const r of Object.values(PublishRules)) {
      expect(r.severity).toBe('error');
      expect(r.source).toMatch(/wire-format-checks\.md|flow language reference/);
    }
  });
});

describe('reserved identifiers', () => {
  test('the full list of the flow-language page is refused', () => {
    const listed = ['__proto__', 'constructor', 'toString', 'valueOf', '__defineGetter__', '__defineSetter__', 'hasOwnProperty',
      'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString'];
    expect([...RESERVED_IDENTIFIERS].sort()).toEqual([...listed].sort());
    for (const id of listed) expect(identifierProblem(id)).toMatch(/^is reserved; /);
    expect(identifierProblem('hasOwnPropertyX')).toBeUndefined();
  });
});
