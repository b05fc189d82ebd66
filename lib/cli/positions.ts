import { ReadFlow } from '../core/flow/reader';
import { Finding } from '../core/findings';
import { linesAndColumns } from '../core/json-text';

/**
 * The findings with the line and column of the action each is about, from the offsets the parser found while
 * reading. Lines are counted only for files with such findings, in one pass over the text up to the last
 * action needed, so a clean file costs nothing more.
 */
export function withActionPositions(findings: Finding[], read: ReadFlow, text: string): Finding[] {
  const offsets = read.actionOffsets;
  if (offsets === undefined || !findings.some((f) => f.actionId !== undefined)) return findings;
  const offsetOf = new Map<string, number>();
  read.flow.Actions.forEach((action, i) => {
    // A duplicated identifier (FLOW_DUPLICATE_IDENTIFIER) points at its first action.
    if (!offsetOf.has(action.Identifier)) offsetOf.set(action.Identifier, offsets[i]);
  });
  const wanted = [...new Set(findings.flatMap((f) => (f.actionId !== undefined && offsetOf.has(f.actionId) ? [offsetOf.get(f.actionId)!] : [])))]
    .sort((a, b) => a - b);
  if (wanted.length === 0) return findings;
  // The offsets are into the text less its byte order mark.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const positions = linesAndColumns(body, wanted);
  const at = new Map(wanted.map((offset, i) => [offset, positions[i]]));
  return findings.map((f) => {
    const offset = f.actionId !== undefined ? offsetOf.get(f.actionId) : undefined;
    return offset === undefined ? f : { ...f, ...at.get(offset)! };
  });
}
