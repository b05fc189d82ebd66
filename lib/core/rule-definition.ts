import { Finding, Severity } from './findings';

// The pieces every rule module shares. They live apart from `rules.ts` so that the country-rule table can use
// them while `rules.ts` uses the table, without a circular import.

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

/** Where a caller ID is used; decides which rules apply and how messages read. */
export enum CallerIdContext {
  QUEUE = 'queue',
  OUTBOUND_WHISPER = 'outbound whisper flow',
  TRANSFER = 'transfer to phone number',
  CAMPAIGN = 'campaign',
}

export function finding(definition: RuleDefinition, message: string, actionId?: string): Finding {
  return { ruleId: definition.id, severity: definition.severity, message, ...(actionId !== undefined ? { actionId } : {}) };
}
