import { parseE164 } from './e164';
import { Finding, Severity } from './findings';
import { ClaimedNumber } from './inventory';
import { finding, RuleDefinition } from './rule-definition';

const CLAIM_REPLACED: RuleDefinition = {
  id: 'CLAIM_REPLACED', severity: Severity.WARNING,
  trigger: 'A `claimNumber` whose description matches a number the inventory lists, but whose country, type or prefix that number does not have: '
    + 'those properties cannot change in place, so the deployment claims a new number in its place.',
  fix: 'Restore the country, type and prefix the number was claimed with (the message says which), or acknowledge the warning if a new number is meant; '
    + 'with the default removal policy the old number stays claimed, otherwise it is released.',
  source: 'CloudFormation `AWS::Connect::PhoneNumber`: CountryCode, Type and Prefix are create-only properties (resource schema), so changing one replaces the resource',
};

const CLAIM_MOVED: RuleDefinition = {
  id: 'CLAIM_MOVED', severity: Severity.WARNING,
  trigger: 'The inventory lists a number described `Claimed by <path>` for a path under the stack where the stack now has no claim: '
    + 'a claim renamed or moved without a pinned `logicalId` gets a new logical id, so the deployment claims a new number and the old claim leaves the stack.',
  fix: 'Pin the moved claim\'s `logicalId` to the id the deployed template gives it (the message names the id a claim at the old path had without one), '
    + 'or acknowledge the warning for that number if the claim was removed on purpose.',
  source: 'aws-cdk-lib: a resource\'s default logical id is derived from its construct path (Stack.allocateLogicalId); CloudFormation creates a resource '
    + 'for a new logical id and removes the one whose logical id left the template, as its DeletionPolicy says',
};

/** The rules the claims of a stack are judged by once its construct tree is complete. */
export const ClaimRules = { CLAIM_REPLACED, CLAIM_MOVED } as const;

const DESCRIPTION_PREFIX = 'Claimed by ';
const MAX_DESCRIPTION = 500;

/** The description a claim gets when none is given: its construct path, cut to the 500 characters Connect keeps. */
export function defaultClaimDescription(path: string): string {
  return `${DESCRIPTION_PREFIX}${path}`.slice(0, MAX_DESCRIPTION);
}

/** A claim as declared in the app: what it is recognised by and what cannot change in place. */
export interface DeclaredClaim {
  /** The claim's construct path, for the message. */
  readonly path: string;
  /** The description the claim is created with: what recognises the number it claimed before. */
  readonly description: string;
  readonly countryCode: string;
  readonly type: string;
  /** @default - no prefix */
  readonly prefix?: string;
  /** Whether the policy in force keeps a replaced number claimed (`UpdateReplacePolicy` Retain) rather than releasing it. */
  readonly retained: boolean;
}

/**
 * What synth can know about a claim being replaced: the inventory lists the numbers claimed so far with their
 * descriptions, so a listed number with the claim's description is the number the claim holds. If that number
 * has another country or type, or does not start with the prefix, the create-only properties changed and
 * CloudFormation will replace the claim. A changed prefix that the number still matches, or a prefix added to a
 * claim made without one, cannot be told from here (the previous template is not known at synth): `cdk diff`
 * shows those as "requires replacement".
 */
export function judgeClaimReplacement(claim: DeclaredClaim, listed: readonly ClaimedNumber[]): Finding[] {
  const same = listed.filter((n) => n.description === claim.description);
  if (same.length === 0) return [];
  const differences = (n: ClaimedNumber): string[] => {
    const country = n.countryCode ?? countryOf(n.number);
    const found: string[] = [];
    if (country !== undefined && country !== claim.countryCode) found.push(`countryCode ${claim.countryCode} (the number is in ${country})`);
    if (n.type !== claim.type) found.push(`type ${claim.type} (the number is ${n.type})`);
    if (claim.prefix !== undefined && !n.number.startsWith(claim.prefix)) found.push(`prefix ${claim.prefix} (the number does not start with it)`);
    return found;
  };
  // The claim keeps its number when any of the numbers it could be still fits it.
  if (same.some((n) => differences(n).length === 0)) return [];
  const number = same[0];
  return [{ ...finding(CLAIM_REPLACED,
    `${claim.path} is recognised by its description ${JSON.stringify(claim.description)} as ${number.number}, but is now declared with ` +
    `${differences(number).join(', ')}. CountryCode, Type and Prefix cannot change in place: deploying this replaces the claim, so ` +
    `CloudFormation claims a new number for it and ${number.number} ` +
    (claim.retained
      ? 'stays claimed by the instance but is no longer managed by this stack. '
      : 'is released (the removal policy is not RETAIN): Connect returns it to the pool and it is gone. ') +
    `Restore what the number was claimed with, or acknowledge ${CLAIM_REPLACED.id} if a new number is meant`), number: number.number }];
}

/** The claims a stack has once its construct tree is complete. */
export interface ClaimsOfStack {
  /** The stack's construct path. */
  readonly stackPath: string;
  /** The description of every claim under the stack, given or default (a claim now at a path has its default among them only if it kept it). */
  readonly descriptions: ReadonlySet<string>;
  /** The construct path of every claim under the stack. */
  readonly paths: ReadonlySet<string>;
  /** The logical id of every claim under the stack. */
  readonly logicalIds: ReadonlySet<string>;
  /** The logical id aws-cdk-lib gives a claim at `path` (under the stack) that pins none. */
  readonly defaultLogicalId: (path: string) => string;
}

/**
 * Numbers the inventory lists with the default description of a claim under this stack that the stack no longer
 * has. Renaming or moving a claim (or a construct above it) changes both its default description and its default
 * logical id, so `judgeClaimReplacement` finds nothing while CloudFormation claims a new number. A listed number is
 * left alone when a claim of the stack has that path or that description (it is that claim's number), or has the
 * logical id the old path gave (its logical id was pinned to the deployed one). Linear: the claims are indexed.
 */
export function judgeMovedClaims(claims: ClaimsOfStack, listed: readonly ClaimedNumber[]): Finding[] {
  const under = `${DESCRIPTION_PREFIX}${claims.stackPath}/`;
  const findings: Finding[] = [];
  for (const n of listed) {
    const description = n.description;
    if (description === undefined || !description.startsWith(under) || claims.descriptions.has(description)) continue;
    const oldPath = description.slice(DESCRIPTION_PREFIX.length);
    if (claims.paths.has(oldPath)) continue;
    // A description of 500 characters may be a path cut short: its logical id cannot be told.
    const whole = description.length < MAX_DESCRIPTION;
    const oldId = whole ? claims.defaultLogicalId(oldPath) : undefined;
    if (oldId !== undefined && claims.logicalIds.has(oldId)) continue;
    findings.push({
      ...finding(CLAIM_MOVED,
        `${n.number} is described ${JSON.stringify(description)}, so it was claimed by a claim at ${oldPath}${whole ? '' : '...'}, and the stack ` +
        `${claims.stackPath} has no claim there now. If that claim was renamed or moved (or a construct above it was), it has a new logical id: ` +
        `deploying claims a new number for it, and ${n.number} leaves the stack (kept claimed with the default removal policy, but managed by no stack). ` +
        'To keep the number, pin the claim\'s logicalId to the id the deployed template gives it' +
        (oldId !== undefined ? ` (${oldId}, unless it was pinned to another: claimNumber(id, { ..., logicalId: '${oldId}' }))` : '') +
        `; if the claim was removed on purpose, acknowledge ${CLAIM_MOVED.id} for ${n.number}`),
      number: n.number,
    });
  }
  return findings;
}

function countryOf(number: string): string | undefined {
  const parsed = parseE164(number);
  return parsed.ok ? parsed.country : undefined;
}
