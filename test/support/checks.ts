import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CallerIdCheckProperties, CHECK_RESOURCE_TYPE } from '../../lib/core/deploy-time-check';

/** The deploy-time check resources of a stack, by logical id. */
export function checksOf(stack: Stack): Record<string, { Properties: CallerIdCheckProperties; DependsOn?: string[] }> {
  return Template.fromStack(stack).findResources(CHECK_RESOURCE_TYPE) as never;
}

/** The properties of the stack's only check resource (fails the test unless there is exactly one). */
export function checkOf(stack: Stack): { id: string; properties: CallerIdCheckProperties } {
  const checks = Object.entries(checksOf(stack));
  if (checks.length !== 1) throw new Error(`expected one ${CHECK_RESOURCE_TYPE}, found ${checks.length}`);
  return { id: checks[0][0], properties: checks[0][1].Properties };
}

/** `[number, path, context]` for every use the check verifies, in the order the properties hold them. */
export function usesOf(properties: CallerIdCheckProperties): [unknown, string, string][] {
  return properties.Numbers.flatMap((n) => n.UsedBy.map((u): [unknown, string, string] => [n.Number, u.Path, u.Context]));
}

/** `properties` as CloudFormation passes them to the handler: each `{ Ref }` replaced by its parameter value. */
export function resolveParameters<T>(value: T, parameters: Record<string, string>): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== 'object' || v === null) return v;
    const ref = (v as { Ref?: unknown }).Ref;
    if (typeof ref === 'string' && Object.keys(v).length === 1) {
      if (!(ref in parameters)) throw new Error(`no value for parameter ${ref}`);
      return parameters[ref];
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
  };
  return walk(value) as T;
}
