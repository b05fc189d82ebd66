import * as fc from 'fast-check';
import { withActionPositions } from '../lib/cli/positions';
import { checkFlowExport } from '../lib/core/flow/check';
import { readFlowExport } from '../lib/core/flow/reader';
import { Finding, Severity } from '../lib/core/findings';
import { linesAndColumns } from '../lib/core/json-text';
import { exampleInventory, flowFixture } from './support/fixtures';

const FIRST_TRANSFER = '2f48bcad-1e39-4656-b773-295eb2fc189d';

/** A flow with two unguarded dynamic caller IDs, each action written with its Identifier first and a prompt of emoji before. */
function flow(): any {
  const f = flowFixture('inbound-transfer-to-phone.json');
  const transfer = f.Actions.find((a: any) => a.Identifier === FIRST_TRANSFER);
  transfer.Parameters.CallerId.Number = '$.Attributes.callerId';
  f.Actions.push({ ...structuredClone(transfer), Identifier: 'second-transfer' });
  f.Actions = f.Actions.map(({ Identifier, ...rest }: any) => ({ Identifier, ...rest }));
  f.Actions.unshift(...f.Actions.splice(f.Actions.findIndex((a: any) => a.Type === 'MessageParticipant'), 1));
  f.Actions[0].Parameters.Text = '\u{1F4DE} 電話 \u{1F4DE}';
  return f;
}

function positionsIn(text: string): Record<string, { line?: number; column?: number }> {
  const read = readFlowExport(text, 'flow.json', { actionOffsets: true });
  const findings = checkFlowExport(read, { inventory: exampleInventory(), approvedExternalNumbers: {} }).findings
    .filter((f) => f.ruleId === 'CALLER_ID_DYNAMIC');
  return Object.fromEntries(withActionPositions(findings, read, text).map((f: Finding) => [f.actionId, { line: f.line, column: f.column }]));
}

/** The oracle: where `{"Identifier": "<id>"` starts, counted on the text itself. */
function expected(text: string, id: string, pretty: boolean): { line: number; column: number } {
  const body = text.replace(/^\ufeff/, '');
  const at = body.indexOf(pretty ? `"Identifier": ${JSON.stringify(id)}` : `{"Identifier":${JSON.stringify(id)}`);
  const start = pretty ? body.lastIndexOf('{', at) : at;
  const before = body.slice(0, start).split(/\r\n|\n/);
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

describe('line and column of each action', () => {
  test.each([
    ['pretty-printed', (f: any) => JSON.stringify(f, undefined, 2), true],
    ['on one line, after a prompt of characters outside the BMP (columns in UTF-16 code units)', (f: any) => JSON.stringify(f), false],
    ['with CRLF line endings', (f: any) => JSON.stringify(f, undefined, 2).replace(/\n/g, '\r\n'), true],
    ['after a byte order mark', (f: any) => `\ufeff${JSON.stringify(f, undefined, 4)}`, true],
  ])('%s', (_, write, pretty) => {
    const text = write(flow());
    expect(positionsIn(text)).toEqual({
      [FIRST_TRANSFER]: expected(text, FIRST_TRANSFER, pretty),
      'second-transfer': expected(text, 'second-transfer', pretty),
    });
  });

  test('a DescribeContactFlow response holds the actions in an escaped string: no positions', () => {
    const text = JSON.stringify({ ContactFlow: { Type: 'CONTACT_FLOW', Content: JSON.stringify(flow()) } }, undefined, 2);
    expect(positionsIn(text)).toEqual({ [FIRST_TRANSFER]: {}, 'second-transfer': {} });
  });

  test('findings about no action, or a file without any, are left as they are', () => {
    const text = JSON.stringify(flow());
    const read = readFlowExport(text, 'flow.json', { actionOffsets: true });
    const about: Finding[] = [{ ruleId: 'FLOW_TOO_MANY_ACTIONS', severity: Severity.ERROR, message: 'm' }];
    expect(withActionPositions(about, read, text)).toBe(about);
  });
});

describe('linesAndColumns', () => {
  test('agrees with splitting the text at LF, CRLF and lone CR, for any text and offsets', () => {
    const text = fc.array(fc.constantFrom('a', '\u{1F4DE}', '\n', '\r\n', '\r', ' '), { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(fc.property(text, fc.array(fc.nat(), { maxLength: 6 }), (t, raw) => {
      const offsets = [...new Set(raw.map((o) => o % (t.length + 2)))].sort((a, b) => a - b);
      const oracle = offsets.map((offset) => {
        const lines = t.slice(0, offset).split(/\r\n|\n|\r/);
        return { line: lines.length, column: lines[lines.length - 1].length + 1 };
      });
      // An offset inside a CRLF is not where anything starts; the two ways of counting may differ there only.
      const insideCrLf = offsets.some((o) => t[o - 1] === '\r' && t[o] === '\n');
      return insideCrLf || JSON.stringify(linesAndColumns(t, offsets)) === JSON.stringify(oracle);
    }), { numRuns: 3000 });
  });
});
