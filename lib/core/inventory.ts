import { isPhoneNumberArn, toPhoneNumberArn } from './connect-arn';
import { inventoryContextKey } from './context-key';
import { isE164Shaped, parseE164 } from './e164';
import { CallerIdInputError } from './errors';
import { Severity } from './findings';
import { RuleDefinition } from './rule-definition';

/** The number types Amazon Connect claims (`AWS::Connect::PhoneNumber` `Type`, `ListPhoneNumbersV2` `PhoneNumberType`). */
export enum PhoneNumberType {
  DID = 'DID',
  TOLL_FREE = 'TOLL_FREE',
  UIFN = 'UIFN',
  SHARED = 'SHARED',
  THIRD_PARTY_DID = 'THIRD_PARTY_DID',
  THIRD_PARTY_TF = 'THIRD_PARTY_TF',
  SHORT_CODE = 'SHORT_CODE',
}

const PHONE_NUMBER_TYPES: readonly string[] = Object.values(PhoneNumberType);

/** One number claimed by (or ported to) a Connect instance or traffic distribution group. */
export interface ClaimedNumber {
  /** The number in E.164, e.g. `+81368001234`. */
  readonly number: string;
  readonly type: PhoneNumberType;
  /**
   * ISO 3166-1 alpha-2 country code, e.g. `JP`.
   * @default - derived from the number
   */
  readonly countryCode?: string;
  /**
   * The phone-number ARN in the form `arn:<partition>:connect:<region>:<account>:phone-number/<id>`.
   * @default - resolved at deploy time by the deploy-time check
   */
  readonly arn?: string;
  /**
   * The number's description in Connect (`PhoneNumberDescription`), which `claimNumber` uses to recognise a
   * number it claimed earlier.
   * @default - none
   */
  readonly description?: string;
}

/**
 * The inventory of one target (an instance or a traffic distribution group): the shape of the `cdk.context.json` value written by
 * `connect-caller-id lookup` and of the `--numbers` file of `connect-caller-id check`.
 */
export interface InventoryDocument {
  /** The instance or traffic distribution group ARN the numbers are claimed to (the lookup's target). */
  readonly instanceArn: string;
  readonly numbers: ClaimedNumber[];
}

// The key format lives in context-key, which the CDK CLI plugin loads without the rest of the core.
export { inventoryContextKey };

// The phone-number ARN forms are parsed where every Connect ARN is (connect-arn); re-exported for the callers here.
export { isPhoneNumberArn, toPhoneNumberArn };

/**
 * Reads an inventory document, checking its shape. `source` names where it came from (a file, a context key)
 * for the error message.
 */
export function parseInventoryDocument(value: unknown, source: string): InventoryDocument {
  const problems: string[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CallerIdInputError(
      `${source}: expected an object { "instanceArn": "...", "numbers": [{ "number": "+E164", "type": "DID", "countryCode": "JP", "arn": "..." }] }, got ${describe(value)}.`,
    );
  }
  const doc = value as Record<string, unknown>;
  if (typeof doc.instanceArn !== 'string' || doc.instanceArn.length === 0) {
    problems.push(`"instanceArn" must be the instance (or traffic distribution group) ARN, got ${describe(doc.instanceArn)}`);
  }
  const numbers: ClaimedNumber[] = [];
  if (!Array.isArray(doc.numbers)) {
    problems.push(`"numbers" must be an array of { "number", "type", "countryCode", "arn" }, got ${describe(doc.numbers)}`);
  } else {
    doc.numbers.forEach((entry, i) => {
      const where = `numbers[${i}]`;
      if (typeof entry !== 'object' || entry === null) {
        problems.push(`${where} must be an object, got ${describe(entry)}`);
        return;
      }
      const e = entry as Record<string, unknown>;
      // The shape only: the inventory is what Connect claimed, and a range newer than libphonenumber-js's
      // metadata must not make the whole inventory unreadable. The rules judge every number a caller ID uses.
      if (typeof e.number !== 'string' || !isE164Shaped(e.number)) {
        problems.push(`${where}.number must be an E.164 string such as "+81368001234", got ${describe(e.number)}`);
      }
      // A type Connect adds later is kept as it is spelled (the rules know it as untyped), so a lookup never
      // writes an inventory that the next synth refuses.
      if (typeof e.type !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(e.type)) {
        problems.push(`${where}.type must be a Connect number type (${PHONE_NUMBER_TYPES.join(', ')}), got ${describe(e.type)}`);
      }
      if (e.countryCode !== undefined && (typeof e.countryCode !== 'string' || !/^[A-Z]{2}$/.test(e.countryCode))) {
        problems.push(`${where}.countryCode must be an ISO 3166-1 alpha-2 code such as "JP", got ${describe(e.countryCode)}`);
      }
      if (e.description !== undefined && typeof e.description !== 'string') {
        problems.push(`${where}.description must be a string, got ${describe(e.description)}`);
      }
      if (e.arn !== undefined && (typeof e.arn !== 'string' || !isPhoneNumberArn(e.arn))) {
        const fixed = typeof e.arn === 'string' ? toPhoneNumberArn(e.arn) : undefined;
        problems.push(
          `${where}.arn must be a phone-number ARN (arn:aws:connect:<region>:<account>:phone-number/<id>), got ${describe(e.arn)}` +
            (fixed ? `; the form queues accept is ${fixed}` : ''),
        );
      }
      numbers.push({
        number: e.number as string,
        type: e.type as PhoneNumberType,
        ...(e.countryCode !== undefined ? { countryCode: e.countryCode as string } : {}),
        ...(e.arn !== undefined ? { arn: e.arn as string } : {}),
        ...(e.description !== undefined ? { description: e.description as string } : {}),
      });
    });
  }
  if (problems.length > 0) {
    throw new CallerIdInputError(`${source}: the inventory is not valid:\n  - ${problems.join('\n  - ')}`);
  }
  return { instanceArn: doc.instanceArn as string, numbers };
}

/**
 * The claimed numbers an instance's flows and queues may use, indexed for the rules: the instance's own and,
 * with Global Resiliency, those of the traffic distribution groups it belongs to.
 */
export class Inventory {
  /**
   * One inventory over several targets: the instance's document and each traffic distribution group's. A number
   * listed twice keeps its first entry.
   */
  static ofTargets(instanceArn: string, documents: InventoryDocument[]): Inventory {
    const numbers = documents.flatMap((d) => d.numbers);
    return new Inventory(instanceArn, numbers, documents.map((d) => d.instanceArn).filter((arn) => arn !== instanceArn));
  }

  private readonly byNumber = new Map<string, ClaimedNumber>();

  /**
   * @param instanceArn the instance (or, for the `check` command's `--numbers` file, the target) the rules name
   * @param trafficDistributionGroupArns the groups whose numbers are included
   */
  constructor(readonly instanceArn: string, numbers: ClaimedNumber[], readonly trafficDistributionGroupArns: string[] = []) {
    for (const n of numbers) if (!this.byNumber.has(n.number)) this.byNumber.set(n.number, n);
  }

  /** Who claims these numbers, for messages: the instance, and its traffic distribution groups when there are any. */
  get owner(): string {
    const groups = this.trafficDistributionGroupArns;
    if (groups.length === 0) return this.instanceArn;
    return `${this.instanceArn} or its traffic distribution group${groups.length > 1 ? 's' : ''} ${groups.join(', ')}`;
  }

  get numbers(): ClaimedNumber[] {
    return [...this.byNumber.values()];
  }

  get size(): number {
    return this.byNumber.size;
  }

  /** The countries of the claimed numbers, most common first; computed once. */
  get countries(): string[] {
    if (!this._countries) {
      const counts = new Map<string, number>();
      for (const n of this.byNumber.values()) {
        const country = n.countryCode ?? countryOfNumber(n.number);
        if (country) counts.set(country, (counts.get(country) ?? 0) + 1);
      }
      this._countries = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([c]) => c);
    }
    return [...this._countries];
  }

  private _countries?: string[];

  /** The claimed number with this phone-number ARN. */
  getByArn(arn: string): ClaimedNumber | undefined {
    if (!this.byArn) {
      this.byArn = new Map();
      for (const n of this.byNumber.values()) if (n.arn) this.byArn.set(n.arn, n);
    }
    return this.byArn.get(arn);
  }

  /** Whether some numbers have no ARN recorded (declared in code without one). */
  get hasNumbersWithoutArn(): boolean {
    for (const n of this.byNumber.values()) if (!n.arn) return true;
    return false;
  }

  private byArn?: Map<string, ClaimedNumber>;

  get(e164: string): ClaimedNumber | undefined {
    return this.byNumber.get(e164);
  }

  /**
   * The claimed numbers closest to `e164`, for "did you mean" messages: most digits in common from the
   * left first, then fewest differing digits.
   */
  closest(e164: string, count = 3): string[] {
    const scored = this.numbers.map((n) => ({ number: n.number, score: similarity(e164, n.number) }));
    scored.sort((a, b) => b.score - a.score || a.number.localeCompare(b.number));
    return scored.slice(0, count).map((s) => s.number);
  }
}

function countryOfNumber(number: string): string | undefined {
  const parsed = parseE164(number);
  return parsed.ok ? parsed.country : undefined;
}

function similarity(a: string, b: string): number {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let same = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] === b[i]) same++;
  return prefix * 100 + same - Math.abs(a.length - b.length);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const INVENTORY_MISSING: RuleDefinition = {
  id: 'INVENTORY_MISSING', severity: Severity.ERROR,
  trigger: '`ClaimedNumbers.fromLookup` finds no inventory for the instance in `cdk.context.json`, or an unreadable one, or the CDK CLI plugin could not look it up.',
  fix: 'Run `npx connect-caller-id lookup --instance-arn <arn>` and commit `cdk.context.json`, or configure the CDK CLI plugin (`"plugin": ["cdk-connect-caller-id/plugin"]` in `cdk.json`) so `cdk synth` looks it up.',
  source: 'cdk-connect-caller-id',
};

/** The rule `ClaimedNumbers.fromLookup` reports when the cached inventory is missing or unreadable. */
export const InventoryRules = { INVENTORY_MISSING } as const;
