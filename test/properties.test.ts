import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { runCli } from '../lib/cli/main';
import { parseE164 } from '../lib/core/e164';
import { CallerIdInputError } from '../lib/core/errors';
import { findRule } from '../lib/core/catalogue';
import { checkFlow } from '../lib/core/flow/check';
import { ActionTypes, ContactFlowType, FlowAction, FlowDocument } from '../lib/core/flow/model';
import { readFlowExport } from '../lib/core/flow/reader';
import { successorsOf } from '../lib/core/flow/structure';
import { callerIdValueForm, templatePlaceholderIn, withoutReferences } from '../lib/core/rules';
import { createConnectClient } from '../lib/lookup/connect-client';
import { createHandler } from '../lib/handler';
import { CallerIdContext } from '../lib/core/rule-definition';
import { useTestAwsEnvironment, INSTANCE_ARN } from './support/aws-env';
import { ConnectEndpoint, generateNumbers, startConnectEndpoint } from './support/connect-endpoint';
import { exampleInventory, FLOW_FIXTURES, INVENTORY_FILE } from './support/fixtures';

// Property-based tests: the guard must answer every input with a result or its own clear error, never a crash.
const E164 = /^\+[1-9]\d{1,14}$/;

describe('parseE164', () => {
  const phoneLike = fc.stringMatching(/^\+?[0-9 ()+-]{0,22}$/);

  test('never throws, and accepts only strict E.164 that it returns unchanged', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), phoneLike, fc.string({ unit: 'binary' })), (value) => {
      const result = parseE164(value, ['JP', 'GB', 'US']);
      if (result.ok) {
        expect(value).toMatch(E164);
        expect(result.number).toBe(value);
      } else {
        expect(result.reason.length).toBeGreaterThan(0);
        if (result.suggestion !== undefined) {
          expect(result.suggestion).toMatch(E164);
          expect(parseE164(result.suggestion).ok).toBe(true);
        }
      }
    }), { numRuns: 3000 });
  });
});

describe('flow reader and checker on damaged console exports', () => {
  const fixtures = fs.readdirSync(FLOW_FIXTURES).map((f) => fs.readFileSync(path.join(FLOW_FIXTURES, f), 'utf8'));
  const inventory = exampleInventory();

  const damaged = fc.tuple(fc.constantFrom(...fixtures), fc.nat(), fc.array(fc.tuple(fc.nat(), fc.string({ maxLength: 3 })), { maxLength: 4 }), fc.boolean())
    .map(([text, cut, edits, truncate]) => {
      let out = truncate ? text.slice(0, cut % (text.length + 1)) : text;
      for (const [at, insert] of edits) {
        const i = out.length === 0 ? 0 : at % out.length;
        out = out.slice(0, i) + insert + out.slice(i + 1);
      }
      return out;
    });

  test('read either succeeds or throws CallerIdInputError naming the source; checking what was read never throws', () => {
    fc.assert(fc.property(damaged, (text) => {
      let read;
      try {
        read = readFlowExport(text, 'damaged.json');
      } catch (e) {
        expect(e).toBeInstanceOf(CallerIdInputError);
        expect((e as Error).message.startsWith('damaged.json')).toBe(true);
        return;
      }
      for (const type of [read.type ?? ContactFlowType.CONTACT_FLOW, ContactFlowType.OUTBOUND_WHISPER]) {
        for (const f of checkFlow(read.flow, { type, inventory })) expect(f.ruleId).toMatch(/^[A-Z0-9_]+$/);
      }
    }), { numRuns: 2000 });
  });

  test('arbitrary JSON values are read or refused with CallerIdInputError, never a crash', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      try {
        readFlowExport(JSON.stringify(value), 'value.json');
      } catch (e) {
        expect(e).toBeInstanceOf(CallerIdInputError);
      }
    }), { numRuns: 1000 });
  });

  test('the check command exits 2 with a message on unreadable input, never throwing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prop-cli-'));
    await fc.assert(fc.asyncProperty(damaged, async (text) => {
      const file = path.join(dir, 'flow.json');
      fs.writeFileSync(file, text);
      const err: string[] = [];
      const code = await runCli(['check', '--numbers', INVENTORY_FILE, '--type', 'CONTACT_FLOW', file], { out: () => undefined, err: (l) => err.push(l) });
      let readable = true;
      try {
        readFlowExport(text, file);
      } catch {
        readable = false;
      }
      if (readable) {
        expect([0, 1]).toContain(code);
      } else {
        expect(code).toBe(2);
        expect(err.join('\n')).toContain(file);
      }
    }), { numRuns: 300 });
  });
});

describe('the shapes that once hung or misjudged the checker', () => {
  const inventory = exampleInventory();
  const transfer = (parameters: Record<string, unknown>): FlowDocument => ({
    Version: '2019-10-30', StartAction: 't',
    Actions: [
      { Identifier: 't', Type: ActionTypes.TRANSFER_TO_PHONE_NUMBER,
        Parameters: { ThirdPartyConnectionTimeLimitSeconds: '30', ContinueFlowExecution: 'False', ...parameters },
        Transitions: { NextAction: 'd', Errors: [{ NextAction: 'd', ErrorType: 'NoMatchingError' }] } },
      { Identifier: 'd', Type: ActionTypes.DISCONNECT, Parameters: {}, Transitions: {} },
    ],
  });
  const known = (f: { ruleId: string }) => expect(findRule(f.ruleId)).toBeDefined();

  test('long dotted references are a reference exactly when nothing trails them, and are judged as one', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_-]{1,3}$/);
    const reference = fc.tuple(fc.array(segment, { minLength: 1, maxLength: 3000 }), fc.constantFrom('', ' ', '\t', '$', '.', ' $.Attributes.x'))
      .map(([segments, tail]) => ({ value: `$.Attributes.${segments.join('.')}${tail}`, clean: tail === '' }));
    fc.assert(fc.property(reference, ({ value, clean }) => {
      expect(callerIdValueForm(value)).toBe(clean ? 'reference' : 'mixed');
      const findings = checkFlow(transfer({ ThirdPartyPhoneNumber: '+815012345678', CallerId: { Number: value } }), { type: ContactFlowType.CONTACT_FLOW, inventory });
      expect(findings.map((f) => f.ruleId)).toEqual([clean ? 'CALLER_ID_DYNAMIC' : 'CALLER_ID_INVALID_REFERENCE']);
    }), { numRuns: 200 });
  });

  test('whitespace-heavy values in every caller ID field are judged without a crash, by catalogued rules', () => {
    const piece = fc.constantFrom(' ', '\t', '\n', '.', '$', '$.', '$.A', 'b', '[', ']', '{', '}', '{{', '}}', '${', '%', 'X%', '+', '1', '-');
    const value = fc.array(piece, { maxLength: 3000 }).map((p) => p.join(''));
    fc.assert(fc.property(value, value, value, (number, name, destination) => {
      const findings = checkFlow(transfer({ ThirdPartyPhoneNumber: destination, CallerId: { Number: number, Name: name } }), { type: ContactFlowType.CONTACT_FLOW, inventory });
      findings.forEach(known);
      for (const v of [number, name, destination]) {
        const placeholder = templatePlaceholderIn(v);
        if (placeholder !== undefined) expect(v).toContain(placeholder);
        const { text, hasReferences } = withoutReferences(v);
        expect(text.length).toBeLessThanOrEqual(v.length);
        if (!hasReferences) expect(text).toBe(v);
      }
    }), { numRuns: 300 });
  });

  test('many participant blocks: Call phone number is flagged exactly when a reachable participant action can run before it', () => {
    const kinds = [ActionTypes.MESSAGE_PARTICIPANT, 'GetParticipantInput', ActionTypes.CALL_PHONE_NUMBER, ActionTypes.SET_CONTACT_ATTRIBUTES, ActionTypes.COMPARE];
    const graph = fc.integer({ min: 2, max: 400 }).chain((n) => fc.tuple(
      fc.array(fc.constantFrom(...kinds), { minLength: n, maxLength: n }),
      fc.array(fc.array(fc.nat(n - 1), { maxLength: 3 }), { minLength: n, maxLength: n }),
    ));
    fc.assert(fc.property(graph, ([types, edges]) => {
      const actions: FlowAction[] = types.map((type, i) => ({
        Identifier: `a${i}`, Type: type, Parameters: type === ActionTypes.CALL_PHONE_NUMBER ? { CallerId: { Number: '+81368001234' } } : {},
        Transitions: edges[i].length > 0
          ? { NextAction: `a${edges[i][0]}`, Errors: edges[i].slice(1).map((t) => ({ NextAction: `a${t}`, ErrorType: 'NoMatchingError' })) }
          : {},
      }));
      const flow: FlowDocument = { Version: '2019-10-30', StartAction: 'a0', Actions: actions };
      const flagged = new Set(checkFlow(flow, { type: ContactFlowType.OUTBOUND_WHISPER, inventory })
        .filter((f) => f.ruleId === 'FLOW_PARTICIPANT_BEFORE_CALL').map((f) => f.actionId));
      // The oracle walks from each participant separately, as the rule is stated.
      const byId = new Map(actions.map((a) => [a.Identifier, a]));
      const walk = (starts: string[]) => {
        const seen = new Set<string>(starts);
        const queue = [...starts];
        while (queue.length > 0) for (const t of successorsOf(byId.get(queue.pop()!)!)) if (!seen.has(t)) { seen.add(t); queue.push(t); }
        return seen;
      };
      const fromStart = walk(['a0']);
      const expected = new Set<string>();
      for (const p of actions) {
        if (![ActionTypes.MESSAGE_PARTICIPANT, 'GetParticipantInput'].includes(p.Type) || !fromStart.has(p.Identifier)) continue;
        for (const id of walk(successorsOf(p))) if (byId.get(id)!.Type === ActionTypes.CALL_PHONE_NUMBER) expected.add(id);
      }
      expect(flagged).toEqual(expected);
    }), { numRuns: 200 });
  });

  test('numbers of every JSON type where strings belong are refused as not strings, never read as unset or passed silently', () => {
    const notString = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }));
    const where = fc.constantFrom('CallerId.Number', 'CallerId.Name', 'ThirdPartyPhoneNumber', 'CallerId', 'whisper CallerId.Number');
    fc.assert(fc.property(where, notString, (at, value) => {
      // An object is what CallerId itself must be.
      fc.pre(!(at === 'CallerId' && typeof value === 'object' && value !== null && !Array.isArray(value)));
      let flow: FlowDocument;
      if (at === 'whisper CallerId.Number') {
        flow = { Version: '2019-10-30', StartAction: 'c', Actions: [
          { Identifier: 'c', Type: ActionTypes.CALL_PHONE_NUMBER, Parameters: { CallerId: { Number: value } }, Transitions: { NextAction: 'e' } },
          { Identifier: 'e', Type: ActionTypes.END_FLOW, Parameters: {}, Transitions: {} },
        ] };
      } else {
        const callerId = at === 'CallerId' ? value : { Number: at === 'CallerId.Number' ? value : '+81368001234', ...(at === 'CallerId.Name' ? { Name: value } : {}) };
        flow = transfer({ ThirdPartyPhoneNumber: at === 'ThirdPartyPhoneNumber' ? value : '+815012345678', CallerId: callerId });
      }
      const findings = checkFlow(flow, { type: at.startsWith('whisper') ? ContactFlowType.OUTBOUND_WHISPER : ContactFlowType.CONTACT_FLOW, inventory });
      const property = at.replace('whisper ', '');
      expect(findings).toEqual([expect.objectContaining({
        ruleId: 'FLOW_VALUE_NOT_STRING', message: expect.stringMatching(new RegExp(`^${property.replace('.', '\\.')} must be `)),
      })]);
    }), { numRuns: 500 });
  });
});

describe('deploy-time handler with random resource properties', () => {
  let endpoint: ConnectEndpoint;
  let restore: () => void;
  beforeAll(async () => {
    restore = useTestAwsEnvironment();
    endpoint = await startConnectEndpoint({ numbers: { [INSTANCE_ARN]: generateNumbers(30, { targetArn: INSTANCE_ARN }) } });
  });
  afterAll(async () => {
    await endpoint.close();
    restore();
  });

  test('answers FAILED with a reason (or SUCCESS for Delete), never an unhandled exception', async () => {
    const handler = createHandler({
      missingNumberRetryDelaysMs: [],
      maxThrottleWaitMs: 1000,
      createClient: () => createConnectClient({ endpoint: endpoint.url, region: 'ap-northeast-1' }),
      log: () => undefined,
    });
    const claimed = generateNumbers(30, { targetArn: INSTANCE_ARN }).map((n) => n.PhoneNumber!);
    const number = fc.oneof(
      { arbitrary: fc.constantFrom(...claimed), weight: 20 },
      { arbitrary: fc.integer({ min: 10_001_000, max: 99_999_999 }).map((n) => `+8150${n}`), weight: 1 },
      { arbitrary: fc.stringMatching(/^\+[0-9]{4,16}$/), weight: 1 },
      { arbitrary: fc.string(), weight: 1 },
    );
    const context = fc.constantFrom(...Object.values(CallerIdContext));
    const use = fc.record({ Path: fc.string(), Context: context, Destination: fc.option(number, { nil: undefined }) }, { requiredKeys: ['Path', 'Context'] });
    const wellFormed = fc.record({
      TargetArns: fc.constant([INSTANCE_ARN]),
      Numbers: fc.array(fc.record({
        Number: number, UsedBy: fc.array(use, { minLength: 1, maxLength: 3 }),
        ArnAttribute: fc.option(fc.stringMatching(/^N[0-9]{1,15}$/), { nil: undefined }),
      }, { requiredKeys: ['Number', 'UsedBy'] }), { minLength: 1, maxLength: 25 }),
      GuardNumbers: fc.option(fc.array(number, { maxLength: 30 }), { nil: undefined }),
      GuardUsedBy: fc.option(fc.array(use, { maxLength: 3 }), { nil: undefined }),
    }, { requiredKeys: ['TargetArns', 'Numbers'] });
    const props = fc.oneof(
      { arbitrary: wellFormed, weight: 3 },
      { arbitrary: fc.anything(), weight: 1 },
      { weight: 1, arbitrary: fc.record({
        ServiceToken: fc.string(),
        TargetArns: fc.oneof(fc.constant([INSTANCE_ARN]), fc.array(fc.string(), { maxLength: 2 }), fc.anything()),
        Numbers: fc.oneof(fc.array(fc.record({ Number: fc.oneof(number, fc.anything()), UsedBy: fc.anything() }), { maxLength: 30 }), fc.anything()),
        GuardNumbers: fc.oneof(fc.array(number, { maxLength: 30 }), fc.anything()),
        GuardUsedBy: fc.anything(),
      }, { requiredKeys: [] }) },
    );
    const event = fc.record({
      RequestType: fc.oneof(fc.constantFrom('Create', 'Update', 'Delete'), fc.string()),
      ResourceProperties: props,
      PhysicalResourceId: fc.option(fc.string(), { nil: undefined }),
    });
    const callsBefore = endpoint.calls;
    await fc.assert(fc.asyncProperty(event, async (e) => {
      try {
        const result = await handler(e as any);
        expect(['Create', 'Update', 'Delete']).toContain(e.RequestType);
        expect(typeof result).toBe('object');
      } catch (err) {
        expect(e.RequestType).not.toBe('Delete');
        expect(err).toBeInstanceOf(Error);
        const message = (err as Error).message;
        expect(message.length).toBeGreaterThan(0);
        expect(message).not.toMatch(/failed unexpectedly/);
        expect(Buffer.byteLength(message)).toBeLessThan(4096);
      }
    }), { numRuns: 400 });
    // Well-formed properties reached the endpoint, so the listing and matching paths were exercised too.
    expect(endpoint.calls - callsBefore).toBeGreaterThan(20);
  });
});
