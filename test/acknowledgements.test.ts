import * as fc from 'fast-check';
import * as path from 'path';
import { acknowledgementsFromRuleIds, applyAcknowledgements, compileGlob, describeUnused, parseAcknowledgementsFile } from '../lib/cli/acknowledgements';
import { Finding } from '../lib/core/findings';
import { CallerIdRules } from '../lib/core/rules';

const root = path.resolve('/repo');
const ACKS = path.join(root, 'acknowledgements.json');
const parse = (entries: unknown) => parseAcknowledgementsFile(JSON.stringify(entries), ACKS);

const dynamic = (actionId: string, number = '$.Attributes.callerId'): Finding => ({
  ruleId: CallerIdRules.DYNAMIC.id, severity: CallerIdRules.DYNAMIC.severity, message: `CallerId.Number ${number} is known only during the call`, actionId, number,
});
const notClaimed: Finding = {
  ruleId: CallerIdRules.NOT_CLAIMED.id, severity: CallerIdRules.NOT_CLAIMED.severity, message: 'CallerId.Number +81368001299 is not claimed', actionId: 'b', number: '+81368001299',
};

/** The warnings left standing and the acknowledged ones, as `file action`. */
function apply(entries: unknown[], files: Record<string, Finding[]>, cwd = root) {
  const applied = applyAcknowledgements(Object.entries(files).map(([file, findings]) => ({ file, findings })), parse(entries), cwd);
  const names = Object.keys(files);
  return {
    standing: applied.files.flatMap((f, i) => f.findings.map((x) => `${names[i]} ${x.ruleId} ${x.actionId}`)),
    acknowledged: applied.files.flatMap((f, i) => f.acknowledged.map((x) => `${names[i]} ${x.actionId}: ${x.acknowledgement.reason}`)),
    unused: applied.unused.map((u) => u.source),
  };
}

describe('acknowledgements file', () => {
  test('an entry without scope covers every warning of its rule, with its reason', () => {
    expect(apply([{ rule: 'CALLER_ID_DYNAMIC', reason: 'guarded by the Lambda' }], {
      'flows/a.json': [dynamic('a1'), notClaimed], 'flows/b.json': [dynamic('b1')],
    })).toEqual({
      standing: ['flows/a.json CALLER_ID_NOT_CLAIMED b'],
      acknowledged: ['flows/a.json a1: guarded by the Lambda', 'flows/b.json b1: guarded by the Lambda'],
      unused: [],
    });
  });

  test('scoped by file: an exact path or a glob, relative to the acknowledgements file', () => {
    const files = { 'flows/a.json': [dynamic('a1')], 'flows/sub/b.json': [dynamic('b1')], 'other/c.json': [dynamic('c1')] };
    expect(apply([{ rule: 'CALLER_ID_DYNAMIC', reason: 'r', file: 'flows/a.json' }], files).acknowledged).toEqual(['flows/a.json a1: r']);
    expect(apply([{ rule: 'CALLER_ID_DYNAMIC', reason: 'r', file: './flows/*.json' }], files).acknowledged).toEqual(['flows/a.json a1: r']);
    expect(apply([{ rule: 'CALLER_ID_DYNAMIC', reason: 'r', file: 'flows/**/*.json' }], files).acknowledged).toEqual(['flows/a.json a1: r', 'flows/sub/b.json b1: r']);
    expect(apply([{ rule: 'CALLER_ID_DYNAMIC', reason: 'r', file: '**/c.json' }], files).acknowledged).toEqual(['other/c.json c1: r']);
    // The command line may name the files from another directory, or absolutely: what counts is the file itself.
    expect(apply([{ rule: 'CALLER_ID_DYNAMIC', reason: 'r', file: 'flows/a.json' }], { 'a.json': [dynamic('a1')] }, path.join(root, 'flows')).acknowledged)
      .toEqual(['a.json a1: r']);
    expect(apply([{ rule: 'CALLER_ID_DYNAMIC', reason: 'r', file: 'flows/a.json' }], { [path.join(root, 'flows/a.json')]: [dynamic('a1')] }, '/elsewhere').acknowledged)
      .toHaveLength(1);
  });

  test('scoped by action and by number', () => {
    const files = { 'flows/a.json': [dynamic('a1', '$.Attributes.callerId'), dynamic('a2', '$.External.callerId')] };
    expect(apply([{ rule: 'CALLER_ID_DYNAMIC', reason: 'r', actionId: 'a2' }], files)).toMatchObject({
      standing: ['flows/a.json CALLER_ID_DYNAMIC a1'], acknowledged: ['flows/a.json a2: r'],
    });
    expect(apply([{ rule: 'CALLER_ID_DYNAMIC', reason: 'r', number: '$.Attributes.callerId' }], files)).toMatchObject({
      standing: ['flows/a.json CALLER_ID_DYNAMIC a2'], acknowledged: ['flows/a.json a1: r'],
    });
    // Every scope given must match.
    expect(apply([{ rule: 'CALLER_ID_DYNAMIC', reason: 'r', actionId: 'a2', number: '$.Attributes.callerId' }], files)).toEqual({
      standing: ['flows/a.json CALLER_ID_DYNAMIC a1', 'flows/a.json CALLER_ID_DYNAMIC a2'], acknowledged: [], unused: [`${ACKS}[0]`],
    });
  });

  test('entries that matched nothing are reported, so stale ones are seen', () => {
    const entries = [
      { rule: 'CALLER_ID_DYNAMIC', reason: 'used', actionId: 'a1' },
      { rule: 'CALLER_ID_DYNAMIC', reason: 'stale', file: 'flows/gone.json', actionId: 'x' },
      { rule: 'CALLER_ID_NAME_NOT_SHOWN', reason: 'no such warning' },
    ];
    const applied = applyAcknowledgements([{ file: 'flows/a.json', findings: [dynamic('a1')] }], parse(entries), root);
    expect(applied.unused.map(describeUnused)).toEqual([
      `${ACKS}[1]: the acknowledgement of CALLER_ID_DYNAMIC for file "flows/gone.json", action "x" matched no warning; remove it if the warning is gone, or correct its scope`,
      `${ACKS}[2]: the acknowledgement of CALLER_ID_NAME_NOT_SHOWN matched no warning; remove it if the warning is gone, or correct its scope`,
    ]);
  });

  test.each([
    ['not JSON', '[{', ': the acknowledgements file is not valid JSON at line 1, column 3'],
    ['a key twice', '[{ "rule": "CALLER_ID_DYNAMIC", "reason": "r", "file": "a.json", "file": "b.json" }]', ': the acknowledgements file is'],
    ['not an array', '{ "rule": "CALLER_ID_DYNAMIC" }', ': expected a JSON array of acknowledgements'],
    ['an entry that is not an object', '["CALLER_ID_DYNAMIC"]', '[0]: an acknowledgement must be an object'],
    ['no reason', '[{ "rule": "CALLER_ID_DYNAMIC" }]', '[0] (CALLER_ID_DYNAMIC): "reason" is missing'],
    ['a blank reason', '[{ "rule": "CALLER_ID_DYNAMIC", "reason": "  " }]', '[0]: "reason" must be a non-empty string'],
    ['no rule', '[{ "reason": "r" }]', '[0]: "rule" is missing'],
    ['an unknown rule', '[{ "rule": "CALLER_ID_DYNAMICS", "reason": "r" }]', '[0]: "CALLER_ID_DYNAMICS" is not a rule id'],
    ['an error rule', '[{ "rule": "CALLER_ID_DYNAMIC", "reason": "r" }, { "rule": "CALLER_ID_NOT_CLAIMED", "reason": "r" }]',
      '[1]: CALLER_ID_NOT_CLAIMED is an error, and errors cannot be acknowledged; fix what it reports instead'],
    ['a misspelt scope', '[{ "rule": "CALLER_ID_DYNAMIC", "reason": "r", "action": "a1" }]', '[0]: unknown key "action"; an acknowledgement has rule, reason, file, actionId, number'],
    ['a scope that is not a string', '[{ "rule": "CALLER_ID_DYNAMIC", "reason": "r", "number": 81368001234 }]', '[0]: "number" must be a non-empty string, got 81368001234'],
  ])('%s is refused, naming the entry', (_, text, message) => {
    expect(() => parseAcknowledgementsFile(text, ACKS)).toThrow(`${ACKS}${message}`);
  });

  test('--acknowledge RULE_ID covers the rule everywhere; errors and unknown ids are refused', () => {
    const acks = acknowledgementsFromRuleIds(['CALLER_ID_DYNAMIC'], root);
    const applied = applyAcknowledgements([{ file: 'x.json', findings: [dynamic('a1'), notClaimed] }], acks, root);
    expect(applied.files[0].findings).toEqual([notClaimed]);
    expect(applied.files[0].acknowledged[0].acknowledgement).toEqual({ reason: 'acknowledged on the command line', source: '--acknowledge CALLER_ID_DYNAMIC' });
    expect(() => acknowledgementsFromRuleIds(['CALLER_ID_NOT_CLAIMED'], root)).toThrow('--acknowledge CALLER_ID_NOT_CLAIMED: CALLER_ID_NOT_CLAIMED is an error');
    expect(() => acknowledgementsFromRuleIds(['NOPE'], root)).toThrow('--acknowledge NOPE: "NOPE" is not a rule id');
  });
});

describe('path globs', () => {
  test.each([
    ['flows/a.json', 'flows/a.json', true],
    ['flows/a.json', 'flows/a.jsonx', false],
    ['flows/*.json', 'flows/a.json', true],
    ['flows/*.json', 'flows/.json', true],
    ['flows/*.json', 'flows/sub/a.json', false],
    ['flows/?.json', 'flows/a.json', true],
    ['flows/?.json', 'flows/ab.json', false],
    ['flows/?.json', 'flows/\u{1F4DE}.json', true],
    ['flows/**', 'flows/a/b/c.json', true],
    ['flows/**/a.json', 'flows/a.json', true],
    ['flows/**/a.json', 'flows/x/y/a.json', true],
    ['flows/**/a.json', 'flows/xa.json', false],
    ['**/*.json', 'a.json', true],
    ['**/*.json', 'a/b.yaml', false],
    ['*', 'a/b', false],
    ['[a].json', '[a].json', true],
  ])('%s against %s: %s', (pattern, p, expected) => {
    expect(compileGlob(pattern)(p)).toBe(expected);
  });

  test('matches as the equivalent regular expression does, on any small pattern and path', () => {
    // The reference: the usual translation of a glob into a regular expression, fine for the tiny inputs here.
    const reference = (pattern: string) => new RegExp(`^${pattern.replace(/^\.\//, '').replace(/\*\*\/|\*\*|\*|\?|[a-z./]/g, (t) =>
      ({ '**/': '(?:.*/)?', '**': '.*', '*': '[^/]*', '?': '[^/]' } as Record<string, string>)[t] ?? t.replace('.', '\\.'))}$`, 'u');
    fc.assert(fc.property(
      fc.array(fc.constantFrom('a', 'b', '/', '.', '*', '?', '**', '**/'), { maxLength: 8 }).map((t) => t.join('')),
      fc.array(fc.constantFrom('a', 'b', '/', '.'), { maxLength: 10 }).map((t) => t.join('')),
      (pattern, p) => compileGlob(pattern)(p) === reference(pattern).test(p),
    ), { numRuns: 3000 });
  });

  test('a pattern that would make a backtracking matcher take exponential time is matched at once', () => {
    // `*a*a*a...b` against `aaaa...`: a backtracking matcher tries every split; the automaton keeps a set of positions.
    const pattern = `${'*a'.repeat(40)}b`;
    const subject = 'a'.repeat(100_000);
    // No timing assertion: a matcher that backtracks does not come back within the test timeout.
    expect(compileGlob(pattern)(subject)).toBe(false);
    expect(compileGlob(pattern)(`${subject}b`)).toBe(true);
  });
});
