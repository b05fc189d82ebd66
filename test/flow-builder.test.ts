import { CallerIdInputError } from '../lib/core/errors';
import { ActionHandle, FLOW_LAYOUT, FlowBuilder, sanitizeLabel } from '../lib/core/flow/builder';
import { ActionTypes, ContactFlowType, FlowAction, FlowDocument } from '../lib/core/flow/model';
import { identifierProblem, requiredErrorTypes, validateFlowCompleteness, validateFlowStructure } from '../lib/core/flow/structure';

function action(type: string, parameters: Record<string, unknown> = {}): FlowAction {
  return { Identifier: 'a', Type: type, Parameters: parameters, Transitions: {} };
}

function buildError(build: () => unknown): CallerIdInputError {
  try {
    build();
  } catch (e) {
    expect(e).toBeInstanceOf(CallerIdInputError);
    return e as CallerIdInputError;
  }
  throw new Error('expected build() to throw');
}

function whisperFlow(callerId: string): FlowBuilder {
  const flow = new FlowBuilder({ type: ContactFlowType.OUTBOUND_WHISPER, name: 'Sales whisper' });
  const call = flow.add(ActionTypes.CALL_PHONE_NUMBER, { CallerId: { Number: callerId } }, 'call customer');
  const greet = flow.add(ActionTypes.MESSAGE_PARTICIPANT, { Text: 'Hello from sales.' }, 'greet customer');
  const end = flow.add(ActionTypes.END_FLOW, {}, 'end');
  call.next(greet);
  greet.next(end).onError('NoMatchingError', end);
  return flow;
}

describe('FlowBuilder', () => {
  test('GIVEN a three-step whisper flow WHEN built THEN it emits exactly the console export shape', () => {
    // GIVEN
    const flow = whisperFlow('+81368001234');

    // WHEN
    const doc = flow.build();

    // THEN
    expect(doc).toEqual({
      Version: '2019-10-30',
      StartAction: 'call-customer',
      Metadata: {
        entryPointPosition: { x: 40, y: 40 },
        ActionMetadata: {
          'call-customer': {
            position: { x: 240, y: 40 },
            isFriendlyName: true,
            parameters: { CallerId: { Number: { displayName: '+81368001234', inputOption: 'claimed' } } },
            setOptionalCallerId: true,
            callerIdSource: 'claimed',
            claimedPhoneNumber: { text: '+81368001234' },
            useDynamicConnectionTimeout: false,
          },
          'greet-customer': { position: { x: 520, y: 40 }, isFriendlyName: true },
          'end': { position: { x: 800, y: 40 }, isFriendlyName: true },
        },
        Annotations: [],
        name: 'Sales whisper',
        type: 'outboundWhisper',
      },
      Actions: [
        {
          Parameters: { CallerId: { Number: '+81368001234' } },
          Identifier: 'call-customer',
          Type: 'CompleteOutboundCall',
          Transitions: { NextAction: 'greet-customer' },
        },
        {
          Parameters: { Text: 'Hello from sales.' },
          Identifier: 'greet-customer',
          Type: 'MessageParticipant',
          Transitions: { NextAction: 'end', Errors: [{ NextAction: 'end', ErrorType: 'NoMatchingError' }] },
        },
        { Parameters: {}, Identifier: 'end', Type: 'EndFlowExecution', Transitions: {} },
      ],
    });
    // Key order is part of looking like an export: a diff against a console export shows only real changes.
    expect(Object.keys(doc.Actions[0])).toEqual(['Parameters', 'Identifier', 'Type', 'Transitions']);
    expect(Object.keys(doc.Metadata!)).toEqual(['entryPointPosition', 'ActionMetadata', 'Annotations', 'name', 'type']);
  });

  test('GIVEN the same input twice WHEN built THEN the JSON is identical, so synthesized templates are stable', () => {
    expect(JSON.stringify(whisperFlow('+81368001234').build())).toBe(JSON.stringify(whisperFlow('+81368001234').build()));
  });

  test('GIVEN a description WHEN built THEN the metadata carries it between name and type', () => {
    const flow = new FlowBuilder({ type: ContactFlowType.CONTACT_FLOW, name: 'n', description: 'What it does' });
    flow.add(ActionTypes.DISCONNECT, {}, 'hang up');
    expect(flow.build().Metadata).toMatchObject({ name: 'n', description: 'What it does', type: 'contactFlow' });
  });

  test('GIVEN parameters holding unresolved CDK token placeholders WHEN built THEN they are emitted untouched', () => {
    // GIVEN
    const flow = new FlowBuilder({ type: ContactFlowType.CONTACT_FLOW });
    const transfer = flow.add(
      ActionTypes.TRANSFER_TO_PHONE_NUMBER,
      {
        ThirdPartyPhoneNumber: '${Token[TOKEN.123]}',
        ThirdPartyConnectionTimeLimitSeconds: '30',
        ContinueFlowExecution: 'False',
        CallerId: { Number: '${Token[TOKEN.456]}' },
      },
      'transfer',
    );
    const hangUp = flow.add(ActionTypes.DISCONNECT, {}, 'hang up');
    transfer.next(hangUp).onError('NoMatchingError', hangUp);

    // WHEN
    const doc = flow.build();

    // THEN
    expect(doc.Actions[0].Parameters).toEqual({
      ThirdPartyPhoneNumber: '${Token[TOKEN.123]}',
      ThirdPartyConnectionTimeLimitSeconds: '30',
      ContinueFlowExecution: 'False',
      CallerId: { Number: '${Token[TOKEN.456]}' },
    });
    expect(doc.Actions[0].Transitions).toEqual({ NextAction: 'hang-up', Errors: [{ NextAction: 'hang-up', ErrorType: 'NoMatchingError' }] });
  });

  test('GIVEN a caller-supplied parameters object WHEN it is changed after add() THEN the built flow is not affected', () => {
    const parameters: Record<string, unknown> = { Text: 'before' };
    const flow = new FlowBuilder({ type: ContactFlowType.CONTACT_FLOW });
    const say = flow.add(ActionTypes.MESSAGE_PARTICIPANT, parameters, 'say');
    const hangUp = flow.add(ActionTypes.DISCONNECT, {}, 'hang up');
    say.next(hangUp).onError('NoMatchingError', hangUp);
    parameters.Text = 'after';
    expect(flow.build().Actions[0].Parameters).toEqual({ Text: 'before' });
  });
});

describe('FlowBuilder Compare transitions', () => {
  function compareFlow(wire: (check: ActionHandle, claimed: ActionHandle, fallback: ActionHandle) => void): FlowDocument {
    const flow = new FlowBuilder({ type: ContactFlowType.OUTBOUND_WHISPER });
    const check = flow.add(ActionTypes.COMPARE, { ComparisonValue: '$.Attributes.callerId' }, 'caller id is claimed?');
    const claimed = flow.add(ActionTypes.CALL_PHONE_NUMBER, { CallerId: { Number: '$.Attributes.callerId' } }, 'call with attribute');
    const fallback = flow.add(ActionTypes.CALL_PHONE_NUMBER, { CallerId: { Number: '+81368001234' } }, 'call with fallback');
    const end = flow.add(ActionTypes.END_FLOW, {}, 'end');
    claimed.next(end);
    fallback.next(end);
    wire(check, claimed, fallback);
    return flow.build();
  }

  test('GIVEN a Compare with a condition and next() WHEN built THEN no-match is both NextAction and the NoMatchingCondition error, as in exports', () => {
    // WHEN
    const doc = compareFlow((check, claimed, fallback) => check.onCondition('Equals', '+81368001234', claimed).next(fallback));

    // THEN
    const compare = doc.Actions[0];
    expect(compare.Transitions).toEqual({
      NextAction: 'call-with-fallback',
      Conditions: [{ NextAction: 'call-with-attribute', Condition: { Operator: 'Equals', Operands: ['+81368001234'] } }],
      Errors: [{ NextAction: 'call-with-fallback', ErrorType: 'NoMatchingCondition' }],
    });
    expect(Object.keys(compare.Transitions)).toEqual(['NextAction', 'Conditions', 'Errors']);
  });

  test('GIVEN a Compare wired with onError(NoMatchingCondition) instead of next() WHEN built THEN the output is the same', () => {
    const viaNext = compareFlow((check, claimed, fallback) => check.onCondition('Equals', '+81368001234', claimed).next(fallback));
    const viaError = compareFlow((check, claimed, fallback) =>
      check.onCondition('Equals', '+81368001234', claimed).onError('NoMatchingCondition', fallback),
    );
    expect(viaError).toEqual(viaNext);
  });

  test('GIVEN a Compare with no no-match branch WHEN built THEN build() names the missing branch', () => {
    const error = buildError(() => compareFlow((check, claimed) => check.onCondition('Equals', '+81368001234', claimed)));
    expect(error.message).toMatch(/\[FLOW_UNHANDLED_ERROR\] Compare "caller-id-is-claimed" does not handle NoMatchingCondition/);
    expect(error.message).toMatch(/\[FLOW_MISSING_NEXT_ACTION\] Connect rejects this when the flow is published: Compare "caller-id-is-claimed" has no NextAction/);
  });
});

describe('FlowBuilder identifiers', () => {
  test('GIVEN human labels WHEN added THEN identifiers are lower-case words joined by hyphens', () => {
    const flow = new FlowBuilder({ type: ContactFlowType.CONTACT_FLOW });
    expect(flow.add('X', {}, 'Call customer').id).toBe('call-customer');
    expect(flow.add('X', {}, '  Transfer: to (billing) / desk = $1, [now]; {ok}%  ').id).toBe('transfer-to-billing-desk-1-now-ok');
    expect(flow.add('X', {}, 'set_caller_id').id).toBe('set_caller_id');
  });

  test('GIVEN the same label three times WHEN added THEN each identifier is unique with a numeric suffix', () => {
    const flow = new FlowBuilder({ type: ContactFlowType.CONTACT_FLOW });
    const ids = [1, 2, 3].map(() => flow.add('X', {}, 'play prompt').id);
    expect(ids).toEqual(['play-prompt', 'play-prompt-2', 'play-prompt-3']);
  });

  test('GIVEN a label longer than 50 characters, twice WHEN added THEN both identifiers fit in 50 characters and differ', () => {
    const label = 'a very long description of what this particular block is for in the flow';
    const flow = new FlowBuilder({ type: ContactFlowType.CONTACT_FLOW });
    const first = flow.add('X', {}, label).id;
    const second = flow.add('X', {}, label).id;
    expect(first).toBe('a-very-long-description-of-what-this-particular-bl');
    expect(first).toHaveLength(50);
    expect(second).toHaveLength(50);
    expect(second.endsWith('-2')).toBe(true);
    expect(second).not.toBe(first);
  });

  test('GIVEN labels that Connect reserves or that leave nothing behind WHEN added THEN the identifiers are still accepted', () => {
    const flow = new FlowBuilder({ type: ContactFlowType.CONTACT_FLOW });
    const ids = ['constructor', '__proto__', 'toString', 'お客様に発信', '', '---', '$$$'].map((label) => flow.add('X', {}, label).id);
    expect(ids).toEqual(['constructor-2', '__proto__-2', 'tostring', 'action', 'action-2', 'action-3', 'action-4']);
    for (const id of ids) expect(identifierProblem(id)).toBeUndefined();
  });

  test('GIVEN a label that ends in a separator after truncation WHEN sanitized THEN no trailing hyphen is left', () => {
    expect(sanitizeLabel(`${'x'.repeat(49)} tail`)).toBe('x'.repeat(49));
  });
});

describe('FlowBuilder layout', () => {
  test('GIVEN a branching flow WHEN built THEN every action has a position, in columns by distance from the start', () => {
    // GIVEN: start -> (transfer | failed) -> hang up, plus one block nothing reaches
    const flow = new FlowBuilder({ type: ContactFlowType.CONTACT_FLOW });
    const welcome = flow.add(ActionTypes.MESSAGE_PARTICIPANT, { Text: 'hi' }, 'welcome');
    const transfer = flow.add(
      ActionTypes.TRANSFER_TO_PHONE_NUMBER,
      { ThirdPartyPhoneNumber: '+815012345678', ThirdPartyConnectionTimeLimitSeconds: '30', ContinueFlowExecution: 'True', CallerId: { Number: '+81368001234' } },
      'transfer',
    );
    const failed = flow.add(ActionTypes.MESSAGE_PARTICIPANT, { Text: 'sorry' }, 'failed');
    const hangUp = flow.add(ActionTypes.DISCONNECT, {}, 'hang up');
    const orphan = flow.add(ActionTypes.DISCONNECT, {}, 'orphan');
    welcome.next(transfer).onError('NoMatchingError', failed);
    transfer.next(hangUp).onError('CallFailed', failed).onError('ConnectionTimeLimitExceeded', failed).onError('NoMatchingError', failed);
    failed.next(hangUp).onError('NoMatchingError', hangUp);

    // WHEN
    const doc = flow.build();

    // THEN
    const positions = (doc.Metadata!.ActionMetadata as Record<string, { position: { x: number; y: number } }>);
    for (const a of doc.Actions) expect(positions[a.Identifier]).toBeDefined();
    const x = (h: ActionHandle): number => positions[h.id].position.x;
    const y = (h: ActionHandle): number => positions[h.id].position.y;
    expect(x(welcome)).toBe(FLOW_LAYOUT.firstColumnX);
    expect([x(transfer), x(failed)]).toEqual([x(welcome) + FLOW_LAYOUT.columnWidth, x(welcome) + FLOW_LAYOUT.columnWidth]);
    expect(y(failed) - y(transfer)).toBe(FLOW_LAYOUT.rowHeight);
    expect(x(hangUp)).toBe(x(welcome) + 2 * FLOW_LAYOUT.columnWidth);
    expect(x(orphan)).toBe(x(welcome) + 3 * FLOW_LAYOUT.columnWidth);
    const entry = doc.Metadata!.entryPointPosition as { x: number; y: number };
    expect(entry.x).toBeLessThan(x(welcome));
    expect(entry.y).toBe(y(welcome));
  });

  test('GIVEN start() naming a later action WHEN built THEN it is the StartAction and the first column', () => {
    const flow = new FlowBuilder({ type: ContactFlowType.CONTACT_FLOW });
    const hangUp = flow.add(ActionTypes.DISCONNECT, {}, 'hang up');
    const welcome = flow.add(ActionTypes.MESSAGE_PARTICIPANT, { Text: 'hi' }, 'welcome').next(hangUp).onError('NoMatchingError', hangUp);
    const doc = flow.start(welcome).build();
    expect(doc.StartAction).toBe('welcome');
    const meta = doc.Metadata!.ActionMetadata as Record<string, { position: { x: number } }>;
    expect(meta.welcome.position.x).toBeLessThan(meta['hang-up'].position.x);
  });
});

describe('FlowBuilder.build() problems', () => {
  test('GIVEN several mistakes WHEN built THEN one CallerIdInputError lists every one of them', () => {
    // GIVEN
    const other = new FlowBuilder({ type: ContactFlowType.CONTACT_FLOW });
    const elsewhere = other.add(ActionTypes.DISCONNECT, {}, 'hang up');
    const flow = new FlowBuilder({ type: ContactFlowType.CONTACT_FLOW, name: 'Broken' });
    const welcome = flow.add(ActionTypes.MESSAGE_PARTICIPANT, { Text: 'hi' }, 'welcome');
    const transfer = flow.add(
      ActionTypes.TRANSFER_TO_PHONE_NUMBER,
      { ThirdPartyPhoneNumber: '+815012345678', ThirdPartyConnectionTimeLimitSeconds: '30', ContinueFlowExecution: 'True' },
      'transfer',
    );
    const hangUp = flow.add(ActionTypes.DISCONNECT, {}, 'hang up');
    const lost = flow.add(ActionTypes.SET_CONTACT_ATTRIBUTES, { Attributes: {} }, 'lost');
    welcome.next(transfer).onError('NoMatchingError', elsewhere);
    transfer.next(hangUp).onError('NoMatchingError', hangUp);
    hangUp.next(welcome);
    lost.onError('NoMatchingError', hangUp);

    // WHEN
    const error = buildError(() => flow.build());

    // THEN
    expect(error.message).toMatch(/^The CONTACT_FLOW flow "Broken" cannot be built; 4 problems:/);
    expect(error.message).toContain('[FLOW_DANGLING_TRANSITION] MessageParticipant "welcome" onError(NoMatchingError) names action "hang-up" of another FlowBuilder');
    expect(error.message).toContain(
      '[FLOW_UNHANDLED_ERROR] TransferParticipantToThirdParty "transfer" does not handle CallFailed, ConnectionTimeLimitExceeded; it must have a branch for each of CallFailed, ConnectionTimeLimitExceeded, NoMatchingError.',
    );
    expect(error.message).toContain('[FLOW_TERMINAL_WITH_TRANSITIONS] DisconnectParticipant "hang-up" ends the flow');
    expect(error.message).toContain('[FLOW_MISSING_NEXT_ACTION] Connect rejects this when the flow is published: UpdateContactAttributes "lost" has no NextAction');
  });

  test('GIVEN a target that is not in the flow at all WHEN built THEN the dangling transition names source and missing target', () => {
    const other = new FlowBuilder({ type: ContactFlowType.CONTACT_FLOW });
    const elsewhere = other.add(ActionTypes.DISCONNECT, {}, 'somewhere else');
    const flow = new FlowBuilder({ type: ContactFlowType.CONTACT_FLOW });
    flow.add(ActionTypes.MESSAGE_PARTICIPANT, { Text: 'hi' }, 'welcome').next(elsewhere).onError('NoMatchingError', elsewhere);
    const error = buildError(() => flow.build());
    expect(error.message).toContain(
      '[FLOW_DANGLING_TRANSITION] MessageParticipant "welcome" NextAction goes to "somewhere-else", which is not an action of this flow',
    );
    expect(error.message).toContain('MessageParticipant "welcome" error NoMatchingError goes to "somewhere-else"');
  });

  test('GIVEN an action type the library does not model with only an error branch WHEN built THEN its missing NextAction is reported', () => {
    const flow = new FlowBuilder({ type: ContactFlowType.CONTACT_FLOW });
    const hangUp = flow.add(ActionTypes.DISCONNECT, {}, 'hang up');
    flow.start(flow.add('UpdateFlowLoggingBehavior', { FlowLoggingBehavior: 'Enabled' }, 'logging').onError('NoMatchingError', hangUp));
    expect(buildError(() => flow.build()).message).toContain(
      '[FLOW_MISSING_NEXT_ACTION] Connect rejects this when the flow is published: UpdateFlowLoggingBehavior "logging" has no NextAction',
    );
  });

  test('GIVEN no actions WHEN built THEN the missing start action is reported', () => {
    const flow = new FlowBuilder({ type: ContactFlowType.OUTBOUND_WHISPER });
    expect(buildError(() => flow.build()).message).toContain('[FLOW_START_ACTION] The flow has no actions');
  });

  test('GIVEN start() naming an action of another builder with a clashing identifier WHEN built THEN it is reported', () => {
    const other = new FlowBuilder({ type: ContactFlowType.CONTACT_FLOW });
    const foreign = other.add(ActionTypes.DISCONNECT, {}, 'hang up');
    const flow = new FlowBuilder({ type: ContactFlowType.CONTACT_FLOW });
    flow.add(ActionTypes.DISCONNECT, {}, 'hang up');
    expect(buildError(() => flow.start(foreign).build()).message).toContain('start() names action "hang-up" of another FlowBuilder');
  });

  test('GIVEN a flow type that does not exist WHEN constructing THEN the accepted types are listed', () => {
    expect(() => new FlowBuilder({ type: 'INBOUND' as ContactFlowType })).toThrow(
      /FlowBuilder type "INBOUND" is not a flow type; expected one of CONTACT_FLOW, .*OUTBOUND_WHISPER/,
    );
  });

  test('GIVEN error branches added out of order WHEN built THEN required ones come first in the reference order', () => {
    const flow = new FlowBuilder({ type: ContactFlowType.CONTACT_FLOW });
    const transfer = flow.add(
      ActionTypes.TRANSFER_TO_PHONE_NUMBER,
      { ThirdPartyPhoneNumber: '+815012345678', ThirdPartyConnectionTimeLimitSeconds: '30', ContinueFlowExecution: 'True' },
      'transfer',
    );
    const hangUp = flow.add(ActionTypes.DISCONNECT, {}, 'hang up');
    transfer.next(hangUp).onError('NoMatchingError', hangUp).onError('SomethingElse', hangUp).onError('ConnectionTimeLimitExceeded', hangUp).onError('CallFailed', hangUp);
    const errors = flow.build().Actions[0].Transitions.Errors!.map((e) => e.ErrorType);
    expect(errors).toEqual(['CallFailed', 'ConnectionTimeLimitExceeded', 'NoMatchingError', 'SomethingElse']);
  });

  test('GIVEN a built flow WHEN checked again THEN it passes both the structure and the completeness checks', () => {
    const doc = whisperFlow('+81368001234').build();
    expect(validateFlowStructure(doc)).toEqual([]);
    expect(validateFlowCompleteness(doc)).toEqual([]);
  });
});

describe('requiredErrorTypes', () => {
  test.each([
    [ActionTypes.TRANSFER_TO_PHONE_NUMBER, { ContinueFlowExecution: 'True' }, ['CallFailed', 'ConnectionTimeLimitExceeded', 'NoMatchingError']],
    [ActionTypes.TRANSFER_TO_PHONE_NUMBER, {}, ['CallFailed', 'ConnectionTimeLimitExceeded', 'NoMatchingError']],
    [ActionTypes.TRANSFER_TO_PHONE_NUMBER, { ContinueFlowExecution: 'False' }, ['NoMatchingError']],
    [ActionTypes.TRANSFER_TO_PHONE_NUMBER, { ContinueFlowExecution: '${Token[TOKEN.9]}' }, ['NoMatchingError']],
    [ActionTypes.CHECK_CALL_PROGRESS, {}, ['NoMatchingError']],
    [ActionTypes.COMPARE, { ComparisonValue: '$.Attributes.x' }, ['NoMatchingCondition']],
    [ActionTypes.SET_CONTACT_ATTRIBUTES, {}, ['NoMatchingError']],
    // 119 published Play prompt blocks in public console exports have no error branch.
    [ActionTypes.MESSAGE_PARTICIPANT, {}, []],
    [ActionTypes.SET_WORKING_QUEUE, {}, ['NoMatchingError']],
    [ActionTypes.TRANSFER_TO_FLOW, {}, ['NoMatchingError']],
    [ActionTypes.TRANSFER_TO_QUEUE, {}, ['QueueAtCapacity', 'NoMatchingError']],
    [ActionTypes.CALL_PHONE_NUMBER, {}, []],
    [ActionTypes.DISCONNECT, {}, []],
    [ActionTypes.END_FLOW, {}, []],
    ['InvokeLambdaFunction', {}, []],
  ])('GIVEN %s with %j THEN it must handle %j', (type, parameters, expected) => {
    expect(requiredErrorTypes(action(type, parameters))).toEqual(expected);
  });

  test('GIVEN a transfer that resumes the flow in an AGENT_TRANSFER flow THEN only NoMatchingError is required, since Connect rejects the failure outcomes there', () => {
    const transfer = action(ActionTypes.TRANSFER_TO_PHONE_NUMBER, { ContinueFlowExecution: 'True' });
    expect(requiredErrorTypes(transfer, ContactFlowType.AGENT_TRANSFER)).toEqual(['NoMatchingError']);
    expect(requiredErrorTypes(transfer, ContactFlowType.QUEUE_TRANSFER)).toEqual(['CallFailed', 'ConnectionTimeLimitExceeded', 'NoMatchingError']);
  });
});
