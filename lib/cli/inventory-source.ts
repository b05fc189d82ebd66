import { parseInventoryContextKey } from '../core/context-key';
import { CallerIdInputError } from '../core/errors';
import { InventoryDocument, parseInventoryDocument } from '../core/inventory';
import { describeInvalidTarget, parseLookupTarget } from '../lookup/target';

/**
 * The inventory `check --numbers FILE` reads: the file is either one inventory document
 * (`{ "instanceArn", "numbers" }`) or a CDK context file (`cdk.context.json`) holding inventories under
 * `connect-caller-id:claimed-numbers:<arn>` (one key per lookup target: an instance or a traffic distribution
 * group), of which `instanceArn` picks one; without it the file must hold exactly one.
 *
 * @throws CallerIdInputError when the file holds no inventory, several and none picked, or not the one asked for
 */
export function inventoryFromFile(value: unknown, file: string, instanceArn?: string): InventoryDocument {
  if (instanceArn !== undefined && !parseLookupTarget(instanceArn)) {
    throw new CallerIdInputError(`--instance-arn: ${describeInvalidTarget(instanceArn)}`);
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'instanceArn' in value) {
    const doc = parseInventoryDocument(value, file);
    if (instanceArn !== undefined && doc.instanceArn !== instanceArn) {
      throw new CallerIdInputError(`${file}: the inventory is of ${doc.instanceArn}, not of --instance-arn ${instanceArn}`);
    }
    return doc;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CallerIdInputError(
      `${file}: expected an inventory { "instanceArn": ..., "numbers": [...] } or a cdk.context.json object holding ` +
        `connect-caller-id:claimed-numbers:<instance ARN> keys, got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`,
    );
  }
  const context = value as Record<string, unknown>;
  const found = Object.keys(context).flatMap((key) => {
    const arn = parseInventoryContextKey(key);
    return arn !== undefined ? [{ key, arn }] : [];
  });
  if (found.length === 0) {
    throw new CallerIdInputError(
      `${file}: holds no inventory (no connect-caller-id:claimed-numbers:<instance ARN> key); ` +
        `run connect-caller-id lookup --instance-arn <ARN> --context-file ${file} first`,
    );
  }
  let chosen: { key: string; arn: string };
  if (instanceArn !== undefined) {
    const match = found.find((f) => f.arn === instanceArn);
    if (!match) {
      throw new CallerIdInputError(
        `${file}: holds no inventory of ${instanceArn}; it holds the inventories of ${found.map((f) => f.arn).join(', ')}. ` +
          `Run connect-caller-id lookup --instance-arn ${instanceArn} --context-file ${file}, or pass one of those`,
      );
    }
    chosen = match;
  } else if (found.length > 1) {
    // One key per lookup target, so a traffic distribution group's inventory is one of them too.
    const what = found.some((f) => parseLookupTarget(f.arn)?.kind === 'traffic-distribution-group') ? 'instances or traffic distribution groups' : 'instances';
    throw new CallerIdInputError(
      `${file}: holds the inventories of ${found.length} ${what}; pick one with --instance-arn: ${found.map((f) => f.arn).join(', ')}`,
    );
  } else {
    chosen = found[0];
  }
  return parseInventoryDocument(context[chosen.key], `${file} ${chosen.key}`);
}
