import { Stack, Token } from 'aws-cdk-lib';
import { CfnPhoneNumber } from 'aws-cdk-lib/aws-connect';
import { Construct, IConstruct } from 'constructs';
import { isKnownCountry } from '../core/e164';
import { CallerIdInputError } from '../core/errors';
import { ClaimedNumber, Inventory, inventoryContextKey, InventoryRules, parseInventoryDocument, PhoneNumberType } from '../core/inventory';
import { CallerIdContext } from '../core/rule-definition';
import { CallerIdVerification, NumberUse } from './caller-id-verification';
import { reportFindings } from './report';
import { finding } from '../core/rules';

/** A number claimed in this app: its address and ARN are known only after deployment. */
export interface IClaimedPhoneNumber extends IConstruct {
  /** The phone-number ARN (`.../phone-number/<id>`), the form queues accept. */
  readonly phoneNumberArn: string;
  /** The number in E.164. */
  readonly address: string;
  readonly countryCode: string;
  readonly type: PhoneNumberType;
  /** The instance (or traffic distribution group) that claims it. */
  readonly targetArn: string;
}

/** Options for `ClaimedNumbers.claimNumber`. */
export interface ClaimNumberOptions {
  /** ISO 3166-1 alpha-2 country code, e.g. `JP`. */
  readonly countryCode: string;
  readonly type: PhoneNumberType;
  /**
   * Only claim a number that starts with this prefix, in E.164 form (`+8150`).
   * @default - any available number of the country and type
   */
  readonly prefix?: string;
  /**
   * @default - no description
   */
  readonly description?: string;
}

/** Props for `ClaimedPhoneNumber`. */
export interface ClaimedPhoneNumberProps extends ClaimNumberOptions {
  /** The instance (or traffic distribution group) ARN that claims the number. */
  readonly targetArn: string;
}

/**
 * A phone number claimed by the stack (`AWS::Connect::PhoneNumber`). `ClaimedNumbers.claimNumber` creates one
 * and registers it with the instance's claimed numbers, which is what lets it be used as a caller ID.
 */
export class ClaimedPhoneNumber extends Construct implements IClaimedPhoneNumber {
  public readonly phoneNumberArn: string;
  public readonly address: string;
  public readonly countryCode: string;
  public readonly type: PhoneNumberType;
  public readonly targetArn: string;

  constructor(scope: Construct, id: string, props: ClaimedPhoneNumberProps) {
    super(scope, id);
    const problems: string[] = [];
    if (!Token.isUnresolved(props.countryCode) && !isKnownCountry(props.countryCode)) {
      problems.push(`countryCode ${JSON.stringify(props.countryCode)} is not an ISO 3166-1 alpha-2 code such as "JP" or "US"`);
    }
    if (!Object.values(PhoneNumberType).includes(props.type)) {
      problems.push(`type ${JSON.stringify(props.type)} is not one of ${Object.values(PhoneNumberType).join(', ')}`);
    }
    if (props.prefix !== undefined && !Token.isUnresolved(props.prefix) && !/^\+[1-9]\d{0,14}$/.test(props.prefix)) {
      problems.push(`prefix ${JSON.stringify(props.prefix)} must be + and the leading digits of an E.164 number, e.g. "+8150"`);
    }
    if (problems.length > 0) throw new Error(`${this.node.path}: ${problems.join('; ')}`);

    const resource = new CfnPhoneNumber(this, 'Resource', {
      targetArn: props.targetArn,
      countryCode: props.countryCode,
      type: props.type,
      prefix: props.prefix,
      description: props.description,
    });
    this.phoneNumberArn = resource.attrPhoneNumberArn;
    this.address = resource.attrAddress;
    this.countryCode = props.countryCode;
    this.type = props.type;
    this.targetArn = props.targetArn;
  }
}

/** Options shared by both ways of declaring the claimed numbers. */
export interface ClaimedNumbersOptions {
  /**
   * The ARN of the Connect instance (or traffic distribution group) that owns the numbers.
   */
  readonly instanceArn: string;
  /**
   * Verify at deploy time, with a custom resource that calls `ListPhoneNumbersV2`, that every caller ID number
   * the stack uses is claimed, and resolve the phone-number ARNs queues need from the live instance.
   * @default true
   */
  readonly deployTimeCheck?: boolean;
}

/** Props for `ClaimedNumbers.fromNumbers`. */
export interface ClaimedNumbersFromNumbersProps extends ClaimedNumbersOptions {
  /** The numbers claimed by the instance. */
  readonly numbers: ClaimedNumber[];
}

/** Props for `ClaimedNumbers.fromLookup`. */
export interface ClaimedNumbersFromLookupProps extends ClaimedNumbersOptions {}


/**
 * The claimed numbers of one Amazon Connect instance: what every caller ID in the app is judged against.
 */
export class ClaimedNumbers extends Construct {
  /**
   * The inventory cached in `cdk.context.json` under `connect-caller-id:claimed-numbers:<instanceArn>`,
   * written by `connect-caller-id lookup`. When it is missing, synth fails with the command that fills it.
   */
  public static fromLookup(scope: Construct, id: string, props: ClaimedNumbersFromLookupProps): ClaimedNumbers {
    const claimed = new ClaimedNumbers(scope, id, props, undefined);
    if (Token.isUnresolved(props.instanceArn)) {
      throw new Error(`${claimed.node.path}: fromLookup needs the instance ARN as a literal string to find its inventory; ` +
        'use ClaimedNumbers.fromNumbers for an instance known only at deploy time');
    }
    const key = inventoryContextKey(props.instanceArn);
    const value = scope.node.tryGetContext(key);
    if (value === undefined) {
      reportFindings(claimed, [finding(InventoryRules.INVENTORY_MISSING,
        `No claimed-number inventory for ${props.instanceArn} in the context (key ${key}). ` +
        `Fill it with: ${lookupCommand(props.instanceArn)} and commit cdk.context.json`)]);
      return claimed;
    }
    try {
      const doc = parseInventoryDocument(value, `context key ${key}`);
      if (doc.instanceArn !== props.instanceArn) {
        throw new CallerIdInputError(`context key ${key} holds the inventory of ${doc.instanceArn}, not ${props.instanceArn}`);
      }
      claimed._inventory = new Inventory(doc.instanceArn, doc.numbers);
    } catch (e) {
      if (!(e instanceof CallerIdInputError)) throw e;
      reportFindings(claimed, [finding(InventoryRules.INVENTORY_MISSING, `${e.message}. Refresh it with: ${lookupCommand(props.instanceArn)}`)]);
    }
    return claimed;
  }

  /** The claimed numbers declared in code. */
  public static fromNumbers(scope: Construct, id: string, props: ClaimedNumbersFromNumbersProps): ClaimedNumbers {
    const claimed = new ClaimedNumbers(scope, id, props, undefined);
    try {
      const doc = parseInventoryDocument({ instanceArn: props.instanceArn, numbers: props.numbers }, `${claimed.node.path} numbers`);
      claimed._inventory = new Inventory(doc.instanceArn, doc.numbers);
    } catch (e) {
      if (e instanceof CallerIdInputError) throw new Error(e.message);
      throw e;
    }
    return claimed;
  }

  /** The instance (or traffic distribution group) ARN. */
  public readonly instanceArn: string;
  /** Whether used numbers are verified at deploy time. */
  public readonly deployTimeCheck: boolean;
  private _inventory: Inventory | undefined;
  private readonly claims: ClaimedPhoneNumber[] = [];

  private constructor(scope: Construct, id: string, options: ClaimedNumbersOptions, inventory: Inventory | undefined) {
    super(scope, id);
    this.instanceArn = options.instanceArn;
    this.deployTimeCheck = options.deployTimeCheck ?? true;
    this._inventory = inventory;
  }

  /** The numbers known at synth time; empty when the lookup inventory is missing. */
  public get numbers(): ClaimedNumber[] {
    return this._inventory?.numbers ?? [];
  }

  /** The inventory the rules use; undefined when it is missing, so claim checks fall to deploy time. */
  public get inventory(): Inventory | undefined {
    return this._inventory;
  }

  /** The numbers claimed in this app with `claimNumber`. */
  public get claimedInApp(): IClaimedPhoneNumber[] {
    return [...this.claims];
  }

  /** Claims a new number for the instance in this stack. Known only after deployment, trusted by construction. */
  public claimNumber(id: string, options: ClaimNumberOptions): ClaimedPhoneNumber {
    const claim = new ClaimedPhoneNumber(this, id, { ...options, targetArn: this.instanceArn });
    this.claims.push(claim);
    return claim;
  }

  /**
   * Registers the numbers a call-time guard of `user` lets through for the deploy-time check.
   * @internal
   */
  public _guardNumbers(user: IConstruct, numbers: readonly string[], context: CallerIdContext): void {
    if (this.deployTimeCheck && numbers.length > 0) CallerIdVerification.forInstance(Stack.of(user), this.instanceArn).guard(user, numbers, context);
  }

  /**
   * Registers a static caller ID number used by `user` for the deploy-time check. For a queue, returns the
   * number's phone-number ARN: the inventory's (verified by the check when it is on), else the one the check
   * returns from the live listing.
   * @internal
   */
  public _useNumber(user: IConstruct, number: string, use: NumberUse): string | undefined {
    const inventoryArn = Token.isUnresolved(number) ? undefined : this._inventory?.get(number)?.arn;
    if (!this.deployTimeCheck) return inventoryArn;
    const check = CallerIdVerification.forInstance(Stack.of(user), this.instanceArn);
    if (use.context === CallerIdContext.QUEUE) return check.useForQueue(user, number, inventoryArn);
    check.use(user, number, use);
    return undefined;
  }
}

function lookupCommand(instanceArn: string): string {
  const region = instanceArn.split(':')[3];
  return `npx connect-caller-id lookup --instance-arn ${instanceArn}${region ? ` --region ${region}` : ''}`;
}
