import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { ClaimedNumbers } from '../../lib/constructs/claimed-numbers';
import { inventoryContextKey } from '../../lib/core/inventory';
import { exampleInventoryDocument } from './fixtures';

export const INSTANCE_ARN = exampleInventoryDocument().instanceArn;
export const HOURS_ARN = `${INSTANCE_ARN}/operating-hours/2d3e4f50-6172-4839-a4b5-c6d7e8f90a1b`;

/** A stack whose context holds the example inventory, as `cdk.context.json` would after a lookup. */
export function stackWithInventory(): { app: App; stack: Stack; numbers: ClaimedNumbers } {
  const doc = exampleInventoryDocument();
  const app = new App({ context: { [inventoryContextKey(doc.instanceArn)]: doc } });
  const stack = new Stack(app, 'Centre', { env: { account: '123456789012', region: 'ap-northeast-1' } });
  const numbers = ClaimedNumbers.fromLookup(stack, 'Numbers', { instanceArn: doc.instanceArn });
  return { app, stack, numbers };
}

/** The error messages of a stack, by construct path. */
export function errorsOf(stack: Stack): { path: string; message: string }[] {
  return Annotations.fromStack(stack).findError('*', Match.anyValue()).map((m) => ({ path: m.id, message: String(m.entry.data) }));
}

export function warningsOf(stack: Stack): { path: string; message: string }[] {
  return Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map((m) => ({ path: m.id, message: String(m.entry.data) }));
}
