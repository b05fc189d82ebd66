import { CallerIdInputError } from './errors';
import { ReadFlow, readFlowExport } from './flow/reader';

/**
 * The `Content` of an `AWS::Connect::ContactFlow` as a template holds it: a plain JSON string, or JSON text
 * assembled by CloudFormation with `Fn::Join` (what CDK makes of tokens inside a string, and of
 * `Stack.toJsonString`) or `Fn::Sub`. The literal parts are read as a flow; each part CloudFormation fills in
 * at deploy time stands in the flow as a placeholder, so that the rules judge what is literal and leave the
 * rest to deploy time.
 */
export interface TemplateFlowContent extends ReadFlow {
  /** The values CloudFormation fills in, in the order they appear; placeholders refer to them by index. */
  readonly deployTimeValues: readonly unknown[];
  /** Whether a string of the flow holds a part known only at deploy time. */
  isDeployTimeValue(value: string): boolean;
  /**
   * What a string of the flow is in CloudFormation terms: the string itself when it is literal, the
   * deploy-time value alone when it is nothing else, otherwise an `Fn::Join` of literal text and values.
   */
  cloudFormationValue(value: string): unknown;
}

/**
 * Private-use characters: they never occur in real flow content, and JSON.parse keeps them as they are,
 * so a placeholder survives parsing and can be told from any literal text.
 */
const OPEN = '\uE000';
const CLOSE = '\uE001';
const PLACEHOLDER = /\uE000(\d+)\uE001/;
const PLACEHOLDERS = /\uE000(\d+)\uE001/g;

/** Intrinsics nested deeper than this are treated as opaque deploy-time values rather than walked. */
const MAX_INTRINSIC_NESTING = 16;

type Part = { readonly text: string } | { readonly value: unknown };

/**
 * Reads flow content as found in a template. Returns undefined when the content as a whole is a value only
 * known at deploy time (a `Ref`, an `Fn::GetAtt`, an import), so nothing of it can be judged.
 *
 * Throws CallerIdInputError when the literal parts do not make a flow, and for a DescribeContactFlow response:
 * Connect takes the flow itself as `Content`, not the response that wraps it.
 */
export function readTemplateFlowContent(content: unknown, source: string): TemplateFlowContent | undefined {
  const parts = partsOf(content, 0);
  if (parts === undefined) return undefined;

  const values: unknown[] = [];
  const scan: JsonScan = { inString: false, escaped: false };
  let text = '';
  for (const part of parts) {
    if ('text' in part) {
      text += part.text;
      advance(scan, part.text);
    } else {
      const placeholder = `${OPEN}${values.length}${CLOSE}`;
      values.push(part.value);
      // A value outside a JSON string (a number, a whole object) becomes a string so that the text still parses.
      text += scan.inString ? placeholder : JSON.stringify(placeholder);
      scan.escaped = false;
    }
  }

  refuseDescribeResponse(text, source);
  const read = readFlowExport(text, source);
  return {
    ...read,
    deployTimeValues: values,
    isDeployTimeValue: (value) => PLACEHOLDER.test(value),
    cloudFormationValue: (value) => cloudFormationValue(value, values),
  };
}

/** Shows a string of the flow to a reader, with each deploy-time part written as `${deploy-time value}`. */
export function describeTemplateValue(value: string): string {
  return value.replace(PLACEHOLDERS, '${deploy-time value}');
}

function cloudFormationValue(value: string, values: readonly unknown[]): unknown {
  const pieces = value.split(PLACEHOLDERS);
  const parts: unknown[] = [];
  pieces.forEach((piece, i) => {
    // split() with a capturing group alternates literal text and captured placeholder indexes.
    if (i % 2 === 1) parts.push(values[Number(piece)]);
    else if (piece.length > 0) parts.push(piece);
  });
  if (parts.length === 0) return '';
  if (parts.length === 1) return parts[0];
  return { 'Fn::Join': ['', parts] };
}

function partsOf(value: unknown, depth: number): Part[] | undefined {
  if (typeof value === 'string') return [{ text: value }];
  if (depth >= MAX_INTRINSIC_NESTING) return undefined;

  const join = intrinsicArgument(value, 'Fn::Join');
  if (join !== undefined) {
    if (!Array.isArray(join) || join.length !== 2 || typeof join[0] !== 'string' || !Array.isArray(join[1])) return undefined;
    const [delimiter, items] = join as [string, unknown[]];
    const parts: Part[] = [];
    items.forEach((item, i) => {
      if (i > 0 && delimiter.length > 0) parts.push({ text: delimiter });
      for (const part of partsOf(item, depth + 1) ?? [{ value: item }]) parts.push(part);
    });
    return merge(parts);
  }

  const sub = intrinsicArgument(value, 'Fn::Sub');
  if (sub !== undefined) {
    const [template, variables] = Array.isArray(sub) ? sub : [sub, {}];
    if (variables !== undefined && !isRecord(variables)) return undefined;
    const templateParts = partsOf(template, depth + 1);
    if (templateParts === undefined) return undefined;
    return merge(templateParts.flatMap((p) => ('text' in p ? substitute(p.text, variables ?? {}, depth) : [p])));
  }
  return undefined;
}

/**
 * Expands `${Name}` as `Fn::Sub` does: a variable of the map, else a parameter or resource (`Ref`) or, with a
 * dot, a resource attribute (`Fn::GetAtt`). `${!Literal}` is the literal text `${Literal}`.
 */
function substitute(text: string, variables: Record<string, unknown>, depth: number): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
    parts.push({ text: text.slice(last, match.index) });
    last = match.index! + match[0].length;
    const name = match[1];
    if (name.startsWith('!')) {
      parts.push({ text: `\${${name.slice(1)}}` });
    } else if (Object.prototype.hasOwnProperty.call(variables, name)) {
      const variable = variables[name];
      for (const part of partsOf(variable, depth + 1) ?? [{ value: variable }]) parts.push(part);
    } else {
      const dot = name.indexOf('.');
      parts.push({ value: dot > 0 && !name.startsWith('AWS::') ? { 'Fn::GetAtt': [name.slice(0, dot), name.slice(dot + 1)] } : { Ref: name } });
    }
  }
  parts.push({ text: text.slice(last) });
  return parts;
}

function merge(parts: Part[]): Part[] {
  const merged: Part[] = [];
  for (const part of parts) {
    const previous = merged[merged.length - 1];
    if ('text' in part && part.text.length === 0) continue;
    if ('text' in part && previous !== undefined && 'text' in previous) {
      merged[merged.length - 1] = { text: previous.text + part.text };
    } else {
      merged.push(part);
    }
  }
  return merged;
}

interface JsonScan {
  inString: boolean;
  escaped: boolean;
}

/** Follows JSON text far enough to know whether the next character falls inside a string. */
function advance(scan: JsonScan, text: string): void {
  for (const c of text) {
    if (!scan.inString) {
      if (c === '"') scan.inString = true;
    } else if (scan.escaped) {
      scan.escaped = false;
    } else if (c === '\\') {
      scan.escaped = true;
    } else if (c === '"') {
      scan.inString = false;
    }
  }
}

function refuseDescribeResponse(text: string, source: string): void {
  let top: unknown;
  try {
    top = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return;
  }
  if (isRecord(top) && Object.prototype.hasOwnProperty.call(top, 'ContactFlow')) {
    throw new CallerIdInputError(
      `${source}: is a DescribeContactFlow response ({"ContactFlow": {...}}); Connect takes the flow itself as Content, ` +
      'so use the value of its ContactFlow.Content.',
    );
  }
}

function intrinsicArgument(value: unknown, name: string): unknown {
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === name ? value[name] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
