import { NumberKind, parseE164 } from './e164';
import { aboutNumber, Finding, Severity } from './findings';
import { Inventory, PhoneNumberType } from './inventory';
import { CallerIdContext, finding, RuleDefinition } from './rule-definition';

/*
 * The country and number-type rules as data: which caller IDs (and destinations) each rule is about, its
 * message and where the restriction is documented. Covering a new country, prefix or number type means adding
 * a row or a list entry here; `judgeNumberRules` applies the table unchanged.
 */

const CALLER_ID_GUIDE = 'Connect admin guide, "Set up outbound caller ID"';
const RESTRICTIONS = 'Connect admin guide, "Outbound calling restrictions"';

/** Where a caller ID number comes from, as far as synth time can tell. */
export enum NumberOrigin {
  /** In the instance's inventory: claimed by or ported to the instance. */
  CLAIMED = 'claimed',
  /** Not claimed; AWS Support approved it as a caller ID (`CallerId.fromApprovedExternalNumber`). */
  APPROVED_EXTERNAL = 'approved-external',
  /** No inventory to look in at synth time: the deploy-time check confirms the claim. */
  UNVERIFIED = 'unverified',
}

/** Where a number's type came from; messages say it so that a surprising type can be traced. */
export enum NumberTypeSource {
  INVENTORY = 'inventory',
  /** libphonenumber-js's numbering-plan metadata, for numbers the inventory does not type. */
  NUMBERING_PLAN = 'numbering plan',
  /** The type given to `ClaimedNumbers.claimNumber`. */
  CLAIM = 'claim',
}

/** What the rules know about one number (a caller ID or a destination). */
export interface NumberFacts {
  /** The E.164 number; undefined for a number claimed in the app, known only once deployed. */
  readonly number?: string;
  /** ISO 3166-1 alpha-2 country; undefined for non-geographic numbers such as UIFN. */
  readonly country?: string;
  /** The Connect number type; undefined when neither the inventory nor the numbering plan tells. */
  readonly type?: PhoneNumberType;
  readonly typeSource?: NumberTypeSource;
  readonly origin: NumberOrigin;
}

/** Criteria on one number. Every criterion given must hold; a list holds when any of its entries does. */
export interface NumberMatch {
  /** ISO 3166-1 alpha-2 countries. */
  readonly countries?: readonly string[];
  /** E.164 prefixes such as `+44870`. A number known only after deployment matches none. */
  readonly prefixes?: readonly string[];
  readonly types?: readonly PhoneNumberType[];
  readonly origins?: readonly NumberOrigin[];
}

/** How a static destination relates to the caller ID. */
export enum DestinationRelation {
  /** In another country (countries of one domestic area, see `DOMESTIC_AREAS`, count as one). */
  OTHER_COUNTRY = 'other-country',
}

export interface DestinationMatch extends NumberMatch {
  readonly relation?: DestinationRelation;
}

/**
 * One row of the table. The placeholders `{property}`, `{number}`, `{numberType}`, `{country}`,
 * `{destination}`, `{destinationCountry}`, `{nameProperty}` and `{name}` in `message` are filled in from the
 * use being judged.
 */
export interface CountryRule extends RuleDefinition {
  /**
   * Where the rule applies.
   * @default - every context
   */
  readonly contexts?: readonly CallerIdContext[];
  /** The caller IDs the rule is about. */
  readonly callerId: NumberMatch;
  /**
   * Caller IDs among those that the rule spares.
   * @default - none
   */
  readonly except?: NumberMatch;
  /**
   * When set, the rule applies only to a use with a static destination that matches.
   * @default - the destination does not matter
   */
  readonly destination?: DestinationMatch;
  /**
   * When true, the rule applies only to a use that sets a caller ID name.
   * @default false
   */
  readonly withCallerIdName?: boolean;
  readonly message: string;
}

/** Numbers whose caller ID name carriers look up through CNAM: the 50 US states, Puerto Rico, the US Virgin Islands. */
export const CNAM_COUNTRIES: readonly string[] = ['US', 'PR', 'VI'];

/** Countries where Amazon Connect does not support custom caller IDs, so an external number is never allowed. */
export const NO_CUSTOM_CALLER_ID_COUNTRIES: readonly string[] = ['JP'];

/**
 * Countries that share one national numbering plan and dial each other as domestic calls, so a toll-free
 * caller ID calling between them is not an international call: the US and its NANP territories; the UK and
 * the Crown Dependencies.
 */
export const DOMESTIC_AREAS: readonly (readonly string[])[] = [
  ['US', 'PR', 'VI', 'GU', 'MP', 'AS'],
  ['GB', 'GG', 'JE', 'IM'],
];

/** The Connect type of a number the inventory does not type, from libphonenumber-js's kind. */
const TYPE_BY_KIND: Partial<Record<NumberKind, PhoneNumberType>> = {
  FIXED_LINE: PhoneNumberType.DID,
  MOBILE: PhoneNumberType.DID,
  FIXED_LINE_OR_MOBILE: PhoneNumberType.DID,
  VOIP: PhoneNumberType.DID,
  TOLL_FREE: PhoneNumberType.TOLL_FREE,
  SHARED_COST: PhoneNumberType.SHARED,
};

/** Universal International Freephone Numbers: country calling code 800, which libphonenumber-js reads as toll-free. */
const UIFN_PREFIX = '+800';

const TOLL_FREE_TYPES: readonly PhoneNumberType[] = [PhoneNumberType.TOLL_FREE, PhoneNumberType.THIRD_PARTY_TF];

/** The table. Ids are stable: they appear in every message and are what acknowledgements name. */
export const COUNTRY_RULES: readonly CountryRule[] = [
  {
    id: 'CALLER_ID_AU_DID_ONLY', severity: Severity.ERROR,
    trigger: 'An Australian caller ID that is not a DID provided by Amazon Connect (toll-free, shared-cost, third-party or external).',
    fix: 'Claim an Australian DID and use it as the caller ID.',
    source: `${CALLER_ID_GUIDE}: in Australia the caller ID must be an Amazon Connect provided DID, or carriers may reject the call`,
    callerId: { countries: ['AU'] },
    except: { types: [PhoneNumberType.DID], origins: [NumberOrigin.CLAIMED, NumberOrigin.UNVERIFIED] },
    message: '{property} {number} is {numberType}; in Australia the caller ID must be a DID provided by Amazon Connect, ' +
      'or local carriers may reject the call under anti-fraud rules. Use an Australian DID claimed by the instance',
  },
  {
    id: 'CALLER_ID_UK_870', severity: Severity.ERROR,
    trigger: 'A caller ID starting +44 870.',
    fix: 'Use a geographic UK number claimed by the instance.',
    source: `${CALLER_ID_GUIDE}: +44 870 numbers are not legally permissible as caller ID`,
    callerId: { prefixes: ['+44870'] },
    message: '{property} {number} is a UK 0870 number, which is not legally permissible as a caller ID in the UK. ' +
      'Use a geographic UK number claimed by the instance',
  },
  {
    id: 'CALLER_ID_UIFN_NO_OUTBOUND', severity: Severity.ERROR,
    trigger: 'A UIFN (+800) caller ID.',
    fix: 'Use a DID (or a national toll-free number for domestic calls) claimed by the instance.',
    source: `${RESTRICTIONS}: UIFN numbers are for inbound calls only; outbound calls with them are blocked`,
    callerId: { types: [PhoneNumberType.UIFN] },
    message: '{property} {number} is a UIFN (+800) number; UIFN numbers cannot place outbound calls and such calls are blocked. ' +
      'Use a DID claimed by the instance',
  },
  {
    id: 'CALLER_ID_TOLL_FREE_INTERNATIONAL', severity: Severity.ERROR,
    trigger: 'A toll-free caller ID on a call to a static destination in another country.',
    fix: 'Use a DID as the caller ID for international destinations.',
    source: `${RESTRICTIONS}: toll-free numbers are not supported for international calling; ${CALLER_ID_GUIDE}`,
    callerId: { types: TOLL_FREE_TYPES },
    destination: { relation: DestinationRelation.OTHER_COUNTRY },
    message: '{property} {number} is a {country} toll-free number and the destination {destination} is in {destinationCountry}; ' +
      'toll-free numbers cannot place international calls. Use a DID claimed by the instance as the caller ID',
  },
  {
    id: 'CALLER_ID_US_TOLL_FREE_TO_TOLL_FREE', severity: Severity.WARNING,
    trigger: 'A US toll-free caller ID on a call to a US toll-free destination.',
    fix: 'Use a US DID as the caller ID to call toll-free numbers.',
    source: `${CALLER_ID_GUIDE}: toll-free to toll-free calls may be filtered, blocked or misrouted by carriers`,
    callerId: { countries: ['US'], types: TOLL_FREE_TYPES },
    destination: { countries: ['US'], types: [PhoneNumberType.TOLL_FREE] },
    message: '{property} {number} is a US toll-free number calling the US toll-free number {destination}: carriers may filter, ' +
      'block or misroute such calls. Use a US DID as the caller ID to call toll-free numbers',
  },
  {
    id: 'CALLER_ID_EXTERNAL_NOT_SUPPORTED', severity: Severity.ERROR,
    trigger: `An approved external caller ID in a country without custom caller ID support (${NO_CUSTOM_CALLER_ID_COUNTRIES.join(', ')}).`,
    fix: 'Use a number claimed by the instance.',
    source: 'Published field test of the Transfer to phone number caller ID in Japan: Japan does not support custom caller ID',
    callerId: { origins: [NumberOrigin.APPROVED_EXTERNAL], countries: NO_CUSTOM_CALLER_ID_COUNTRIES },
    message: '{property} {number} is an external number in {country}, where Amazon Connect does not support custom caller IDs, ' +
      'approved or not. Use a number claimed by the instance',
  },
  {
    id: 'CALLER_ID_NAME_NO_CNAM', severity: Severity.WARNING,
    trigger: 'A queue caller ID name whose number is outside the CNAM area: not an Amazon Connect number of the 50 US states, ' +
      'Puerto Rico or the US Virgin Islands (Canadian numbers included).',
    fix: 'Use a US number for named calls, or acknowledge the warning if the name is meant for the few networks that pass it on.',
    source: `${CALLER_ID_GUIDE}: only numbers in the 50 US states, Puerto Rico and the Virgin Islands are eligible for CNAM`,
    contexts: [CallerIdContext.QUEUE],
    withCallerIdName: true,
    callerId: {},
    except: {
      countries: CNAM_COUNTRIES,
      types: [PhoneNumberType.DID, PhoneNumberType.TOLL_FREE],
      origins: [NumberOrigin.CLAIMED, NumberOrigin.UNVERIFIED],
    },
    message: '{nameProperty} "{name}" will rarely be shown: {property} {number} is {numberType} in {country}, and caller ID names ' +
      'are displayed through CNAM only for Amazon Connect numbers of the 50 US states, Puerto Rico and the US Virgin Islands ' +
      '(Canadian numbers cannot be enrolled). Use a US number, or acknowledge this warning',
  },
];

/** A caller ID use as the table sees it. */
export interface NumberRuleUse {
  readonly callerId: NumberFacts;
  readonly context: CallerIdContext;
  /** Label for messages, e.g. `callerId` or `CallerId.Number`. */
  readonly property: string;
  /**
   * The static destination of the call.
   * @default - unknown: rules about destinations do not apply
   */
  readonly destination?: NumberFacts;
  /**
   * The caller ID name set with the number.
   * @default - none
   */
  readonly callerIdName?: string;
  /**
   * Label of the name for messages.
   * @default 'callerIdName'
   */
  readonly callerIdNameProperty?: string;
}

/** Applies every row of the table to one caller ID use. */
export function judgeNumberRules(use: NumberRuleUse, rules: readonly CountryRule[] = COUNTRY_RULES): Finding[] {
  return aboutNumber(rules.filter((rule) => applies(rule, use)).map((rule) => finding(rule, render(rule.message, use))), use.callerId.number);
}

function applies(rule: CountryRule, use: NumberRuleUse): boolean {
  if (rule.contexts && !rule.contexts.includes(use.context)) return false;
  if (rule.withCallerIdName && use.callerIdName === undefined) return false;
  if (!matches(rule.callerId, use.callerId)) return false;
  if (rule.except && matches(rule.except, use.callerId)) return false;
  if (rule.destination) {
    if (!use.destination || !matches(rule.destination, use.destination)) return false;
    if (rule.destination.relation === DestinationRelation.OTHER_COUNTRY && !inOtherCountry(use.callerId, use.destination)) return false;
  }
  return true;
}

function matches(match: NumberMatch, facts: NumberFacts): boolean {
  if (match.countries && !(facts.country !== undefined && match.countries.includes(facts.country))) return false;
  if (match.prefixes) {
    const number = facts.number;
    if (number === undefined || !match.prefixes.some((p) => number.startsWith(p))) return false;
  }
  if (match.types && !(facts.type !== undefined && match.types.includes(facts.type))) return false;
  if (match.origins && !match.origins.includes(facts.origin)) return false;
  return true;
}

/** Whether two numbers are in different countries; unknown when either has none (e.g. UIFN), so false. */
function inOtherCountry(a: NumberFacts, b: NumberFacts): boolean {
  if (a.country === undefined || b.country === undefined) return false;
  return domesticArea(a.country) !== domesticArea(b.country);
}

function domesticArea(country: string): string {
  return DOMESTIC_AREAS.find((area) => area.includes(country))?.[0] ?? country;
}

function render(template: string, use: NumberRuleUse): string {
  const values: Record<string, string> = {
    property: use.property,
    number: use.callerId.number ?? 'the number claimed in this app',
    numberType: describeType(use.callerId),
    country: use.callerId.country ?? 'no country',
    destination: use.destination?.number ?? 'unknown',
    destinationCountry: use.destination?.country ?? 'no country',
    nameProperty: use.callerIdNameProperty ?? 'callerIdName',
    name: use.callerIdName ?? '',
  };
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

function describeType(facts: NumberFacts): string {
  if (facts.origin === NumberOrigin.APPROVED_EXTERNAL) return 'an external number (not provided by Amazon Connect)';
  if (facts.type === undefined) return 'a number of a type that is neither DID nor toll-free';
  return `a ${facts.type} number${facts.typeSource ? ` (per the ${facts.typeSource})` : ''}`;
}

/**
 * What is known about a valid E.164 number: country and type from the inventory entry when it has one, else
 * from the numbering plan. Undefined when the number is not valid E.164 (that is judged elsewhere).
 *
 * @param approvedExternal whether the number is declared as an approved external caller ID; a number the
 *   inventory holds is claimed all the same.
 */
export function numberFacts(number: string, inventory?: Inventory, approvedExternal = false): NumberFacts | undefined {
  const parsed = parseE164(number);
  if (!parsed.ok) return undefined;
  const entry = inventory?.get(number);
  const planType = number.startsWith(UIFN_PREFIX) ? PhoneNumberType.UIFN : parsed.kind && TYPE_BY_KIND[parsed.kind];
  const type = entry?.type ?? planType;
  return {
    number,
    country: entry?.countryCode ?? parsed.country,
    type,
    ...(type !== undefined ? { typeSource: entry ? NumberTypeSource.INVENTORY : NumberTypeSource.NUMBERING_PLAN } : {}),
    origin: entry ? NumberOrigin.CLAIMED : approvedExternal ? NumberOrigin.APPROVED_EXTERNAL : NumberOrigin.UNVERIFIED,
  };
}
