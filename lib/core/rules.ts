import { parseE164 } from './e164';
import { Finding, Severity } from './findings';
import { Inventory } from './inventory';

/** One rule of the catalogue: what the README's rule table and every finding are made from. */
export interface RuleDefinition {
  readonly id: string;
  readonly severity: Severity;
  /** What triggers the rule. */
  readonly trigger: string;
  /** What to do about it. */
  readonly fix: string;
  /** Where the behaviour the rule prevents is documented. */
  readonly source: string;
}

const SEED_000 = 'Field test of Transfer to phone number (seed 000)';
const CALLER_ID_GUIDE = 'Connect admin guide, "Set up outbound caller ID"';
const FLOW_LANGUAGE = 'Connect flow language reference';

function rule(id: string, severity: Severity, trigger: string, fix: string, source: string): RuleDefinition {
  return { id, severity, trigger, fix, source };
}

/** The caller ID rules. Ids are stable: they appear in messages and are what acknowledgements name. */
export const CallerIdRules = {
  NOT_E164: rule('CALLER_ID_NOT_E164', Severity.ERROR,
    'A caller ID number not written in E.164 (`03-6800-1234`, `+81 3 6800 1234`, `+4402071838750`, `ap-northeast-1`).',
    'Write it as + country code and national number, no spaces or trunk 0 (the message suggests the form).',
    `${SEED_000}: a non-number caller ID disconnects the transfer; ${CALLER_ID_GUIDE}: a non-E.164 dynamic value falls back to the queue's number`),
  INVALID_NUMBER: rule('CALLER_ID_INVALID_NUMBER', Severity.ERROR,
    'A caller ID in E.164 shape that is not a valid number (wrong length, unassigned range).',
    'Use the number exactly as claimed in the instance.',
    `${SEED_000}: the transfer fails and the call is disconnected`),
  NOT_CLAIMED: rule('CALLER_ID_NOT_CLAIMED', Severity.ERROR,
    'A caller ID number that is not claimed by (or ported to) the instance.',
    'Use one of the claimed numbers (the message lists the closest), claim the number, or refresh the inventory with `connect-caller-id lookup`.',
    `${SEED_000}: the transfer fails and the call is disconnected; ${CALLER_ID_GUIDE}: only claimed or ported numbers`),
  UNSET: rule('CALLER_ID_UNSET', Severity.ERROR,
    'A transfer to a phone number with no caller ID.',
    'Set a claimed number, or `CallerId.passThrough()` to pass the original caller\'s number on deliberately.',
    `${SEED_000}: the called party sees an anonymous call; carriers may drop it`),
  CUSTOMER_NUMBER: rule('CALLER_ID_CUSTOMER_NUMBER', Severity.ERROR,
    'A caller ID taken from `$.CustomerEndpoint.Address`: the customer\'s own number, never claimed by the instance.',
    'Use a claimed number, or `$.SystemEndpoint.Address` (the instance number the customer dialled).',
    `${SEED_000}: the transfer fails and the call is disconnected`),
  INVALID_REFERENCE: rule('CALLER_ID_INVALID_REFERENCE', Severity.ERROR,
    'A dynamic caller ID that is not one single JSONPath reference (e.g. text mixed with `$.Attributes.x`).',
    'Use exactly one reference such as `$.Attributes.callerId` or `$.External.callerId`.',
    `${FLOW_LANGUAGE}: CallerId.Number must be static or a single JSONPath`),
  QUEUE_UNSET: rule('QUEUE_CALLER_ID_UNSET', Severity.ERROR,
    'A queue used for outbound calls with no outbound caller ID number.',
    'Set the queue\'s caller ID number to a claimed number.',
    `${CALLER_ID_GUIDE}; seed 000: the queue saves, but outbound calls from it fail`),
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
} as const;

/** Where a caller ID is used; decides which rules apply and how messages read. */
export enum CallerIdContext {
  QUEUE = 'queue',
  OUTBOUND_WHISPER = 'outbound whisper flow',
  TRANSFER = 'transfer to phone number',
  CAMPAIGN = 'campaign',
}

export function finding(definition: RuleDefinition, message: string, actionId?: string): Finding {
  return { ruleId: definition.id, severity: definition.severity, message, ...(actionId ? { actionId } : {}) };
}

/** A static caller ID number and what is known about its use. */
export interface StaticCallerIdUse {
  readonly number: string;
  readonly context: CallerIdContext;
  /** The instance's claimed numbers; when undefined, claim checks are left to deploy time. */
  readonly inventory?: Inventory;
  /** Label for messages, e.g. `callerId` or `CallerId.Number`. */
  readonly property: string;
}

/** Judges a static caller ID: E.164, a real number, claimed by the instance. */
export function judgeStaticCallerId(use: StaticCallerIdUse): Finding[] {
  const hints = use.inventory ? inventoryCountries(use.inventory) : [];
  const parsed = parseE164(use.number, hints);
  if (!parsed.ok) {
    const definition = parsed.problem === 'not-e164' ? CallerIdRules.NOT_E164 : CallerIdRules.INVALID_NUMBER;
    const fix = parsed.suggestion
      ? `did you mean ${parsed.suggestion}?`
      : 'a caller ID is + country code and national number, e.g. +81368001234';
    return [finding(definition, `${use.property} ${JSON.stringify(use.number)} is refused: ${parsed.reason}; ${fix}`)];
  }
  if (use.inventory && !use.inventory.get(parsed.number)) {
    return [finding(CallerIdRules.NOT_CLAIMED, notClaimedMessage(use.property, parsed.number, use.inventory))];
  }
  return [];
}

function notClaimedMessage(property: string, number: string, inventory: Inventory): string {
  const closest = inventory.closest(number);
  const options = closest.length > 0 ? `closest claimed: ${closest.join(', ')}` : 'the inventory holds no numbers';
  return (
    `${property} ${number} is not claimed by ${inventory.instanceArn}; Connect would disconnect the call. ` +
    `Use a claimed number (${options}), claim it, or refresh the inventory with connect-caller-id lookup`
  );
}

/** Countries of the instance's numbers, most common first: the likeliest meaning of a national-format number. */
function inventoryCountries(inventory: Inventory): string[] {
  const counts = new Map<string, number>();
  for (const n of inventory.numbers) {
    const country = n.countryCode ?? countryOf(n.number);
    if (country) counts.set(country, (counts.get(country) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([c]) => c);
}

function countryOf(number: string): string | undefined {
  const parsed = parseE164(number);
  return parsed.ok ? parsed.country : undefined;
}

/** How a raw caller ID value in a flow reads: a static number, one JSONPath reference, or a mix (refused). */
export type CallerIdValueForm = 'static' | 'reference' | 'mixed';

const SINGLE_REFERENCE = /^\$\.[A-Za-z][A-Za-z0-9_]*(\.[^\s$.][^\s$]*|\[[^\]]+\])+$/;

export function callerIdValueForm(value: string): CallerIdValueForm {
  if (SINGLE_REFERENCE.test(value)) return 'reference';
  return value.includes('$.') ? 'mixed' : 'static';
}

/** Judges a dynamic caller ID reference (`$.Attributes.x`, `$.External.x`, `$.SystemEndpoint.Address`, ...). */
export function judgeCallerIdReference(reference: string, context: CallerIdContext, property: string): Finding[] {
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

/** Judges a static transfer destination. */
export function judgeStaticDestination(value: string, property: string): Finding[] {
  const parsed = parseE164(value);
  if (parsed.ok) return [];
  const fix = parsed.suggestion ? `did you mean ${parsed.suggestion}?` : 'e.g. +81368001234';
  return [finding(CallerIdRules.DESTINATION_NOT_E164, `${property} ${JSON.stringify(value)} is refused: ${parsed.reason}; ${fix}`)];
}
