/**
 * Reads the check resource's `ResourceProperties` (the contract in core/deploy-time-check.ts), refusing any
 * other shape with what was wrong and what is expected.
 */
import { CallerIdCheckProperties, CheckedNumber, CheckedUse, isArnAttribute } from '../core/deploy-time-check';
import { isPhoneNumberArn } from '../core/inventory';
import { CallerIdContext } from '../core/rule-definition';
import { describeInvalidTarget, parseLookupTarget } from '../lookup/target';

const CONTEXTS: readonly string[] = Object.values(CallerIdContext);
/** Problems named in full before the rest are counted. */
const MAX_PROBLEMS_SHOWN = 8;

export const EXPECTED_PROPERTIES =
  '{ "TargetArns": ["<instance ARN>", "<traffic distribution group ARN>", ...], "Numbers": [{ "Number": "+E164", ' +
  '"UsedBy": [{ "Path": "<construct path>", "Context": "<queue|outbound whisper flow|transfer to phone number|campaign>" }], ' +
  '"Arn"?: "<phone-number ARN>", "ArnAttribute"?: "<attribute>" }], "GuardNumbers"?: ["+E164", ...], "GuardUsedBy"?: [<use>, ...] }';

/** The properties, or the problems that make them unreadable (at most a few named, then a count). */
export function readProperties(value: unknown): { properties?: CallerIdCheckProperties; problems: string[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problems: [`ResourceProperties must be an object, got ${show(value)}`] };
  }
  const props = value as Record<string, unknown>;
  const problems: string[] = [];
  const targets = props.TargetArns;
  if (!Array.isArray(targets) || targets.length === 0) {
    problems.push(`TargetArns must be a non-empty list of instance and traffic distribution group ARNs, got ${show(targets)}`);
  } else {
    targets.forEach((t, i) => {
      if (typeof t !== 'string' || !parseLookupTarget(t)) problems.push(`TargetArns[${i}]: ${describeInvalidTarget(t)}`);
    });
  }
  const numbers = props.Numbers;
  const attributes = new Set<string>();
  if (!Array.isArray(numbers)) {
    problems.push(`Numbers must be a list of { "Number", "UsedBy", ... } objects, got ${show(numbers)}`);
  } else {
    numbers.forEach((entry, i) => readNumber(entry, `Numbers[${i}]`, attributes, problems));
  }
  if (props.GuardNumbers !== undefined && !isStringList(props.GuardNumbers)) {
    problems.push(`GuardNumbers must be a list of numbers as strings, got ${show(props.GuardNumbers)}`);
  }
  if (props.GuardUsedBy !== undefined) {
    if (!Array.isArray(props.GuardUsedBy)) problems.push(`GuardUsedBy must be a list of { "Path", "Context" } objects, got ${show(props.GuardUsedBy)}`);
    else props.GuardUsedBy.forEach((u, i) => readUse(u, `GuardUsedBy[${i}]`, problems));
  }
  if (problems.length > MAX_PROBLEMS_SHOWN) {
    const more = problems.length - MAX_PROBLEMS_SHOWN;
    return { problems: [...problems.slice(0, MAX_PROBLEMS_SHOWN), `and ${more} more problem${more === 1 ? '' : 's'}`] };
  }
  return problems.length > 0 ? { problems } : { properties: props as unknown as CallerIdCheckProperties, problems };
}

function readNumber(value: unknown, where: string, attributes: Set<string>, problems: string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${where} must be an object { "Number", "UsedBy", ... }, got ${show(value)}`);
    return;
  }
  const entry = value as Partial<Record<keyof CheckedNumber, unknown>>;
  if (typeof entry.Number !== 'string') problems.push(`${where}.Number must be a number as a string, such as "+81368001234", got ${show(entry.Number)}`);
  if (!Array.isArray(entry.UsedBy)) problems.push(`${where}.UsedBy must be a list of { "Path", "Context" } objects, got ${show(entry.UsedBy)}`);
  else entry.UsedBy.forEach((u, i) => readUse(u, `${where}.UsedBy[${i}]`, problems));
  if (entry.Arn !== undefined && (typeof entry.Arn !== 'string' || !isPhoneNumberArn(entry.Arn))) {
    problems.push(`${where}.Arn must be a phone-number ARN (arn:aws:connect:<region>:<account>:phone-number/<id>), got ${show(entry.Arn)}`);
  }
  if (entry.ArnAttribute !== undefined) {
    if (typeof entry.ArnAttribute !== 'string' || !isArnAttribute(entry.ArnAttribute)) {
      problems.push(`${where}.ArnAttribute must be 1-64 letters and digits other than ArnPrefix, got ${show(entry.ArnAttribute)}`);
    } else if (attributes.has(entry.ArnAttribute)) {
      problems.push(`${where}.ArnAttribute ${entry.ArnAttribute} is also the ArnAttribute of an earlier number; each must be unique`);
    } else {
      attributes.add(entry.ArnAttribute);
    }
  }
}

function readUse(value: unknown, where: string, problems: string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${where} must be an object { "Path", "Context" }, got ${show(value)}`);
    return;
  }
  const use = value as Partial<Record<keyof CheckedUse, unknown>>;
  if (typeof use.Path !== 'string') problems.push(`${where}.Path must be a construct path as a string, got ${show(use.Path)}`);
  if (typeof use.Context !== 'string' || !CONTEXTS.includes(use.Context)) {
    problems.push(`${where}.Context must be one of ${CONTEXTS.map((c) => JSON.stringify(c)).join(', ')}, got ${show(use.Context)}`);
  }
  if (use.Destination !== undefined && typeof use.Destination !== 'string') {
    problems.push(`${where}.Destination must be a number as a string, got ${show(use.Destination)}`);
  }
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** A value for a message: JSON, at most 80 characters. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
