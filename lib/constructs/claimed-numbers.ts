import { CfnDeletionPolicy, CfnResource, RemovalPolicy, Resource, Stack, Token } from 'aws-cdk-lib';
import { CfnPhoneNumber } from 'aws-cdk-lib/aws-connect';
import * as cxschema from 'aws-cdk-lib/cloud-assembly-schema';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct, IConstruct } from 'constructs';
import { ClaimsOfStack, defaultClaimDescription, judgeClaimReplacement, judgeMovedClaims } from '../core/claim-rules';
import { ConnectArnKind, instanceArnProblem, parseConnectArn } from '../core/connect-arn';
import { INVENTORY_PLUGIN_NAME, InventoryQuery, inventoryPluginLoaded } from '../core/context-key';
import { isKnownCountry } from '../core/e164';
import { CallerIdInputError } from '../core/errors';
import {
  ClaimedNumber, Inventory, inventoryContextKey, InventoryDocument, InventoryRules, parseInventoryDocument, PhoneNumberType,
} from '../core/inventory';
import { CallerIdContext } from '../core/rule-definition';
import { finding } from '../core/rules';
import { CallerIdVerification, NumberUse } from './caller-id-verification';
import { reportFindings } from './report';
import { StackBudget } from './stack-budget';
import { brand, hasBrand } from './brand';

/** A number claimed in this app: its address and ARN are known only after deployment. */
export interface IClaimedPhoneNumber extends IConstruct {
  /** The phone-number ARN (`.../phone-number/<id>`), the form queues accept. */
  readonly phoneNumberArn: string;
  /** The number in E.164. */
  readonly address: string;
  readonly countryCode: string;
  readonly type: PhoneNumberType;
  /** What the number is claimed to: the instance, or one of its traffic distribution groups. */
  readonly targetArn: string;
}

/** What every claim of a number is made of (`ClaimNumberOptions`, `ClaimedPhoneNumberProps`). */
export interface PhoneNumberClaimOptions {
  /** ISO 3166-1 alpha-2 country code, e.g. `JP`. */
  readonly countryCode: string;
  readonly type: PhoneNumberType;
  /**
   * Only claim a number that starts with this prefix, in E.164 form (`+8150`).
   * @default - any available number of the country and type
   */
  readonly prefix?: string;
  /**
   * The number's description in Connect (1-500 characters). It is also how a later synth recognises the number
   * in the looked-up inventory, to warn when a change would replace the claim (`CLAIM_REPLACED`): give each claim
   * a description of its own. The default also tells a later synth that a claim was renamed or moved (`CLAIM_MOVED`).
   * @default - "Claimed by <construct path>"
   */
  readonly description?: string;
  /**
   * What happens to the number when the claim is removed from the stack, or replaced. A released number goes
   * back to Connect's pool: customers who know it reach someone else, and claiming and releasing have their own
   * quota.
   * @default RemovalPolicy.RETAIN: the number stays claimed
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * The claim's CloudFormation logical id. A claim whose logical id changes is a new claim: a new number is
   * claimed and the old one is removed (kept claimed with the default removal policy). Pin it before renaming or
   * moving the claim, its `ClaimedNumbers` or the constructs around them, to the id the deployed template has.
   * @default - the id aws-cdk-lib gives every resource, from its construct path (as every earlier version of this
   * library did, so upgrading keeps every number); renaming or moving a construct on the path changes it
   */
  readonly logicalId?: string;
}

/** Options for `ClaimedNumbers.claimNumber`. */
export interface ClaimNumberOptions extends PhoneNumberClaimOptions {
  /**
   * Claim the number to one of the traffic distribution groups of the `ClaimedNumbers` instead of the instance
   * (Global Resiliency). The instance's flows and queues can use it either way.
   * @default - the instance
   */
  readonly trafficDistributionGroupArn?: string;
}

/** Props for `ClaimedPhoneNumber`. */
export interface ClaimedPhoneNumberProps extends PhoneNumberClaimOptions {
  /** The instance or traffic distribution group ARN the number is claimed to. */
  readonly targetArn: string;
}

const LOGICAL_ID = /^[A-Za-z][A-Za-z0-9]{0,254}$/;
const claimLogicalIds = new WeakMap<Stack, Map<string, string>>();

/**
 * A phone number claimed by the stack (`AWS::Connect::PhoneNumber`). `ClaimedNumbers.claimNumber` creates one
 * and registers it with the instance's claimed numbers, which is what lets it be used as a caller ID.
 *
 * A claimed number is stateful: customers know it. It is kept when the claim leaves the stack or is replaced
 * (`RemovalPolicy.RETAIN`, for `DeletionPolicy` and `UpdateReplacePolicy`) unless `removalPolicy` says otherwise,
 * and its logical id comes from the claim's own id, not from where the claim sits in the construct tree.
 */
export class ClaimedPhoneNumber extends Resource implements IClaimedPhoneNumber {
  /** Whether `x` is a `ClaimedPhoneNumber`, also one made by another copy of this package (where `instanceof` is false). */
  public static isClaimedPhoneNumber(x: any): x is ClaimedPhoneNumber {
    return hasBrand(x, 'ClaimedPhoneNumber');
  }

  public readonly phoneNumberArn: string;
  public readonly address: string;
  public readonly countryCode: string;
  public readonly type: PhoneNumberType;
  public readonly targetArn: string;
  /** The description the number is claimed with. */
  public readonly description: string;
  /** The prefix the number is claimed with, if any. */
  public readonly prefix?: string;
  /** The underlying `AWS::Connect::PhoneNumber`. */
  public readonly resource: CfnPhoneNumber;

  constructor(scope: Construct, id: string, props: ClaimedPhoneNumberProps) {
    super(scope, id);
    brand(this, 'ClaimedPhoneNumber');
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
    if (props.description !== undefined && !Token.isUnresolved(props.description) && (props.description.length < 1 || props.description.length > 500)) {
      problems.push(`description must be 1-500 characters, got ${props.description.length}`);
    }
    if (props.removalPolicy === RemovalPolicy.SNAPSHOT) {
      problems.push('removalPolicy SNAPSHOT does not apply to a phone number; use RETAIN (the default) to keep it or DESTROY to release it');
    }
    if (props.logicalId !== undefined && !LOGICAL_ID.test(props.logicalId)) {
      problems.push(`logicalId ${JSON.stringify(props.logicalId)} must be a letter then up to 254 letters and digits (a CloudFormation logical id)`);
    }
    const target = Token.isUnresolved(props.targetArn) ? undefined : parseConnectArn(props.targetArn);
    if (!Token.isUnresolved(props.targetArn)
      && target?.kind !== ConnectArnKind.INSTANCE && target?.kind !== ConnectArnKind.TRAFFIC_DISTRIBUTION_GROUP) {
      problems.push(`targetArn ${JSON.stringify(props.targetArn)} is neither an instance ARN (arn:<partition>:connect:<region>:<account>:instance/<id>) ` +
        'nor a traffic distribution group ARN (...:traffic-distribution-group/<id>)');
    }
    if (problems.length > 0) throw new Error(`${this.node.path}: ${problems.join('; ')}`);

    if (props.logicalId !== undefined) this.claimLogicalId(props.logicalId);
    // The construct path is what recognises the claim's number in a later looked-up inventory (CLAIM_REPLACED, CLAIM_MOVED).
    this.description = props.description ?? defaultClaimDescription(this.node.path);
    this.prefix = props.prefix;
    this.resource = new CfnPhoneNumber(this, 'Resource', {
      targetArn: props.targetArn,
      countryCode: props.countryCode,
      type: props.type,
      prefix: props.prefix,
      description: this.description,
    });
    // A default logical id that moved with a new version of this library would release every deployed number
    // (earlier templates had no DeletionPolicy): only a pinned one overrides aws-cdk-lib's.
    if (props.logicalId !== undefined) this.resource.overrideLogicalId(props.logicalId);
    this.resource.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    this.phoneNumberArn = this.resource.attrPhoneNumberArn;
    this.address = this.resource.attrAddress;
    this.countryCode = props.countryCode;
    this.type = props.type;
    this.targetArn = props.targetArn;
  }

  /** Two claims of one stack pinned to one logical id would be one resource: refused here, naming both. */
  private claimLogicalId(logicalId: string): void {
    const stack = Stack.of(this);
    let taken = claimLogicalIds.get(stack);
    if (!taken) claimLogicalIds.set(stack, taken = new Map());
    const other = taken.get(logicalId);
    if (other !== undefined) {
      throw new Error(`${this.node.path}: its logical id ${logicalId} is already the logical id of ${other}, in the same stack. ` +
        'Pin each claim to a logical id of its own');
    }
    taken.set(logicalId, this.node.path);
  }
}

/** Options shared by both ways of declaring the claimed numbers. */
export interface ClaimedNumbersOptions {
  /**
   * The ARN of the Connect instance (`arn:<partition>:connect:<region>:<account>:instance/<id>`): what queues, flows
   * and campaigns are created in. A traffic distribution group goes in `trafficDistributionGroupArns`.
   */
  readonly instanceArn: string;
  /**
   * Verify at deploy time, with a custom resource that calls `ListPhoneNumbersV2`, that every caller ID number
   * the stack uses is claimed, and resolve the phone-number ARNs queues need from the live instance.
   * @default true
   */
  readonly deployTimeCheck?: boolean;
}

/** The numbers of one traffic distribution group, declared in code. */
export interface TrafficDistributionGroupNumbers {
  /** The group's ARN (`arn:<partition>:connect:<region>:<account>:traffic-distribution-group/<id>`). */
  readonly arn: string;
  /** The numbers claimed to the group. */
  readonly numbers: ClaimedNumber[];
}

/** Props for `ClaimedNumbers.fromNumbers`. */
export interface ClaimedNumbersFromNumbersProps extends ClaimedNumbersOptions {
  /** The numbers claimed to the instance. */
  readonly numbers: ClaimedNumber[];
  /**
   * With Global Resiliency: the traffic distribution groups the instance belongs to whose numbers its flows and
   * queues may use, with their numbers.
   * @default - none
   */
  readonly trafficDistributionGroups?: TrafficDistributionGroupNumbers[];
}

/** Props for `ClaimedNumbers.fromLookup`. */
export interface ClaimedNumbersFromLookupProps extends ClaimedNumbersOptions {
  /**
   * With Global Resiliency: the traffic distribution groups the instance belongs to whose numbers its flows and
   * queues may use. `ListPhoneNumbersV2` lists a group's numbers only under the group's ARN, so each has an
   * inventory of its own in `cdk.context.json` (`connect-caller-id lookup --instance-arn <group ARN>`).
   * @default - none: only the numbers claimed to the instance
   */
  readonly trafficDistributionGroupArns?: string[];
}

/**
 * The claimed numbers of one Amazon Connect instance: what every caller ID in the app is judged against. With
 * Global Resiliency they include the numbers of the traffic distribution groups it is given.
 */
export class ClaimedNumbers extends Construct {
  /**
   * The inventories cached in `cdk.context.json` under `connect-caller-id:claimed-numbers:<target ARN>`, one key
   * for the instance and one for each traffic distribution group, written by `connect-caller-id lookup`, or by
   * `cdk synth` itself when the CDK CLI plugin `cdk-connect-caller-id/plugin` is configured (then
   * `cdk context --reset <key>` refreshes one). When one is missing otherwise, synth fails naming both ways.
   */
  public static fromLookup(scope: Construct, id: string, props: ClaimedNumbersFromLookupProps): ClaimedNumbers {
    const groups = props.trafficDistributionGroupArns ?? [];
    const claimed = new ClaimedNumbers(scope, id, props, groups);
    if ([props.instanceArn, ...groups].some((arn) => Token.isUnresolved(arn))) {
      throw new Error(`${claimed.node.path}: fromLookup needs the instance and traffic distribution group ARNs as literal strings to find their ` +
        'inventories; use ClaimedNumbers.fromNumbers for an instance known only at deploy time');
    }
    const documents: InventoryDocument[] = [];
    for (const target of claimed.targetArns) {
      const doc = readContextInventory(claimed, target);
      if (doc) documents.push(doc);
    }
    // With one target's inventory missing, synth fails on INVENTORY_MISSING; judging the caller IDs against the
    // others would add a false CALLER_ID_NOT_CLAIMED for every number of the missing one.
    if (documents.length === claimed.targetArns.length) claimed.setInventories(documents);
    return claimed;
  }

  /** The claimed numbers declared in code. */
  public static fromNumbers(scope: Construct, id: string, props: ClaimedNumbersFromNumbersProps): ClaimedNumbers {
    const groups = props.trafficDistributionGroups ?? [];
    const claimed = new ClaimedNumbers(scope, id, props, groups.map((g) => g.arn));
    try {
      claimed.setInventories([
        readDeclaredNumbers(props.instanceArn, props.numbers, `${claimed.node.path} numbers`),
        ...groups.map((g, i) => readDeclaredNumbers(g.arn, g.numbers, `${claimed.node.path} trafficDistributionGroups[${i}].numbers`)),
      ]);
    } catch (e) {
      if (e instanceof CallerIdInputError) throw new Error(e.message);
      throw e;
    }
    return claimed;
  }

  /** The instance ARN: what queues, flows and campaigns are created in. */
  public readonly instanceArn: string;
  /** The traffic distribution groups whose numbers count as claimed (Global Resiliency). */
  public readonly trafficDistributionGroupArns: string[];
  /**
   * Every target whose numbers count as claimed: the instance first, then the traffic distribution groups. What
   * `connect-caller-id lookup` and the deploy-time check list.
   */
  public readonly targetArns: string[];
  /** Whether used numbers are verified at deploy time. */
  public readonly deployTimeCheck: boolean;
  private _inventory: Inventory | undefined;
  private readonly inventories = new Map<string, InventoryDocument>();
  private readonly claims: ClaimedPhoneNumber[] = [];

  private constructor(scope: Construct, id: string, options: ClaimedNumbersOptions, trafficDistributionGroupArns: readonly string[]) {
    super(scope, id);
    const problems: string[] = [];
    if (!Token.isUnresolved(options.instanceArn)) {
      const problem = instanceArnProblem('instanceArn', options.instanceArn);
      if (problem) problems.push(problem);
    }
    trafficDistributionGroupArns.forEach((arn, i) => {
      if (!Token.isUnresolved(arn) && parseConnectArn(arn)?.kind !== ConnectArnKind.TRAFFIC_DISTRIBUTION_GROUP) {
        problems.push(`traffic distribution group ${i} ${JSON.stringify(arn)} is not a traffic distribution group ARN ` +
          '(arn:<partition>:connect:<region>:<account>:traffic-distribution-group/<id>)');
      }
    });
    if (new Set(trafficDistributionGroupArns).size !== trafficDistributionGroupArns.length) {
      problems.push('a traffic distribution group is listed twice');
    }
    if (problems.length > 0) throw new Error(`${this.node.path}: ${problems.join('; ')}`);
    this.instanceArn = options.instanceArn;
    this.trafficDistributionGroupArns = [...trafficDistributionGroupArns];
    this.targetArns = [options.instanceArn, ...trafficDistributionGroupArns];
    this.deployTimeCheck = options.deployTimeCheck ?? true;
    // The stack of the numbers is where the library's resources usually are; flows add their own stacks.
    StackBudget.of(Stack.of(this));
  }

  /** The numbers known at synth time, of every target; empty when a looked-up inventory is missing. */
  public get numbers(): ClaimedNumber[] {
    return this._inventory?.numbers ?? [];
  }

  /** The inventory the rules use, over every target; undefined when one is missing, so claim checks fall to deploy time. */
  public get inventory(): Inventory | undefined {
    return this._inventory;
  }

  /** The numbers known at synth time of one target (the instance or one of the groups). */
  public numbersOf(targetArn: string): ClaimedNumber[] {
    return [...(this.inventories.get(targetArn)?.numbers ?? [])];
  }

  /** The numbers claimed in this app with `claimNumber`. */
  public get claimedInApp(): IClaimedPhoneNumber[] {
    return [...this.claims];
  }

  /**
   * Claims a new number for the instance (or one of its traffic distribution groups) in this stack. Known only
   * after deployment, trusted by construction. Warns (`CLAIM_REPLACED`), once the construct tree is complete, when
   * the inventory shows that the number this claim holds would be replaced by the change.
   */
  public claimNumber(id: string, options: ClaimNumberOptions): ClaimedPhoneNumber {
    const group = options.trafficDistributionGroupArn;
    if (group !== undefined && !this.trafficDistributionGroupArns.includes(group)) {
      throw new Error(`${this.node.path}/${id}: trafficDistributionGroupArn ${group} is not one of the traffic distribution groups of ` +
        `${this.node.path} (${this.trafficDistributionGroupArns.join(', ') || 'it has none'}); add it to trafficDistributionGroupArns`);
    }
    const { trafficDistributionGroupArn: _, ...props } = options;
    const claim = new ClaimedPhoneNumber(this, id, { ...props, targetArn: group ?? this.instanceArn });
    this.claims.push(claim);
    return claim;
  }

  /**
   * Judges the claims against the inventory once the construct tree is complete, so with the removal policy in
   * force (`applyRemovalPolicy` after the claim counts). `claims` indexes every claim of the stack.
   * @internal
   */
  public _judgeClaims(claims: StackClaims, reported: Set<string>): void {
    const inventory = this._inventory;
    if (!inventory) return;
    for (const claim of this.claims) {
      const declared = [claim.description, claim.countryCode, claim.type, claim.prefix];
      if (!declared.every((v) => v === undefined || !Token.isUnresolved(v))) continue;
      reportFindings(claim, judgeClaimReplacement({
        path: claim.node.path, description: claim.description, countryCode: claim.countryCode, type: claim.type, prefix: claim.prefix,
        retained: claim.resource.cfnOptions.updateReplacePolicy === CfnDeletionPolicy.RETAIN,
      }, inventory.numbers));
    }
    // Two ClaimedNumbers of one instance in a stack list the same numbers: each is reported once.
    const unreported = inventory.numbers.filter((n) => !reported.has(n.number));
    for (const n of unreported) reported.add(n.number);
    reportFindings(this, judgeMovedClaims(claims.facts, unreported));
  }

  /**
   * Registers the numbers a call-time guard of `user` lets through for the deploy-time check.
   * @internal
   */
  public _guardNumbers(user: IConstruct, numbers: readonly string[], context: CallerIdContext): void {
    if (this.deployTimeCheck && numbers.length > 0) CallerIdVerification.forInstance(Stack.of(user), this.instanceArn, this.targetArns).guard(user, numbers, context);
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
    const check = CallerIdVerification.forInstance(Stack.of(user), this.instanceArn, this.targetArns);
    if (use.context === CallerIdContext.QUEUE) return check.useForQueue(user, number, inventoryArn);
    check.use(user, number, use);
    return undefined;
  }

  private setInventories(documents: readonly InventoryDocument[]): void {
    for (const doc of documents) this.inventories.set(doc.instanceArn, doc);
    this._inventory = inventoryOf(this.instanceArn, documents);
    StackClaims.of(Stack.of(this)).add(this);
  }
}

/**
 * The documents already read from a list of declared numbers. An app usually declares the same numbers in each of
 * its stacks: they are read (and their inventory indexed) once, while a list changed in between is read again. A
 * list is known by its entries and the fields `parseInventoryDocument` reads of each, compared one by one with a
 * copy taken when it was read: cheaper than serializing thousands of entries for each stack.
 */
const declaredDocuments = new WeakMap<readonly ClaimedNumber[], {
  readonly instanceArn: string; readonly entries: readonly object[]; readonly copies: readonly ReadFields[]; readonly doc: InventoryDocument;
}>();

const inventories = new WeakMap<InventoryDocument, { readonly instanceArn: string; readonly documents: readonly InventoryDocument[]; readonly inventory: Inventory }>();

/** The document of numbers declared in code; throws `CallerIdInputError` naming `source` when they are not valid. */
function readDeclaredNumbers(targetArn: string, numbers: ClaimedNumber[], source: string): InventoryDocument {
  if (!Array.isArray(numbers)) return parseInventoryDocument({ instanceArn: targetArn, numbers }, source);
  const known = declaredDocuments.get(numbers);
  if (known && known.instanceArn === targetArn && sameEntries(numbers, known.entries, known.copies)) return known.doc;
  const copies = copyReadFields(numbers);
  if (copies === undefined) return parseInventoryDocument({ instanceArn: targetArn, numbers }, source);
  // Read from the copies, so the document is what the values compared next time read as, whatever the entries'
  // getters would return on a second read.
  const doc = parseInventoryDocument({ instanceArn: targetArn, numbers: copies }, source);
  declaredDocuments.set(numbers, { instanceArn: targetArn, entries: [...numbers], copies, doc });
  return doc;
}

/**
 * The fields of a declared number that `parseInventoryDocument` reads: the document read from a list depends on
 * nothing else, so a list whose entries are the same objects with these fields unchanged reads the same.
 */
const READ_FIELDS = ['number', 'type', 'countryCode', 'arn', 'description'] as const;

type ReadFields = Record<(typeof READ_FIELDS)[number], unknown>;

/**
 * A copy of the read fields of every entry; undefined for a list with a hole or an entry that is not an object,
 * which is read as it is (and refused, or kept with its hole).
 */
function copyReadFields(numbers: readonly ClaimedNumber[]): ReadFields[] | undefined {
  const copies: ReadFields[] = [];
  for (let i = 0; i < numbers.length; i++) {
    if (!(i in numbers)) return undefined;
    const entry: unknown = numbers[i];
    if (typeof entry !== 'object' || entry === null) return undefined;
    const { number, type, countryCode, arn, description } = entry as ReadFields;
    copies.push({ number, type, countryCode, arn, description });
  }
  return copies;
}

function sameEntries(numbers: readonly ClaimedNumber[], entries: readonly object[], copies: readonly ReadFields[]): boolean {
  if (numbers.length !== entries.length) return false;
  for (let i = 0; i < numbers.length; i++) {
    const entry = numbers[i] as unknown as ReadFields;
    if (entry !== entries[i]) return false;
    for (const field of READ_FIELDS) if (entry[field] !== copies[i][field]) return false;
  }
  return true;
}

/** The inventory over `documents`, indexed once for the same documents of the same instance (documents are not changed once read). */
function inventoryOf(instanceArn: string, documents: readonly InventoryDocument[]): Inventory {
  const known = documents.length > 0 ? inventories.get(documents[0]) : undefined;
  if (known && known.instanceArn === instanceArn && known.documents.length === documents.length
    && known.documents.every((d, i) => d === documents[i])) {
    return known.inventory;
  }
  const inventory = Inventory.ofTargets(instanceArn, [...documents]);
  if (documents.length > 0) inventories.set(documents[0], { instanceArn, documents: [...documents], inventory });
  return inventory;
}

const stackClaims = new WeakMap<Stack, StackClaims>();

/**
 * The claims of one stack, judged by a validation of the stack, that is once its construct tree is complete: a
 * claim is recognised by its path, description and logical id, all of which are final only then.
 */
class StackClaims {
  public static of(stack: Stack): StackClaims {
    let claims = stackClaims.get(stack);
    if (!claims) stackClaims.set(stack, claims = new StackClaims(stack));
    return claims;
  }

  private readonly numbers: ClaimedNumbers[] = [];
  private _facts?: ClaimsOfStack;

  private constructor(private readonly stack: Stack) {
    stack.node.addValidation({ validate: () => this.validate() });
  }

  public add(numbers: ClaimedNumbers): void {
    this.numbers.push(numbers);
  }

  /**
   * Every claim under the stack, indexed once, when first read: a stack whose inventory holds no number that a
   * claim of the stack was claimed with never walks its tree for them.
   */
  public get facts(): ClaimsOfStack {
    if (!this._facts) {
      const stack = this.stack;
      let index: { descriptions: Set<string>; paths: Set<string>; logicalIds: Set<string> } | undefined;
      const claims = () => {
        if (!index) {
          const all = stack.node.findAll().filter(ClaimedPhoneNumber.isClaimedPhoneNumber);
          index = {
            descriptions: new Set(all.map((c) => c.description)),
            paths: new Set(all.map((c) => c.node.path)),
            logicalIds: new Set(all.map((c) => Stack.of(c.resource).resolve(c.resource.logicalId) as string)),
          };
        }
        return index;
      };
      this._facts = {
        stackPath: stack.node.path,
        get descriptions() { return claims().descriptions; },
        get paths() { return claims().paths; },
        get logicalIds() { return claims().logicalIds; },
        defaultLogicalId: (path) => defaultLogicalId(stack.node.path, path),
      };
    }
    return this._facts;
  }

  private validate(): string[] {
    const reported = new Set<string>();
    for (const numbers of this.numbers) numbers._judgeClaims(this, reported);
    return [];
  }
}

/**
 * The logical id aws-cdk-lib gives the `AWS::Connect::PhoneNumber` of a claim at `path` under the stack at
 * `stackPath` that pins none: found by asking aws-cdk-lib itself, on a stack of its own (its id algorithm is not
 * exported), so it stays the same as the one deployed templates have.
 */
function defaultLogicalId(stackPath: string, path: string): string {
  const probe = new Stack(new Construct(undefined as unknown as Construct, ''), 'LogicalIdProbe');
  let scope: Construct = probe;
  for (const id of path.slice(stackPath.length + 1).split('/')) scope = new Construct(scope, id);
  return probe.resolve(new CfnResource(scope, 'Resource', { type: 'AWS::Connect::PhoneNumber' }).logicalId);
}

/**
 * One target's inventory from the context; undefined (with INVENTORY_MISSING reported) when missing or unreadable.
 * With the CDK CLI plugin loaded, a missing one is asked for instead, under the same key `connect-caller-id lookup`
 * writes: the CLI stores what the plugin answers under the key the query names, and synthesizes again.
 */
function readContextInventory(claimed: ClaimedNumbers, target: string): InventoryDocument | undefined {
  const key = inventoryContextKey(target);
  const value = claimed.node.tryGetContext(key);
  if (value === undefined && inventoryPluginLoaded()) {
    const arn = parseConnectArn(target)!;
    const query: InventoryQuery & cxschema.PluginContextQuery = {
      pluginName: INVENTORY_PLUGIN_NAME, targetArn: target, account: arn.account, region: arn.region,
    };
    Stack.of(claimed).reportMissingContextKey({ key, provider: cxschema.ContextProvider.PLUGIN, props: query });
    return undefined;
  }
  if (value === undefined) {
    reportFindings(claimed, [finding(InventoryRules.INVENTORY_MISSING,
      `No claimed-number inventory for ${target} in the context (key ${key}). ` +
      `Fill it with: ${lookupCommand(target)} and commit cdk.context.json; or let cdk synth look it up, with the CDK CLI ` +
      'plugin of this library in cdk.json: "plugin": ["cdk-connect-caller-id/plugin"]')]);
    return undefined;
  }
  // What the CLI stores, for this synthesis only, when the plugin's lookup failed.
  const lookupError: unknown = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[cxapi.PROVIDER_ERROR_KEY] : undefined;
  if (lookupError !== undefined) {
    reportFindings(claimed, [finding(InventoryRules.INVENTORY_MISSING,
      `cdk synth could not look up the claimed numbers of ${target} (key ${key}): ${String(lookupError)} ` +
      `Fix that and synthesize again, or fill the key with: ${lookupCommand(target)} and commit cdk.context.json`)]);
    return undefined;
  }
  try {
    const doc = parseInventoryDocument(value, `context key ${key}`);
    if (doc.instanceArn !== target) {
      throw new CallerIdInputError(`context key ${key} holds the inventory of ${doc.instanceArn}, not ${target}`);
    }
    return doc;
  } catch (e) {
    if (!(e instanceof CallerIdInputError)) throw e;
    reportFindings(claimed, [finding(InventoryRules.INVENTORY_MISSING, `${e.message}. Refresh it with: ${lookupCommand(target)}`)]);
    return undefined;
  }
}

function lookupCommand(targetArn: string): string {
  const region = parseConnectArn(targetArn)?.region;
  return `npx connect-caller-id lookup --instance-arn ${targetArn}${region ? ` --region ${region}` : ''}`;
}
