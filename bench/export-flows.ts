import * as fs from 'fs';
import * as path from 'path';

/** A small deterministic generator, so every run checks the same flows. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function uuid(next: () => number): string {
  const hex = () => Math.floor(next() * 16).toString(16);
  const part = (n: number) => Array.from({ length: n }, hex).join('');
  return `${part(8)}-${part(4)}-4${part(3)}-a${part(3)}-${part(12)}`;
}

/**
 * Writes `count` inbound flows shaped like Connect console exports (UUID identifiers, positions, string
 * parameters), each 30-60 actions: greetings, attribute updates and branches, ending in a transfer to a phone
 * number with a claimed caller ID. Returns the file paths.
 */
export function writeExportedFlows(dir: string, count: number, callerIds: readonly string[]): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const next = random(20261123);
  const files: string[] = [];
  for (let f = 0; f < count; f++) {
    const size = 30 + Math.floor(next() * 31);
    const ids = Array.from({ length: size }, () => uuid(next));
    const disconnect = ids[size - 1];
    const transfer = ids[size - 2];
    const actions: object[] = [];
    const positions: Record<string, object> = {};
    for (let i = 0; i < size - 2; i++) {
      const nextId = ids[i + 1];
      const kind = i % 3;
      if (kind === 0) {
        actions.push({
          Parameters: { Text: `Step ${i} of the menu.` }, Identifier: ids[i], Type: 'MessageParticipant',
          Transitions: { NextAction: nextId, Errors: [{ NextAction: disconnect, ErrorType: 'NoMatchingError' }] },
        });
      } else if (kind === 1) {
        actions.push({
          Parameters: { Attributes: { [`step${i}`]: `${i}` }, TargetContact: 'Current' }, Identifier: ids[i], Type: 'UpdateContactAttributes',
          Transitions: { NextAction: nextId, Errors: [{ NextAction: disconnect, ErrorType: 'NoMatchingError' }] },
        });
      } else {
        actions.push({
          Parameters: { ComparisonValue: `$.Attributes.step${i - 1}` }, Identifier: ids[i], Type: 'Compare',
          Transitions: {
            NextAction: nextId,
            Conditions: [{ NextAction: nextId, Condition: { Operator: 'Equals', Operands: [`${i - 1}`] } }],
            Errors: [{ NextAction: nextId, ErrorType: 'NoMatchingCondition' }],
          },
        });
      }
      positions[ids[i]] = { position: { x: 160 + 240 * i, y: 40 + 120 * (i % 3) } };
    }
    actions.push({
      Parameters: {
        ThirdPartyPhoneNumber: '+81368009999', ThirdPartyConnectionTimeLimitSeconds: '30', ContinueFlowExecution: 'True',
        CallerId: { Number: callerIds[f % callerIds.length] },
      },
      Identifier: transfer, Type: 'TransferParticipantToThirdParty',
      Transitions: {
        NextAction: disconnect,
        Errors: ['CallFailed', 'ConnectionTimeLimitExceeded', 'NoMatchingError'].map((ErrorType) => ({ NextAction: disconnect, ErrorType })),
      },
    });
    actions.push({ Parameters: {}, Identifier: disconnect, Type: 'DisconnectParticipant', Transitions: {} });
    positions[transfer] = { position: { x: 160 + 240 * (size - 2), y: 40 } };
    positions[disconnect] = { position: { x: 160 + 240 * (size - 1), y: 40 } };
    const flow = {
      Version: '2019-10-30',
      StartAction: ids[0],
      Metadata: {
        entryPointPosition: { x: 40, y: 40 }, ActionMetadata: positions, Annotations: [],
        name: `Inbound ${f}`, description: '', type: 'contactFlow', status: 'published', hash: {},
      },
      Actions: actions,
    };
    const file = path.join(dir, `inbound-${f}.json`);
    // Written as the console exports it: one line of JSON.
    fs.writeFileSync(file, JSON.stringify(flow));
    files.push(file);
  }
  return files;
}
