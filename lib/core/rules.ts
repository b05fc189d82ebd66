import { judgeNumberRules, NumberFacts, numberFacts } from './country-rules';
import { parseE164 } from './e164';
import { aboutNumber, Finding, Severity } from './findings';
import { instanceCountry } from './instance-country';
import { Inventory } from './inventory';
import { CallerIdContext, finding, RuleDefinition } from './rule-definition';

export { CallerIdContext, finding } from './rule-definition';
export type { RuleDefinition } from './rule-definition';

function rule(id: string, severity: Severity, trigger: string, fix: string, source: string): RuleDefinition {
  return { id, severity, trigger, fix, source };
}

const FIELD_TEST = 'Published field test of the Transfer to phone number caller ID in Japan';
const TRANSFER_GUIDE = 'Connect admin guide, "Transfer to phone number"';
const QUEUE_GUIDE = 'Connect admin guide, queue setting "Outbound caller ID number"';
const CALLER_ID_GUIDE = 'Connect admin guide, "Set up outbound caller ID"';
const FLOW_LANGUAGE = 'Connect flow language reference';
const CNAM_GUIDE = CALLER_ID_GUIDE;

/** The caller ID rules. Ids are stable: they appear in messages and are what acknowledgements name. */
export const CallerIdRules = {
  NOT_E164: rule('CALLER_ID_NOT_E164', Severity.ERROR,
    'A caller ID number not written in E.164 (`03-6800-1234`, `+81 3 6800 1234`, `+4402071838750`, `ap-northeast-1`).',
    'Write it as + country code and national number, no spaces or trunk 0 (the message suggests the form).',
    `${FIELD_TEST}: a non-number caller ID disconnects the transfer; ${CALLER_ID_GUIDE}: a non-E.164 dynamic value falls back to the queue's number`),
  INVALID_NUMBER: rule('CALLER_ID_INVALID_NUMBER', Severity.ERROR,
    'A caller ID in E.164 shape that is not a valid number (wrong length, unassigned range).',
    'Use the number exactly as claimed in the instance.',
    `${FIELD_TEST}: the transfer fails and the call is disconnected`),
  NOT_CLAIMED: rule('CALLER_ID_NOT_CLAIMED', Severity.ERROR,
    'A caller ID number that is not claimed by (or ported to) the instance.',
    'Use one of the claimed numbers (the message lists the closest), claim the number, or refresh the inventory with `connect-caller-id lookup`. ' +
    'A number AWS Support approved as a caller ID is declared with `CallerId.fromApprovedExternalNumber` (`--approved-external` for `check`).',
    `${FIELD_TEST}: the transfer fails and the call is disconnected; ${CALLER_ID_GUIDE}: only claimed or ported numbers`),
  UNSET: rule('CALLER_ID_UNSET', Severity.ERROR,
    'A transfer to a phone number with no `CallerId.Number` where the called party gets an anonymous call or carriers block it: ' +
    'the instance (by its Region, else its numbers) or the static destination is in Japan, Australia or the United Kingdom. ' +
    'Also `CallerId.passThrough()` on an outbound whisper flow, where it means nothing.',
    'Set `CallerId.Number` to a claimed number (`callerId` in the constructs).',
    `${FIELD_TEST}: with no caller ID both a Connect number and a mobile line saw an anonymous call; ` +
    `${CALLER_ID_GUIDE}: in Australia a caller ID not provided by Amazon Connect may be rejected by carriers; ` +
    `${QUEUE_GUIDE}: in countries such as the UK and Australia calls without proper identification may be blocked`),
  PASS_THROUGH: rule('CALLER_ID_PASS_THROUGH', Severity.WARNING,
    'A transfer to a phone number with no `CallerId.Number` (`CallerId.Name` alone included) outside the countries of `CALLER_ID_UNSET`: ' +
    'Connect passes the original caller\'s number on.',
    'Set `CallerId.Number` to a claimed number, or acknowledge the warning when the called party should see the caller\'s number ' +
    '(`CallerId.passThrough()` in the constructs).',
    `${TRANSFER_GUIDE}: without a caller ID number the caller's number is passed; outside the US carriers may block or redirect ` +
    'numbers that are not Amazon Connect numbers; published US flows rely on pass-through'),
  CUSTOMER_NUMBER: rule('CALLER_ID_CUSTOMER_NUMBER', Severity.ERROR,
    'A caller ID taken from `$.CustomerEndpoint.Address`: the customer\'s own number, never claimed by the instance.',
    'Use a claimed number, or `$.SystemEndpoint.Address` (the instance number the customer dialled).',
    `${FIELD_TEST}: the transfer fails and the call is disconnected`),
  INVALID_REFERENCE: rule('CALLER_ID_INVALID_REFERENCE', Severity.ERROR,
    'A dynamic caller ID that is not one single JSONPath reference (e.g. text mixed with `$.Attributes.x`).',
    'Use exactly one reference such as `$.Attributes.callerId` or `$.External.callerId`.',
    `${FLOW_LANGUAGE}: CallerId.Number must be static or a single JSONPath`),
  QUEUE_UNSET: rule('QUEUE_CALLER_ID_UNSET', Severity.ERROR,
    'A queue used for outbound calls with no outbound caller ID number.',
    'Set the queue\'s caller ID number to a claimed number.',
    `${CALLER_ID_GUIDE}; ${FIELD_TEST}: the queue saves, but outbound calls from it fail`),
  QUEUE_ARN_UNKNOWN: rule('QUEUE_CALLER_ID_ARN_UNKNOWN', Severity.ERROR,
    'A queue caller ID number whose phone-number ARN is not known: no ARN in the inventory and the deploy-time check turned off.',
    'Turn the deploy-time check on (it resolves the ARN), or give the number its ARN in the inventory (`connect-caller-id lookup` records it).',
    'CloudFormation `AWS::Connect::Queue`: OutboundCallerIdNumberArn takes the phone-number ARN'),
  WHISPER_DYNAMIC_QUEUE_UNSET: rule('WHISPER_DYNAMIC_CALLER_ID_QUEUE_UNSET', Severity.ERROR,
    'An outbound whisper flow with a dynamic caller ID, used by a queue with no caller ID number.',
    'Give the queue a claimed caller ID number: Connect falls back to it when the dynamic value is not E.164.',
    `${CALLER_ID_GUIDE}: with no queue number to fall back on, the call attempt fails`),
  DESTINATION_NOT_E164: rule('DESTINATION_NOT_E164', Severity.ERROR,
    'A static transfer destination that is not a valid E.164 number.',
    'Write the destination as + country code and national number.',
    `${FLOW_LANGUAGE}: ThirdPartyPhoneNumber is an E.164 number`),
  DESTINATION_INVALID_REFERENCE: rule('DESTINATION_INVALID_REFERENCE', Severity.ERROR,
    'A dynamic transfer destination that is not one single JSONPath reference (e.g. text mixed with `$.Attributes.x`).',
    'Use exactly one reference such as `$.Attributes.destination`, or a static E.164 number.',
    `${FLOW_LANGUAGE}: ThirdPartyPhoneNumber is static or a single JSONPath`),
  DYNAMIC: rule('CALLER_ID_DYNAMIC', Severity.WARNING,
    'A caller ID taken from a reference (`$.Attributes.x`, `$.External.x`, ...): its claim, country and type are known only during the call. ' +
    'The message says what guards it.',
    'Check the value with a `Compare` against the claimed numbers before the call (the constructs generate one, with a fallback), ' +
    'then acknowledge the warning.',
    `${CALLER_ID_GUIDE}: a dynamic caller ID must be a claimed number in E.164; ${FIELD_TEST}: an unclaimed one fails the transfer`),
  NAME_TOO_LONG: rule('CALLER_ID_NAME_TOO_LONG', Severity.WARNING,
    'A caller ID name longer than 15 characters where CNAM applies (a queue).',
    'Shorten the name to 15 characters or fewer.',
    `${CNAM_GUIDE}; CNAM displays at most 15 characters`),
  NAME_RESERVED_CHARACTERS: rule('CALLER_ID_NAME_RESERVED_CHARACTERS', Severity.WARNING,
    'A caller ID name containing a reserved SIP character: `; / ? : @ & = + $ ,`.',
    'Remove those characters from the name.',
    `${FLOW_LANGUAGE}: reserved SIP characters should not appear in CallerId.Name (unverified in the English documentation)`),
  NAME_NOT_SHOWN: rule('CALLER_ID_NAME_NOT_SHOWN', Severity.WARNING,
    'A caller ID name where CNAM does not apply: `CallerId.Name` on a transfer, or a queue name whose outbound whisper flow sets its own caller ID.',
    'Expect the name not to be shown; remove it, or acknowledge the warning.',
    `${CNAM_GUIDE}: CNAM is not supported for custom caller IDs, third-party numbers or whisper flow transfers`),
} as const;

/** A static caller ID number and what is known about its use. */
export interface StaticCallerIdUse {
  readonly number: string;
  readonly context: CallerIdContext;
  /** The instance's claimed numbers; when undefined, claim checks are left to deploy time. */
  readonly inventory?: Inventory;
  /** Label for messages, e.g. `callerId` or `CallerId.Number`. */
  readonly property: string;
  /**
   * The static E.164 destination of the call, for the rules about where a caller ID may call.
   * @default - unknown: destination rules do not apply
   */
  readonly destination?: string;
  /**
   * The caller ID name presented with the number.
   * @default - none
   */
  readonly callerIdName?: string;
  /**
   * Label of the name for messages.
   * @default 'callerIdName'
   */
  readonly callerIdNameProperty?: string;
  /**
   * Declares the number an external caller ID approved by AWS Support: it need not be claimed, but the country
   * rules still apply.
   * @default - the number must be claimed
   */
  readonly approvedExternal?: { readonly approvalReference: string };
}

/**
 * Judges a static caller ID: E.164, a real number, claimed by the instance (or approved), then the country and
 * number-type rules and, when a name goes with it, the caller ID name rules.
 */
export function judgeStaticCallerId(use: StaticCallerIdUse): Finding[] {
  // The name's own rules do not depend on the number, so they are reported even when the number is refused.
  const nameOnly = (): Finding[] => use.callerIdName === undefined
    ? []
    : judgeCallerIdName({ name: use.callerIdName, context: use.context, property: use.callerIdNameProperty });
  // The instance's own countries are the likeliest reading of a number written in national format.
  const hints = use.inventory?.countries ?? [];
  const parsed = parseE164(use.number, hints);
  if (!parsed.ok) {
    const definition = parsed.problem === 'not-e164' ? CallerIdRules.NOT_E164 : CallerIdRules.INVALID_NUMBER;
    const fix = parsed.suggestion
      ? `did you mean ${parsed.suggestion}?`
      : 'a caller ID is + country code and national number, e.g. +81368001234';
    return aboutNumber([finding(definition, `${use.property} ${JSON.stringify(use.number)} is refused: ${parsed.reason}; ${fix}`), ...nameOnly()], use.number);
  }
  if (use.inventory && !use.inventory.get(parsed.number) && !use.approvedExternal) {
    return aboutNumber([finding(CallerIdRules.NOT_CLAIMED, notClaimedMessage(use.property, parsed.number, use.inventory)), ...nameOnly()], parsed.number);
  }
  return judgeCallerIdFacts({
    callerId: numberFacts(parsed.number, use.inventory, use.approvedExternal !== undefined)!,
    context: use.context,
    property: use.property,
    destination: use.destination,
    inventory: use.inventory,
    callerIdName: use.callerIdName,
    callerIdNameProperty: use.callerIdNameProperty,
  });
}

/** A caller ID whose facts are known without its number (e.g. a number claimed in the app), and its use. */
export interface CallerIdFactsUse {
  readonly callerId: NumberFacts;
  readonly context: CallerIdContext;
  readonly property: string;
  /**
   * The static E.164 destination of the call.
   * @default - unknown: destination rules do not apply
   */
  readonly destination?: string;
  /**
   * The instance's claimed numbers, to type a destination that is one of them.
   * @default - destinations are typed by the numbering plan
   */
  readonly inventory?: Inventory;
  /**
   * The caller ID name presented with the number.
   * @default - none
   */
  readonly callerIdName?: string;
  /**
   * Label of the name for messages.
   * @default 'callerIdName'
   */
  readonly callerIdNameProperty?: string;
}

/** Applies the country and number-type rules and the caller ID name rules to what is known of a caller ID. */
export function judgeCallerIdFacts(use: CallerIdFactsUse): Finding[] {
  const destination = use.destination !== undefined ? numberFacts(use.destination, use.inventory) : undefined;
  const findings = judgeNumberRules({
    callerId: use.callerId,
    context: use.context,
    property: use.property,
    ...(destination ? { destination } : {}),
    ...(use.callerIdName !== undefined ? { callerIdName: use.callerIdName } : {}),
    ...(use.callerIdNameProperty !== undefined ? { callerIdNameProperty: use.callerIdNameProperty } : {}),
  });
  if (use.callerIdName !== undefined) {
    for (const f of judgeCallerIdName({ name: use.callerIdName, context: use.context, property: use.callerIdNameProperty })) findings.push(f);
  }
  return aboutNumber(findings, use.callerId.number);
}

/** The most characters of a caller ID name CNAM displays. */
export const MAX_CALLER_ID_NAME_LENGTH = 15;

/** Characters with a meaning of their own in SIP headers, where the caller ID name travels. */
export const RESERVED_SIP_CHARACTERS: readonly string[] = [';', '/', '?', ':', '@', '&', '=', '+', '$', ','];


/** A caller ID name and where it is used. */
export interface CallerIdNameUse {
  readonly name: string;
  readonly context: CallerIdContext;
  /**
   * Label for messages.
   * @default 'callerIdName'
   */
  readonly property?: string;
  /**
   * What replaces the number the name goes with on every call, e.g. an outbound whisper flow that sets its own
   * caller ID: CNAM does not apply to such caller IDs, so the name is not shown.
   * @default - nothing replaces it
   */
  readonly replacedBy?: string;
}

/**
 * The rules about the name itself: where it is not shown at all, its length where CNAM shows it, and SIP's
 * reserved characters. References inside a flow's name (`$.Attributes.x`) are not judged: their text is
 * known only during the call.
 */
export function judgeCallerIdName(use: CallerIdNameUse): Finding[] {
  const property = use.property ?? 'callerIdName';
  const shown = JSON.stringify(use.name);
  const findings: Finding[] = [];
  const cnamApplies = use.context !== CallerIdContext.TRANSFER && use.replacedBy === undefined;
  if (use.context === CallerIdContext.TRANSFER) {
    findings.push(finding(CallerIdRules.NAME_NOT_SHOWN,
      `${property} ${shown} is set on a transfer: CNAM does not apply to caller IDs set in a flow, so the called party may see ` +
      'this name, the name registered for the number, or none. Remove it, or acknowledge this warning'));
  } else if (use.replacedBy !== undefined) {
    findings.push(finding(CallerIdRules.NAME_NOT_SHOWN,
      `${property} ${shown} goes with the queue's number, but ${use.replacedBy} sets its own caller ID and CNAM does not apply ` +
      'to caller IDs set in a flow, so the name is not shown on those calls. Remove it, or acknowledge this warning'));
  }
  const { text, hasReferences } = withoutReferences(use.name);
  const length = [...text].length;
  if (cnamApplies && !hasReferences && length > MAX_CALLER_ID_NAME_LENGTH) {
    findings.push(finding(CallerIdRules.NAME_TOO_LONG,
      `${property} ${shown} is ${length} characters; CNAM displays at most ${MAX_CALLER_ID_NAME_LENGTH}, so called parties see ` +
      `${JSON.stringify([...text].slice(0, MAX_CALLER_ID_NAME_LENGTH).join(''))}. Shorten it to ${MAX_CALLER_ID_NAME_LENGTH} characters or fewer`));
  }
  const reserved = RESERVED_SIP_CHARACTERS.filter((c) => text.includes(c));
  if (reserved.length > 0) {
    findings.push(finding(CallerIdRules.NAME_RESERVED_CHARACTERS,
      `${property} ${shown} contains ${reserved.map((c) => `"${c}"`).join(', ')}, reserved in SIP headers where the name travels; ` +
      'carriers may garble or drop the name. Remove them'));
  }
  return findings;
}

/**
 * The text of a caller ID name without the references inside it (`$.` and a namespace, then `.name` or
 * `[key]` segments), in one pass: where a `[` has no `]` after it, no later one has either.
 */
export function withoutReferences(name: string): { text: string; hasReferences: boolean } {
  let text = '';
  let hasReferences = false;
  let copied = 0;
  let nextClose = -2;
  for (let start = name.indexOf('$.'); start >= 0; start = name.indexOf('$.', start + 1)) {
    let i = start + 2;
    if (i >= name.length || !isLetter(name.charCodeAt(i))) continue;
    while (i < name.length && isNameCharacter(name.charCodeAt(i))) i++;
    let segments = 0;
    for (;;) {
      if (name[i] === '.' && i + 1 < name.length && isSegmentCharacter(name.charCodeAt(i + 1))) {
        i += 2;
        while (i < name.length && isSegmentCharacter(name.charCodeAt(i))) i++;
      } else if (name[i] === '[') {
        if (nextClose !== -1 && nextClose <= i) nextClose = name.indexOf(']', i + 1);
        if (nextClose < 0 || nextClose === i + 1) break;
        i = nextClose + 1;
      } else {
        break;
      }
      segments++;
    }
    if (segments === 0) continue;
    hasReferences = true;
    text += name.slice(copied, start);
    copied = i;
    start = i - 1;
  }
  return { text: text + name.slice(copied), hasReferences };
}

function isLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function isNameCharacter(code: number): boolean {
  return isLetter(code) || (code >= 0x30 && code <= 0x39) || code === 0x5f;
}

function isSegmentCharacter(code: number): boolean {
  return isNameCharacter(code) || code === 0x2d;
}

function notClaimedMessage(property: string, number: string, inventory: Inventory): string {
  const closest = inventory.closest(number);
  const options = closest.length > 0 ? `closest claimed: ${closest.join(', ')}` : 'the inventory holds no numbers';
  return (
    `${property} ${number} is not claimed by ${inventory.owner}; Connect would disconnect the call. ` +
    `Use a claimed number (${options}), claim it, or refresh the inventory with connect-caller-id lookup`
  );
}


/** How a raw caller ID value in a flow reads: a static number, one JSONPath reference, or a mix (refused). */
export type CallerIdValueForm = 'static' | 'reference' | 'mixed';

/**
 * One JSONPath reference: `$.` and a namespace, then one or more `.name` (no dot, bracket, `$` or whitespace
 * in the name) or `[key]` segments. No two alternatives can match the same text, so a failing match is given
 * up after one pass: the time is linear in the value's length, however it is built.
 */
const SINGLE_REFERENCE = /^\$\.[A-Za-z][A-Za-z0-9_]*(?:\.[^\s$.[\]]+|\[[^\]]+\])+$/;

export function callerIdValueForm(value: string): CallerIdValueForm {
  if (SINGLE_REFERENCE.test(value)) return 'reference';
  return value.includes('$.') ? 'mixed' : 'static';
}

/**
 * The first template placeholder in a value, `${name}`, `{{name}}` or `%NAME%`, that a deployment tool
 * (CloudFormation `Fn::Sub`, Terraform `templatefile`, mustache) replaces before the flow reaches Connect;
 * undefined when there is none. Linear in the value's length.
 */
export function templatePlaceholderIn(value: string): string | undefined {
  const dollar = value.indexOf('${');
  const dollarEnd = dollar < 0 ? -1 : value.indexOf('}', dollar + 2);
  if (dollarEnd >= 0) return value.slice(dollar, dollarEnd + 1);
  const braces = value.indexOf('{{');
  const bracesEnd = braces < 0 ? -1 : value.indexOf('}}', braces + 2);
  if (bracesEnd >= 0) return value.slice(braces, bracesEnd + 2);
  // `%NAME%`: each character is looked at once, since a name never holds the `%` the next search starts from.
  for (let open = value.indexOf('%'); open >= 0;) {
    let end = open + 1;
    while (end < value.length && isPlaceholderNameCharacter(value.charCodeAt(end))) end++;
    if (end > open + 1 && value[end] === '%') return value.slice(open, end + 1);
    open = value.indexOf('%', end);
  }
  return undefined;
}

function isPlaceholderNameCharacter(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)
    || code === 0x5f || code === 0x2e || code === 0x2d;
}

/** Judges a dynamic caller ID reference (`$.Attributes.x`, `$.External.x`, `$.SystemEndpoint.Address`, ...). */
export function judgeCallerIdReference(reference: string, context: CallerIdContext, property: string): Finding[] {
  return aboutNumber(referenceFindings(reference, context, property), reference);
}

function referenceFindings(reference: string, context: CallerIdContext, property: string): Finding[] {
  if (callerIdValueForm(reference) !== 'reference') {
    return [finding(CallerIdRules.INVALID_REFERENCE,
      `${property} ${JSON.stringify(reference)} is not a single JSONPath reference; ` +
      'use exactly one reference such as $.Attributes.callerId or $.External.callerId, or a static E.164 number')];
  }
  if (reference === '$.CustomerEndpoint.Address') {
    const whose = context === CallerIdContext.OUTBOUND_WHISPER ? 'the number the agent dialled' : "the caller's own number";
    return [finding(CallerIdRules.CUSTOMER_NUMBER,
      `${property} $.CustomerEndpoint.Address is ${whose}, which the instance does not own; Connect would fail the call. ` +
      'Use a claimed number, or $.SystemEndpoint.Address (the instance number the customer dialled)')];
  }
  return [];
}

/** Judges a raw caller ID value as found in a flow: static numbers and references each by their own rules. */
export function judgeCallerIdValue(use: StaticCallerIdUse): Finding[] {
  return callerIdValueForm(use.number) === 'static'
    ? judgeStaticCallerId(use)
    : judgeCallerIdReference(use.number, use.context, use.property);
}

/** References that always hold one of the instance's own numbers: which one is still known only during the call. */
const INSTANCE_NUMBER_REFERENCES: Readonly<Record<string, string>> = {
  '$.SystemEndpoint.Address': 'the instance number the customer dialled',
  '$.Queue.OutboundCallerId.Address': "the queue's outbound caller ID number",
};

/**
 * Judges a dynamic caller ID: the reference's own rules, then the warning that its value cannot be judged
 * before the call.
 *
 * @param guard what checks the value during the call, as a sentence (e.g. the generated `Compare` and its
 *   fallback); undefined when nothing is known to guard it.
 */
export function judgeDynamicCallerId(reference: string, context: CallerIdContext, property: string, guard?: string): Finding[] {
  const refused = judgeCallerIdReference(reference, context, property);
  if (refused.length > 0) return refused;
  const holds = INSTANCE_NUMBER_REFERENCES[reference];
  const guarded = guard
    ?? (holds
      ? `It always holds ${holds}, a claimed number, but which one (and so its country and number-type rules) is known only during the call`
      : 'Nothing guards it: an unclaimed value fails the call. Check it first with a Compare against the claimed numbers');
  return aboutNumber([finding(CallerIdRules.DYNAMIC,
    `${property} ${reference} is known only during the call, so its claim, country and type cannot be judged before deployment. ${guarded}`)], reference);
}

/**
 * Countries where a transfer without a caller ID number is known to reach the called party as an anonymous call
 * or to be blocked, with what is known (the sources of `CALLER_ID_UNSET`).
 */
export const UNSET_CALLER_ID_COUNTRIES: ReadonlyMap<string, string> = new Map([
  ['JP', 'in Japan the called party sees an anonymous call (a field test saw it both on a Connect number and on a mobile line)'],
  ['AU', "in Australia carriers may reject a call whose caller ID is not a number provided by Amazon Connect, as the passed-on caller's number is not"],
  ['GB', 'in the UK carriers may block calls without proper caller identification'],
]);

/** A transfer that sets no caller ID number, and what is known about where it calls from and to. */
export interface UnsetCallerIdUse {
  /** The instance's claimed numbers: its ARN tells its Region, the numbers their countries. */
  readonly inventory?: Inventory;
  /**
   * The static E.164 destination of the transfer.
   * @default - unknown
   */
  readonly destination?: string;
  /** What sets no caller ID, for messages, e.g. `Transfer to phone number sets no CallerId.Number`. */
  readonly subject: string;
}

/**
 * Judges a transfer without a caller ID number. Connect then passes the original caller's number on, which many
 * US flows rely on: a warning naming that effect. Where the instance or the destination is in a country where
 * such a call is known to show as anonymous or to be blocked, an error.
 */
export function judgeUnsetTransferCallerId(use: UnsetCallerIdUse): Finding[] {
  const instance = use.inventory ? instanceCountry(use.inventory) : undefined;
  const parsedDestination = use.destination !== undefined ? parseE164(use.destination) : undefined;
  const destinationCountry = parsedDestination?.ok ? parsedDestination.country : undefined;
  const where = [
    ...(instance && UNSET_CALLER_ID_COUNTRIES.has(instance.country)
      ? [{ country: instance.country, what: `the instance is in ${instance.country} (${instance.because})` }] : []),
    ...(destinationCountry !== undefined && UNSET_CALLER_ID_COUNTRIES.has(destinationCountry) && destinationCountry !== instance?.country
      ? [{ country: destinationCountry, what: `the destination ${use.destination} is in ${destinationCountry}` }] : []),
  ];
  if (where.length > 0) {
    const evidence = where.map((w) => UNSET_CALLER_ID_COUNTRIES.get(w.country)).join('; ');
    return [finding(CallerIdRules.UNSET,
      `${use.subject}, so Connect would pass the original caller's number on, but ${where.map((w) => w.what).join(' and ')}: ` +
      `${evidence}. Set CallerId.Number to a claimed number`)];
  }
  const known = instance ? ` (the instance is in ${instance.country}, ${instance.because})` : '';
  return [finding(CallerIdRules.PASS_THROUGH,
    `${use.subject}, so Connect passes the original caller's number on to the called party (pass-through)${known}. ` +
    'Outside the US carriers may block or redirect numbers that are not the instance\'s. Set CallerId.Number to a claimed number, ' +
    'or acknowledge this warning if the called party should see the caller\'s number')];
}

/** Judges a transfer destination: a static number must be valid E.164, a reference must be a single one. */
export function judgeDestination(value: string, property: string): Finding[] {
  switch (callerIdValueForm(value)) {
    case 'static': return judgeStaticDestination(value, property);
    case 'reference': return [];
    default: return aboutNumber([finding(CallerIdRules.DESTINATION_INVALID_REFERENCE,
      `${property} ${JSON.stringify(value)} is not a single JSONPath reference; use exactly one reference such as ` +
      '$.Attributes.destination, or a static E.164 number')], value);
  }
}

export function judgeStaticDestination(value: string, property: string): Finding[] {
  const parsed = parseE164(value);
  if (parsed.ok) return [];
  const fix = parsed.suggestion ? `did you mean ${parsed.suggestion}?` : 'e.g. +81368001234';
  return aboutNumber([finding(CallerIdRules.DESTINATION_NOT_E164, `${property} ${JSON.stringify(value)} is refused: ${parsed.reason}; ${fix}`)], value);
}
