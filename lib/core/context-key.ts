import { inventoryContextKey } from './inventory';

/** What every inventory's context key starts with; the target's ARN follows. */
const PREFIX = inventoryContextKey('');

/**
 * The instance (or traffic distribution group) ARN of an inventory's `cdk.context.json` key, or undefined when
 * the key is not an inventory's (every other context key of a CDK app).
 */
export function parseInventoryContextKey(key: string): string | undefined {
  return key.startsWith(PREFIX) && key.length > PREFIX.length ? key.slice(PREFIX.length) : undefined;
}
