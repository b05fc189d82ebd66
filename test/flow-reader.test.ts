import { readFileSync } from 'fs';
import { join } from 'path';
import { CallerIdInputError } from '../lib/core/errors';
import { Severity } from '../lib/core/findings';
import { FlowBuilder } from '../lib/core/flow/builder';
import { ActionTypes, ContactFlowType, FlowAction, FlowDocument } from '../lib/core/flow/model';
import { assertFlowNesting, MAX_FLOW_NESTING, readFlowContent, readFlowExport, ReadFlow, syntaxErrorOffset } from '../lib/core/flow/reader';
import { FlowStructureRules, requiredErrorTypes, transitionTargets, validateFlowStructure } from '../lib/core/flow/structure';
import { checkFlowExport } from '../lib/core/flow/check';

const FIXTURES = join(__dirname, 'fixtures', 'flows');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

const INBOUND = 'inbound-transfer-to-phone.json';
const WHISPER = 'outbound-whisper.json';
const DESCRIBED = 'queue-transfer-describe-contact-flow.json';
const PROMPT_FIRST = 'whisper-prompt-before-call.json';

function actionOfType(read: ReadFlow, type: string): FlowAction {
  const found = read.flow.Actions.find((a) => a.Type === type);
  if (!found) throw new Error(`no ${type} in the flow`);
  return found;
}

function inputError(read: () => unknown): CallerIdInputError {
  try {
    read();
  } catch (e) {
    expect(e).toBeInstanceOf(CallerIdInputError);
    return e as CallerIdInputError;
  }
  throw new Error('expected a CallerIdInputError');
}

describe('readFlowExport on console exports', () => {
  test('GIVEN an inbound flow export WHEN read THEN type, name, caller ID and error branches come through', () => {
    // WHEN
    const read = readFlowExport(fixture(INBOUND), INBOUND);

    // THEN
    expect(read.type).toBe(ContactFlowType.CONTACT_FLOW);
    expect(read.name).toBe('Inbound - transfer to billing desk');
    expect(read.flow.Actions).toHaveLength(5);
    const transfer = actionOfType(read, ActionTypes.TRANSFER_TO_PHONE_NUMBER);
    expect(transfer.Parameters).toEqual({
      ThirdPartyPhoneNumber: '+815012345678',
      ThirdPartyConnectionTimeLimitSeconds: '30',
      ContinueFlowExecution: 'True',
      CallerId: { Number: '+81368001234' },
    });
    expect(transfer.Transitions.Errors!.map((e) => e.ErrorType)).toEqual(requiredErrorTypes(transfer));
    expect(validateFlowStructure(read.flow)).toEqual([]);
  });

  test('GIVEN an outbound whisper export WHEN read THEN the call phone number block comes first', () => {
    const read = readFlowExport(fixture(WHISPER), WHISPER);
    expect(read.type).toBe(ContactFlowType.OUTBOUND_WHISPER);
    expect(read.name).toBe('Outbound whisper - sales callback');
    const start = read.flow.Actions.find((a) => a.Identifier === read.flow.StartAction)!;
    expect(start.Type).toBe(ActionTypes.CALL_PHONE_NUMBER);
    expect(start.Parameters).toEqual({ CallerId: { Number: '+81368001235' } });
    expect(validateFlowStructure(read.flow)).toEqual([]);
  });

  test('GIVEN a DescribeContactFlow response with escaped Content and the old timeout spelling WHEN read THEN the wrapper type wins and the spelling is normalized', () => {
    // WHEN
    const read = readFlowExport(fixture(DESCRIBED), DESCRIBED);

    // THEN
    expect(read.type).toBe(ContactFlowType.QUEUE_TRANSFER);
    expect(read.name).toBe('Queue transfer - after-hours desk');
    const transfer = actionOfType(read, ActionTypes.TRANSFER_TO_PHONE_NUMBER);
    expect(transfer.Parameters).toEqual({
      ThirdPartyPhoneNumber: '+815012345678',
      ThirdPartyConnectionTimeLimitSeconds: '20',
      ContinueFlowExecution: 'False',
      CallerId: { Number: '+81120123456', Name: 'Support' },
    });
    expect(transfer.Parameters).not.toHaveProperty('ThirdPartyConnectionTimeoutSeconds');
    // The export leaves Parameters out of the disconnect block.
    expect(actionOfType(read, ActionTypes.DISCONNECT).Parameters).toEqual({});
    expect(validateFlowStructure(read.flow)).toEqual([]);
  });

  test('GIVEN a whisper flow that prompts before placing the call WHEN read THEN it reads as it is, order untouched', () => {
    const read = readFlowExport(fixture(PROMPT_FIRST), PROMPT_FIRST);
    expect(read.type).toBe(ContactFlowType.OUTBOUND_WHISPER);
    const start = read.flow.Actions.find((a) => a.Identifier === read.flow.StartAction)!;
    expect(start.Type).toBe(ActionTypes.MESSAGE_PARTICIPANT);
    expect(transitionTargets(start).map((t) => t.target)).toContain(actionOfType(read, ActionTypes.CALL_PHONE_NUMBER).Identifier);
  });

  test('GIVEN the escaped Content of the DescribeContactFlow fixture on its own WHEN read THEN the type comes from Metadata.type', () => {
    const content = JSON.parse(fixture(DESCRIBED)).ContactFlow.Content as string;
    const read = readFlowExport(content, 'content.json');
    expect(read.type).toBe(ContactFlowType.QUEUE_TRANSFER);
    expect(read.name).toBe('Queue transfer - after-hours desk');
  });

  test('GIVEN a file that starts with a byte order mark WHEN read THEN it reads like the same file without one', () => {
    expect(readFlowExport(`\ufeff${fixture(WHISPER)}`, WHISPER)).toEqual(readFlowExport(fixture(WHISPER), WHISPER));
  });

  test('GIVEN a flow written by FlowBuilder WHEN read back THEN it is the same document and type', () => {
    // GIVEN
    const builder = new FlowBuilder({ type: ContactFlowType.OUTBOUND_WHISPER, name: 'Round trip' });
    const call = builder.add(ActionTypes.CALL_PHONE_NUMBER, { CallerId: { Number: '+81368001234' } }, 'call');
    const end = builder.add(ActionTypes.END_FLOW, {}, 'end');
    call.next(end);
    const built = builder.build();

    // WHEN
    const text = JSON.stringify(built);
    const read = readFlowExport(text, 'built');

    // THEN
    expect(read).toEqual({ flow: built, type: ContactFlowType.OUTBOUND_WHISPER, name: 'Round trip', contentLength: text.length });
  });
});

describe('readFlowContent shapes', () => {
  const minimal = (actions: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    Version: '2019-10-30',
    StartAction: 'a',
    Actions: actions,
    ...extra,
  });

  test('GIVEN a DescribeContactFlow response whose Content is an object WHEN read THEN it reads like the escaped form', () => {
    const wrapped = JSON.parse(fixture(DESCRIBED));
    wrapped.ContactFlow.Content = JSON.parse(wrapped.ContactFlow.Content);
    const { contentLength, ...escaped } = readFlowExport(fixture(DESCRIBED), 'x');
    expect(readFlowContent(wrapped, 'x')).toEqual(escaped);
    // Only the escaped form has a text whose length Connect's limit applies to.
    expect(contentLength).toBe(JSON.parse(fixture(DESCRIBED)).ContactFlow.Content.length);
  });

  test('GIVEN a wrapper without Type and Name WHEN read THEN both come from the metadata', () => {
    const content = JSON.parse(fixture(INBOUND));
    const read = readFlowContent({ ContactFlow: { Content: JSON.stringify(content) } }, 'x');
    expect(read.type).toBe(ContactFlowType.CONTACT_FLOW);
    expect(read.name).toBe('Inbound - transfer to billing desk');
  });

  test('GIVEN a wrapper whose Type disagrees with Metadata.type WHEN read THEN the wrapper Type wins, as the service knows best', () => {
    const read = readFlowContent({ ContactFlow: { Type: 'AGENT_TRANSFER', Content: fixture(INBOUND) } }, 'x');
    expect(read.type).toBe(ContactFlowType.AGENT_TRANSFER);
  });

  test('GIVEN a flow with no metadata WHEN read THEN type and name are left undefined', () => {
    const read = readFlowContent(minimal([{ Identifier: 'a', Type: 'DisconnectParticipant' }]), 'x');
    expect(read).toEqual({
      flow: { Version: '2019-10-30', StartAction: 'a', Actions: [{ Identifier: 'a', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} }] },
    });
    expect('type' in read).toBe(false);
  });

  test('GIVEN an unknown Metadata.type WHEN read THEN the type is left undefined rather than guessed', () => {
    expect(readFlowContent(minimal([], { Metadata: { type: 'contactFlowModule' } }), 'x').type).toBeUndefined();
  });

  test('GIVEN both timeout spellings with one value WHEN read THEN one parameter remains, in the export spelling', () => {
    const read = readFlowContent(
      minimal([
        {
          Identifier: 'a',
          Type: ActionTypes.TRANSFER_TO_PHONE_NUMBER,
          Parameters: { ThirdPartyConnectionTimeoutSeconds: '45', ThirdPartyConnectionTimeLimitSeconds: '45' },
        },
      ]),
      'x',
    );
    expect(read.flow.Actions[0].Parameters).toEqual({ ThirdPartyConnectionTimeLimitSeconds: '45' });
  });

  test('GIVEN only the new timeout spelling WHEN read THEN it keeps its position among the parameters', () => {
    const read = readFlowContent(
      minimal([
        {
          Identifier: 'a',
          Type: ActionTypes.TRANSFER_TO_PHONE_NUMBER,
          Parameters: { ThirdPartyPhoneNumber: '+815012345678', ThirdPartyConnectionTimeoutSeconds: '$.Attributes.timeout', ContinueFlowExecution: 'True' },
        },
      ]),
      'x',
    );
    expect(Object.entries(read.flow.Actions[0].Parameters)).toEqual([
      ['ThirdPartyPhoneNumber', '+815012345678'],
      ['ThirdPartyConnectionTimeLimitSeconds', '$.Attributes.timeout'],
      ['ContinueFlowExecution', 'True'],
    ]);
  });

  test('GIVEN both timeout spellings with different values WHEN read THEN the conflict is reported', () => {
    const error = inputError(() =>
      readFlowContent(
        minimal([
          {
            Identifier: 'a',
            Type: ActionTypes.TRANSFER_TO_PHONE_NUMBER,
            Parameters: { ThirdPartyConnectionTimeoutSeconds: '45', ThirdPartyConnectionTimeLimitSeconds: '30' },
          },
        ]),
        'flows/x.json',
      ),
    );
    expect(error.message).toBe(
      'flows/x.json: Actions[0] ("a"): Parameters has ThirdPartyConnectionTimeLimitSeconds "30" and ThirdPartyConnectionTimeoutSeconds "45"; they are two spellings of one setting, give only ThirdPartyConnectionTimeLimitSeconds.',
    );
  });

  test('GIVEN the old timeout spelling on an action that is not a transfer WHEN read THEN it is left alone', () => {
    const read = readFlowContent(minimal([{ Identifier: 'a', Type: 'Wait', Parameters: { ThirdPartyConnectionTimeoutSeconds: '1' } }]), 'x');
    expect(read.flow.Actions[0].Parameters).toEqual({ ThirdPartyConnectionTimeoutSeconds: '1' });
  });

  test('GIVEN an unknown action type with odd parameters WHEN read THEN it passes through untouched', () => {
    const parameters = { LexV2Bot: { AliasArn: 'arn:aws:lex:ap-northeast-1:111122223333:bot-alias/B/A' }, Nested: [1, { deep: true }], Flag: false };
    const transitions = {
      NextAction: 'a',
      Conditions: [{ NextAction: 'a', Condition: { Operator: 'TextMatchesPattern', Operands: ['x'] } }],
      Errors: [],
    };
    const read = readFlowContent(minimal([{ Identifier: 'a', Type: 'ConnectParticipantWithLexBot', Parameters: parameters, Transitions: transitions }]), 'x');
    expect(read.flow.Actions[0]).toEqual({ Identifier: 'a', Type: 'ConnectParticipantWithLexBot', Parameters: parameters, Transitions: transitions });
  });

  test('GIVEN parameters with a "__proto__" key WHEN read THEN it stays a plain key and pollutes nothing', () => {
    const read = readFlowExport(
      '{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a","Type":"TransferParticipantToThirdParty","Parameters":{"__proto__":{"polluted":1},"ThirdPartyConnectionTimeoutSeconds":"5"}}]}',
      'x',
    );
    const parameters = read.flow.Actions[0].Parameters;
    expect(Object.keys(parameters)).toEqual(['__proto__', 'ThirdPartyConnectionTimeLimitSeconds']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(parameters)).toBe(Object.prototype);
  });
});

describe('readFlowExport error messages', () => {
  test.each<[string, string, RegExp]>([
    ['empty text', '  \n', /^f\.json: is empty; expected a flow or flow module exported from the Amazon Connect console/],
    ['a trailing comma', '{\n  "Version": "2019-10-30",\n}', /^f\.json: is not valid JSON at line 3, column 1 \(Expected double-quoted property name\); expected a flow/],
    ['truncated JSON', '{"Version": "2019-10-30", "Actions": [', /^f\.json: is not valid JSON at line 1, column 39 \(Unexpected end of JSON input\)/],
    ['a top-level array', '[1, 2]', /^f\.json: is JSON but not a flow: the top level is an array; expected a flow or flow module exported/],
    ['a top-level string', '"hello"', /^f\.json: is JSON but not a flow: the top level is a string \("hello"\)/],
    ['an unrelated object', '{"Resources": {}}', /^f\.json: is JSON but not a flow: it has keys "Resources" and no Version, StartAction or Actions/],
    ['Actions not an array', '{"Version":"2019-10-30","StartAction":"a","Actions":{}}', /^f\.json: Actions is an object; expected an array of actions\.$/],
    ['Actions missing', '{"Version":"2019-10-30","StartAction":"a"}', /^f\.json: Actions is missing; expected an array of actions\.$/],
    ['Version a number', '{"Version":2019,"StartAction":"a","Actions":[]}', /^f\.json: Version is number 2019; expected "2019-10-30"\.$/],
    ['StartAction missing', '{"Version":"2019-10-30","Actions":[]}', /^f\.json: StartAction is missing; expected the identifier of the first action/],
    ['Metadata a string', '{"Version":"2019-10-30","StartAction":"a","Metadata":"x","Actions":[]}', /^f\.json: Metadata is a string \("x"\); expected an object/],
    ['an action that is null', '{"Version":"2019-10-30","StartAction":"a","Actions":[null]}', /^f\.json: Actions\[0\] is null; expected an action object/],
    ['an action without Identifier', '{"Version":"2019-10-30","StartAction":"a","Actions":[{"Type":"X"}]}', /^f\.json: Actions\[0\]: Identifier is missing; expected a string/],
    ['an action with a numeric Type', '{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a","Type":7}]}', /^f\.json: Actions\[0\] \("a"\): Type is number 7; expected an action type string/],
    ['Parameters an array', '{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a","Type":"X","Parameters":[]}]}', /^f\.json: Actions\[0\] \("a"\): Parameters is an array; expected an object/],
    ['Parameters null', '{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a","Type":"X","Parameters":null}]}', /^f\.json: Actions\[0\] \("a"\): Parameters is null/],
    ['Transitions a string', '{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a","Type":"X","Transitions":"b"}]}', /^f\.json: Actions\[0\] \("a"\): Transitions is a string \("b"\); expected an object/],
    ['NextAction a number', '{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a","Type":"X","Transitions":{"NextAction":1}}]}', /^f\.json: Actions\[0\] \("a"\): Transitions\.NextAction is number 1; expected an action identifier/],
    ['Errors an object', '{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a","Type":"X","Transitions":{"Errors":{}}}]}', /Transitions\.Errors is an object; expected an array/],
    ['an error without ErrorType', '{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a","Type":"X","Transitions":{"Errors":[{"NextAction":"a"}]}}]}', /Transitions\.Errors\[0\] has NextAction a string \("a"\) and ErrorType missing/],
    ['numeric operands', '{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a","Type":"X","Transitions":{"Conditions":[{"NextAction":"a","Condition":{"Operator":"Equals","Operands":[1]}}]}}]}', /Transitions\.Conditions\[0\]\.Condition\.Operands is an array; expected an array of strings/],
    ['a condition without Condition', '{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a","Type":"X","Transitions":{"Conditions":[{"NextAction":"a"}]}}]}', /Transitions\.Conditions\[0\]\.Condition is missing/],
    ['ContactFlow a string', '{"ContactFlow":"x"}', /^f\.json: ContactFlow is a string \("x"\); expected an object with Type and Content/],
    ['Content a number', '{"ContactFlow":{"Type":"CONTACT_FLOW","Content":5}}', /^f\.json: ContactFlow\.Content is number 5; expected the flow content as a JSON string or an object\.$/],
    ['Content missing', '{"ContactFlow":{"Type":"CONTACT_FLOW"}}', /^f\.json: ContactFlow\.Content is missing/],
    ['Content not JSON', '{"ContactFlow":{"Content":"{\\"Version\\": }"}}', /^f\.json: ContactFlow\.Content is not valid JSON at line 1, column 13/],
    ['Content a wrapper again', '{"ContactFlow":{"Content":{"ContactFlow":{}}}}', /^f\.json: ContactFlow\.Content is JSON but not a flow \(another DescribeContactFlow response\)/],
    ['an unknown flow type', '{"ContactFlow":{"Type":"INBOUND","Content":{}}}', /^f\.json: ContactFlow\.Type is "INBOUND"; expected one of CONTACT_FLOW, CUSTOMER_QUEUE,/],
    ['a numeric Name', '{"ContactFlow":{"Name":1,"Content":{}}}', /^f\.json: ContactFlow\.Name is number 1; expected a string\.$/],
    ['a flow object with an unknown Type', '{"Name":"x","Type":"INBOUND","Content":"{}"}', /^f\.json: Type is "INBOUND"; expected one of CONTACT_FLOW,/],
    ['a flow object whose Content is null', '{"Name":"x","Type":"CONTACT_FLOW","Content":null}', /^f\.json: Content is null; expected the flow content as a JSON string or an object\.$/],
    ['a module response whose Content is not a flow', '{"ContactFlowModule":{"Content":"[]"}}', /^f\.json: ContactFlowModule\.Content is JSON but not a flow/],
    ['an action error inside Content', '{"ContactFlow":{"Content":"{\\"Version\\":\\"2019-10-30\\",\\"StartAction\\":\\"a\\",\\"Actions\\":[7]}"}}', /^f\.json: ContactFlow\.Content: Actions\[0\] is number 7/],
  ])('GIVEN %s WHEN read THEN the message says where, what and what is accepted', (_what, text, expected) => {
    expect(inputError(() => readFlowExport(text, 'f.json')).message).toMatch(expected);
  });

  test('GIVEN a syntax error deep in a multi-line export WHEN read THEN the line and column point at it', () => {
    // GIVEN: drop the comma after the Version line of a real export
    const text = fixture(WHISPER).replace('"Version": "2019-10-30",', '"Version": "2019-10-30"');

    // WHEN
    const error = inputError(() => readFlowExport(text, WHISPER));

    // THEN
    expect(error.message).toMatch(/^outbound-whisper\.json: is not valid JSON at line 3, column 3 \(Expected ',' or '}' after property value\)/);
  });

  test('GIVEN a value that is not text WHEN read THEN it is refused as input, not crashed on', () => {
    expect(inputError(() => readFlowExport(42 as unknown as string, 'f')).message).toMatch(/^f: expected JSON text, got number 42/);
  });

  test('GIVEN nesting deeper than any export WHEN read THEN it is refused before anything recurses into it', () => {
    const deep = `{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a","Type":"X","Parameters":{"p":${'['.repeat(100_000)}${']'.repeat(100_000)}}}]}`;
    expect(inputError(() => readFlowExport(deep, 'f')).message).toBe(`f: Actions[0] ("a"): nests more than ${MAX_FLOW_NESTING} levels deep; flow exports nest fewer than 10.`);
  });

  test('GIVEN deep designer metadata WHEN read THEN it reads, and assertFlowNesting refuses it for whoever walks the whole flow', () => {
    const deep = `{"Version":"2019-10-30","StartAction":"a","Metadata":{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}},"Actions":[{"Identifier":"a","Type":"X"}]}`;
    const read = readFlowExport(deep, 'f');
    expect(read.flow.Actions).toHaveLength(1);
    expect(() => assertFlowNesting(read.flow, 'f')).toThrow(`f: nests more than ${MAX_FLOW_NESTING} levels deep`);
  });

  test('GIVEN a cyclic hand-made value WHEN read THEN it is refused rather than looping', () => {
    const cyclic: Record<string, unknown> = { Version: '2019-10-30', StartAction: 'a', Actions: [] };
    cyclic.Metadata = cyclic;
    expect(inputError(() => readFlowContent(cyclic, 'f')).message).toMatch(/nests more than/);
  });

  test('GIVEN a class instance instead of a plain object WHEN read THEN it is refused as not a flow', () => {
    expect(inputError(() => readFlowContent(new Date(0), 'f')).message).toMatch(/^f: is JSON but not a flow: the top level is an object/);
  });
});

describe('readFlowExport on damaged exports', () => {
  // A small deterministic generator, so a failure can be reproduced from the seed.
  function random(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  /** Reads and, when that succeeds, runs the structure checks too: neither may throw anything but CallerIdInputError. */
  function readOrRefuse(text: string, source: string): 'read' | 'refused' {
    // The independent syntax scanner that locates errors must agree with JSON.parse on what is valid.
    let valid = true;
    try {
      JSON.parse(text);
    } catch {
      valid = false;
    }
    expect(syntaxErrorOffset(text) === undefined).toBe(valid);
    try {
      const read = readFlowExport(text, source);
      for (const finding of validateFlowStructure(read.flow)) expect(finding.severity).toBe(Severity.ERROR);
      for (const action of read.flow.Actions) {
        requiredErrorTypes(action);
        transitionTargets(action);
      }
      return 'read';
    } catch (e) {
      if (!(e instanceof CallerIdInputError)) throw new Error(`${source}: threw ${String(e)} instead of CallerIdInputError`);
      expect(e.message.startsWith(`${source}:`)).toBe(true);
      return 'refused';
    }
  }

  const names = [INBOUND, WHISPER, DESCRIBED, PROMPT_FIRST];

  test.each(names)('GIVEN %s truncated at every position WHEN read THEN each is read or refused with CallerIdInputError', (name) => {
    const text = fixture(name).trimEnd();
    const outcomes = new Set<string>();
    for (let end = 0; end < text.length; end++) outcomes.add(readOrRefuse(text.slice(0, end), `${name}@${end}`));
    expect(outcomes).toEqual(new Set(['refused']));
  });

  test.each(names)('GIVEN %s with random characters replaced WHEN read THEN each is read or refused with CallerIdInputError', (name) => {
    const text = fixture(name);
    const next = random(20261102);
    const replacements = ['{', '}', '[', ']', '"', ',', ':', '\\', '0', 'null', 'true', ' ', 'x', '\u0000', '-', 'e'];
    let read = 0;
    for (let i = 0; i < 1500; i++) {
      const chars = [...text];
      const flips = 1 + Math.floor(next() * 3);
      for (let f = 0; f < flips; f++) chars[Math.floor(next() * chars.length)] = replacements[Math.floor(next() * replacements.length)];
      if (readOrRefuse(chars.join(''), `${name}#${i}`) === 'read') read++;
    }
    // Flips inside strings leave valid flows, so some must still read; this keeps the test from passing vacuously.
    expect(read).toBeGreaterThan(0);
  });

  test.each(names)('GIVEN %s with random values swapped for values of other types WHEN read THEN each is read or refused with CallerIdInputError', (name) => {
    const original: unknown = JSON.parse(fixture(name));
    const next = random(7);
    const odd: unknown[] = [null, 0, -1.5, true, '', 'x', [], {}, [null], { NextAction: 1 }, '{"Version":', '__proto__'];

    function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
      if (typeof value !== 'object' || value === null) return [prefix];
      const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
      return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
    }
    function replaced(value: unknown, path: (string | number)[], replacement: unknown): unknown {
      if (path.length === 0) return replacement;
      const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
      copy[path[0]] = replaced(copy[path[0]], path.slice(1), replacement);
      return copy;
    }

    const all = paths(original);
    for (let i = 0; i < 600; i++) {
      const path = all[Math.floor(next() * all.length)];
      const mutated = replaced(original, path, odd[Math.floor(next() * odd.length)]);
      readOrRefuse(JSON.stringify(mutated), `${name}:${path.join('.')}`);
      // Also delete the key outright, which JSON.stringify does for undefined.
      readOrRefuse(JSON.stringify(replaced(original, path, undefined)) ?? '', `${name}:-${path.join('.')}`);
    }
  });
});

describe('validateFlowStructure', () => {
  const base = (): FlowDocument => readFlowExport(fixture(WHISPER), WHISPER).flow;
  const [CALL, PROMPT, END] = ['026d93ae-d9de-4ada-acf9-81cd611536c2', 'f1c0b009-8970-42e3-bd99-d1ce929fc87d', 'de724869-abea-43fd-b22d-43521d639511'];

  test('GIVEN a read flow without error branches WHEN validated THEN nothing is required of it', () => {
    const flow = base();
    const actions = flow.Actions.map((a) => (a.Identifier === PROMPT ? { ...a, Transitions: { NextAction: END } } : a));
    expect(validateFlowStructure({ ...flow, Actions: actions })).toEqual([]);
  });

  test('GIVEN another version WHEN validated THEN the accepted version is named', () => {
    expect(validateFlowStructure({ ...base(), Version: '2020-01-01' })).toEqual([
      { ruleId: FlowStructureRules.VERSION, severity: Severity.ERROR, message: 'Version is "2020-01-01"; only "2019-10-30" is accepted.' },
    ]);
  });

  test('GIVEN a StartAction that is no action WHEN validated THEN it is reported', () => {
    const findings = validateFlowStructure({ ...base(), StartAction: 'nope' });
    expect(findings.map((f) => f.ruleId)).toEqual([FlowStructureRules.START_ACTION]);
    expect(findings[0].message).toBe('StartAction "nope" is not an action of this flow; it must be one of the 3 action identifiers.');
  });

  test('GIVEN a transition to a missing action WHEN validated THEN the message names the source action and the missing target', () => {
    const flow = base();
    const actions = flow.Actions.map((a) => (a.Identifier === CALL ? { ...a, Transitions: { NextAction: 'gone' } } : a));
    expect(validateFlowStructure({ ...flow, Actions: actions })).toEqual([
      {
        ruleId: FlowStructureRules.DANGLING_TRANSITION,
        severity: Severity.ERROR,
        message: `CompleteOutboundCall "${CALL}" NextAction goes to "gone", which is not an action of this flow; every NextAction must name an action of the same flow.`,
        actionId: CALL,
      },
    ]);
  });

  test('GIVEN dangling condition and error branches WHEN validated THEN each branch is named', () => {
    const flow = base();
    const actions = flow.Actions.map((a) =>
      a.Identifier === PROMPT
        ? {
          ...a,
          Transitions: {
            NextAction: END,
            Conditions: [{ NextAction: 'c', Condition: { Operator: 'Equals' as const, Operands: ['1'] } }],
            Errors: [{ NextAction: 'e', ErrorType: 'NoMatchingError' }],
          },
        }
        : a,
    );
    const messages = validateFlowStructure({ ...flow, Actions: actions }).map((f) => f.message);
    expect(messages).toEqual([
      expect.stringContaining(`"${PROMPT}" condition Equals ["1"] goes to "c"`),
      expect.stringContaining(`"${PROMPT}" error NoMatchingError goes to "e"`),
    ]);
  });

  test('GIVEN duplicate and invalid identifiers WHEN validated THEN each is reported once with what is accepted', () => {
    const flow = base();
    const extra: FlowAction[] = [
      { Identifier: END, Type: 'EndFlowExecution', Parameters: {}, Transitions: {} },
      { Identifier: END, Type: 'EndFlowExecution', Parameters: {}, Transitions: {} },
      { Identifier: 'a:b', Type: 'EndFlowExecution', Parameters: {}, Transitions: {} },
      { Identifier: 'x'.repeat(51), Type: 'EndFlowExecution', Parameters: {}, Transitions: {} },
      { Identifier: '', Type: 'EndFlowExecution', Parameters: {}, Transitions: {} },
      { Identifier: '__proto__', Type: 'EndFlowExecution', Parameters: {}, Transitions: {} },
    ];
    const findings = validateFlowStructure({ ...flow, Actions: [...flow.Actions, ...extra] });
    expect(findings.map((f) => [f.ruleId, f.message])).toEqual([
      [FlowStructureRules.DUPLICATE_IDENTIFIER, `Identifier "${END}" is used by more than one action; each action needs its own identifier.`],
      [FlowStructureRules.INVALID_IDENTIFIER, 'Identifier "a:b" contains ":"; none of % : ( \\ / ) = $ , ; [ ] { } is accepted.'],
      [FlowStructureRules.INVALID_IDENTIFIER, `Identifier "${'x'.repeat(51)}" is 51 characters long; at most 50 are accepted.`],
      [FlowStructureRules.INVALID_IDENTIFIER, 'Identifier "" is empty; identifiers are 1 to 50 characters.'],
      [FlowStructureRules.INVALID_IDENTIFIER, 'Identifier "__proto__" is reserved; __proto__, constructor, toString, valueOf, __defineGetter__, __defineSetter__, hasOwnProperty, isPrototypeOf, propertyIsEnumerable, toLocaleString are not accepted.'],
    ]);
  });

  test('GIVEN 251 actions WHEN validated THEN the action limit is reported', () => {
    const actions: FlowAction[] = Array.from({ length: 251 }, (_, i) => ({ Identifier: `a${i}`, Type: 'EndFlowExecution', Parameters: {}, Transitions: {} }));
    const findings = validateFlowStructure({ Version: '2019-10-30', StartAction: 'a0', Actions: actions });
    expect(findings.map((f) => f.message)).toEqual([
      'The flow has 251 actions; Connect accepts at most 250. Split it with TransferToFlow or flow modules.',
    ]);
  });

  test('GIVEN content over 256,000 characters WHEN validated THEN its length is reported', () => {
    const flow = base();
    const findings = validateFlowStructure({ ...flow, Metadata: { note: 'x'.repeat(256_000) } });
    expect(findings).toHaveLength(1);
    expect(findings[0].ruleId).toBe(FlowStructureRules.CONTENT_TOO_LONG);
    expect(findings[0].message).toMatch(/^The flow content is 2\d{5} characters long; Connect accepts at most 256000\./);
  });
});

describe('readFlowExport on every shape repositories hold', () => {
  // Synthetic flows in the shapes public repositories keep their exports in.
  const transferFlow = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    Version: '2019-10-30',
    StartAction: 'transfer',
    Actions: [
      {
        Identifier: 'transfer', Type: ActionTypes.TRANSFER_TO_PHONE_NUMBER,
        Parameters: { ThirdPartyPhoneNumber: '+815012345678', ThirdPartyConnectionTimeLimitSeconds: '30', ContinueFlowExecution: 'False' },
        Transitions: { NextAction: 'end', Errors: [{ NextAction: 'end', ErrorType: 'NoMatchingError' }] },
      },
      { Identifier: 'end', Type: ActionTypes.DISCONNECT, Parameters: {}, Transitions: {} },
    ],
    ...extra,
  });
  const moduleContent = (withSettings: boolean): Record<string, unknown> => ({
    Version: '2019-10-30',
    StartAction: 'lambda',
    Actions: [
      { Identifier: 'lambda', Type: 'InvokeLambdaFunction', Parameters: { LambdaFunctionARN: 'arn:aws:lambda:us-east-1:123456789012:function:f' },
        Transitions: { NextAction: 'return', Errors: [{ NextAction: 'return', ErrorType: 'NoMatchingError' }] } },
      { Identifier: 'return', Type: 'EndFlowModuleExecution', Parameters: {}, Transitions: {} },
    ],
    ...(withSettings ? { Settings: { InputParameters: [], OutputParameters: [], Transitions: [] } } : {}),
  });

  test('GIVEN a {Name, Type, Content, Tags} object with escaped Content WHEN read THEN its Type and Name are the flow\'s', () => {
    const content = JSON.stringify(transferFlow());
    const read = readFlowExport(JSON.stringify({ Name: 'acme queue transfer', Type: 'QUEUE_TRANSFER', Content: content, Tags: { team: 'x' } }), 'o.json');
    expect(read.type).toBe(ContactFlowType.QUEUE_TRANSFER);
    expect(read.name).toBe('acme queue transfer');
    expect(read.contentLength).toBe(content.length);
    expect(read.flow.Actions.map((a) => a.Identifier)).toEqual(['transfer', 'end']);
    expect(read.module).toBeUndefined();
    expect(read.draft).toBeUndefined();
  });

  test('GIVEN a {Name, Content} object with the content as an object WHEN read THEN it reads like the escaped form, without a length', () => {
    const read = readFlowExport(JSON.stringify({ Name: 'n', Content: transferFlow() }), 'o.json');
    expect(read.type).toBeUndefined();
    expect(read.contentLength).toBeUndefined();
    expect(read.flow.StartAction).toBe('transfer');
  });

  test.each([
    ['a top-level Settings object', moduleContent(true), /top-level Settings object/],
    ['an EndFlowModuleExecution action and no Settings', moduleContent(false), /action "return" is EndFlowModuleExecution/],
  ])('GIVEN flow module content with %s WHEN read THEN it is a module, shown by its content', (_what, content, evidence) => {
    const read = readFlowExport(JSON.stringify(content), 'm.json');
    expect(read.type).toBeUndefined();
    expect(read.module).toEqual({ stated: false, evidence: expect.stringMatching(evidence) });
  });

  test('GIVEN a DescribeContactFlowModule response WHEN read THEN it is a module by what the file states', () => {
    const read = readFlowExport(JSON.stringify({ ContactFlowModule: { Name: 'init', Status: 'published', Content: JSON.stringify(moduleContent(true)) } }), 'm.json');
    expect(read.module).toEqual({ stated: true, evidence: 'it is a DescribeContactFlowModule response' });
    expect(read.name).toBe('init');
  });

  test.each<[string, Record<string, unknown>, string | undefined]>([
    ['Metadata.status "SAVED"', transferFlow({ Metadata: { status: 'SAVED' } }), 'Metadata.status is "SAVED"'],
    ['Metadata.status "saved"', transferFlow({ Metadata: { status: 'saved' } }), 'Metadata.status is "saved"'],
    ['an empty StartAction and a null status', transferFlow({ StartAction: '', Metadata: { status: null } }), 'its StartAction is empty and it states no status'],
    ['Metadata.status "published"', transferFlow({ Metadata: { status: 'published' } }), undefined],
    ['an empty StartAction in a published export', transferFlow({ StartAction: '', Metadata: { status: 'PUBLISHED' } }), undefined],
    ['no status at all', transferFlow(), undefined],
  ])('GIVEN raw content with %s WHEN read THEN the draft evidence is %j', (_what, content, evidence) => {
    expect(readFlowExport(JSON.stringify(content), 'd.json').draft).toBe(evidence);
  });

  test('GIVEN a DescribeContactFlow response with Status SAVED WHEN read THEN it is a draft by its Status, whatever Metadata says', () => {
    const wrapped = { ContactFlow: { Type: 'CONTACT_FLOW', Status: 'SAVED', Content: JSON.stringify(transferFlow({ Metadata: { status: 'published' } })) } };
    expect(readFlowExport(JSON.stringify(wrapped), 'd.json').draft).toBe('ContactFlow.Status is "SAVED"');
  });
});

describe('readFlowExport in place (what check reads with)', () => {
  const flowText = (actions: object[]): string => JSON.stringify({
    Version: '2019-10-30', StartAction: 'a1', Metadata: { type: 'contactFlow', name: 'n' }, Actions: actions,
  });
  const transfer = (parameters: object) => ({
    Parameters: { ThirdPartyPhoneNumber: '+81368009999', ContinueFlowExecution: 'True', CallerId: { Number: '+81368001234' }, ...parameters },
    Identifier: 'b2', Type: ActionTypes.TRANSFER_TO_PHONE_NUMBER,
    Transitions: { NextAction: 'c3', Errors: [{ NextAction: 'd4', ErrorType: 'NoMatchingError', Extra: 1 }] },
  });
  const shapes: Record<string, string> = {
    'console order and extra members': flowText([
      { Parameters: { Text: 'hi' }, Identifier: 'a1', Type: 'MessageParticipant', Transitions: { NextAction: 'b2' }, Extra: true },
      transfer({ ThirdPartyConnectionTimeLimitSeconds: '30' }),
      { Parameters: { ComparisonValue: '$.Attributes' }, Identifier: 'c3', Type: 'Compare',
        Transitions: { NextAction: 'nowhere', Conditions: [{ NextAction: 'd4', Condition: { Operator: 'Equals', Operands: [''], Note: 'x' } }] } },
      { Identifier: 'd4', Type: 'DisconnectParticipant' },
    ]),
    'the alternative timeout spelling': flowText([
      { Parameters: {}, Identifier: 'a1', Type: 'MessageParticipant', Transitions: { NextAction: 'b2' } },
      transfer({ ThirdPartyConnectionTimeoutSeconds: '30' }),
      { Parameters: { Attributes: { x: '' } }, Identifier: 'a1', Type: 'UpdateContactAttributes', Transitions: { NextAction: 'd4' } },
      { Parameters: {}, Identifier: 'd4', Type: 'DisconnectParticipant', Transitions: {} },
    ]),
  };

  test.each(Object.keys(shapes))('GIVEN a flow with %s WHEN checked after reading in place THEN the findings are those of the copies', (shape) => {
    // GIVEN the same text read both ways
    const copied = readFlowExport(shapes[shape], 'f.json');
    const inPlace = readFlowExport(shapes[shape], 'f.json', { inPlace: true });
    // THEN every rule finds the same, and there is something to find
    const findings = checkFlowExport(copied, {}).findings;
    expect(findings.length).toBeGreaterThan(0);
    expect(checkFlowExport(inPlace, {}).findings).toEqual(findings);
    expect(inPlace.flow.Actions.map((a) => a.Identifier)).toEqual(copied.flow.Actions.map((a) => a.Identifier));
  });

  test('GIVEN a console export WHEN read in place THEN its actions keep the text\'s members, and copies hold the flow language\'s in its order', () => {
    const copied = readFlowExport(shapes['console order and extra members'], 'f.json');
    const inPlace = readFlowExport(shapes['console order and extra members'], 'f.json', { inPlace: true });
    expect(Object.keys(inPlace.flow.Actions[0])).toEqual(['Parameters', 'Identifier', 'Type', 'Transitions', 'Extra']);
    expect(Object.keys(copied.flow.Actions[0])).toEqual(['Identifier', 'Type', 'Parameters', 'Transitions']);
    // An action without Parameters and Transitions is copied either way, so both read as {}.
    expect(inPlace.flow.Actions[3]).toEqual({ Identifier: 'd4', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} });
  });

  test('GIVEN the alternative timeout spelling WHEN read in place THEN the transfer is still normalized to the export spelling', () => {
    const transferAction = actionOfType(readFlowExport(shapes['the alternative timeout spelling'], 'f.json', { inPlace: true }), ActionTypes.TRANSFER_TO_PHONE_NUMBER);
    expect(transferAction.Parameters).toHaveProperty('ThirdPartyConnectionTimeLimitSeconds', '30');
    expect(transferAction.Parameters).not.toHaveProperty('ThirdPartyConnectionTimeoutSeconds');
  });

  test.each<[string, object]>([
    ['an error branch without ErrorType', { NextAction: 'b2', Errors: [{ NextAction: 'b2' }] }],
    ['a condition with a number operand', { NextAction: 'b2', Conditions: [{ NextAction: 'b2', Condition: { Operator: 'Equals', Operands: [1] } }] }],
    ['a NextAction that is a number', { NextAction: 7 }],
  ])('GIVEN %s WHEN read in place THEN it is refused with the message the copying read gives', (_what, transitions) => {
    const text = flowText([{ Parameters: {}, Identifier: 'a1', Type: 'MessageParticipant', Transitions: transitions }]);
    const message = inputError(() => readFlowExport(text, 'f.json')).message;
    expect(inputError(() => readFlowExport(text, 'f.json', { inPlace: true })).message).toBe(message);
  });
});
