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

/** The rule `claimNumber` reports when a change would replace a claim. */
export const ClaimRules = { CLAIM_REPLACED } as const;

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
  /** Whether the removal policy keeps a replaced number claimed (RETAIN) rather than releasing it. */
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
  return [finding(CLAIM_REPLACED,
    `${claim.path} is recognised by its description ${JSON.stringify(claim.description)} as ${number.number}, but is now declared with ` +
    `${differences(number).join(', ')}. CountryCode, Type and Prefix cannot change in place: deploying this replaces the claim, so ` +
    `CloudFormation claims a new number for it and ${number.number} ` +
    (claim.retained
      ? 'stays claimed by the instance but is no longer managed by this stack. '
      : 'is released (the removal policy is not RETAIN): Connect returns it to the pool and it is gone. ') +
    `Restore what the number was claimed with, or acknowledge ${CLAIM_REPLACED.id} if a new number is meant`)];
}

function countryOf(number: string): string | undefined {
  const parsed = parseE164(number);
  return parsed.ok ? parsed.country : undefined;
}
