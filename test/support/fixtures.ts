import * as fs from 'fs';
import * as path from 'path';
import { Inventory, InventoryDocument, parseInventoryDocument } from '../../lib/core/inventory';

export const FIXTURES = path.join(__dirname, '..', 'fixtures');
export const FLOW_FIXTURES = path.join(FIXTURES, 'flows');
export const INVENTORY_FILE = path.join(FIXTURES, 'inventory.json');

/** The example instance's inventory: +81368001234, +81368001235 and +815012345678 (DIDs), +81120123456 (toll-free). */
export function exampleInventoryDocument(): InventoryDocument {
  return parseInventoryDocument(JSON.parse(fs.readFileSync(INVENTORY_FILE, 'utf8')), INVENTORY_FILE);
}

export function exampleInventory(): Inventory {
  const doc = exampleInventoryDocument();
  return new Inventory(doc.instanceArn, doc.numbers);
}

export function flowFixtureText(name: string): string {
  return fs.readFileSync(path.join(FLOW_FIXTURES, name), 'utf8');
}

/** A fixture flow as a mutable object, to derive bad variants of a real export. */
export function flowFixture(name: string): any {
  return JSON.parse(flowFixtureText(name));
}
