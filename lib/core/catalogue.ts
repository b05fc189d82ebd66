import { CampaignRules } from './campaign-rules';
import { ClaimRules } from './claim-rules';
import { ConnectArnRules } from './connect-arn';
import { CallerIdChecksRules } from './checks-rules';
import { COUNTRY_RULES } from './country-rules';
import { Severity } from './findings';
import { FlowRules } from './flow/check';
import { PublishRuleDefinitions } from './flow/publish-rules';
import { FlowStructureRuleDefinitions } from './flow/structure';
import { InventoryRules } from './inventory';
import { RuleDefinition } from './rule-definition';
import { CallerIdRules } from './rules';
import { StackLimitRules } from './stack-limits';


/**
 * Every rule of the library, in the order the README lists them: caller ID rules, country and number-type rules,
 * flow rules, flow-structure rules, the rules Connect applies when a flow is published, campaign rules, the rules
 * `CallerIdChecks` adds, the inventory rule, and the rules about claims, instance ARNs and stack limits.
 */
export const ALL_RULES: readonly RuleDefinition[] = [
  ...Object.values(CallerIdRules),
  ...COUNTRY_RULES,
  ...Object.values(FlowRules),
  ...Object.values(FlowStructureRuleDefinitions),
  ...PublishRuleDefinitions,
  ...Object.values(CampaignRules),
  ...Object.values(CallerIdChecksRules),
  ...Object.values(InventoryRules),
  ...Object.values(ClaimRules),
  ...Object.values(ConnectArnRules),
  ...Object.values(StackLimitRules),
];

/** The rule with this id, or undefined. */
export function findRule(id: string, rules: readonly RuleDefinition[] = ALL_RULES): RuleDefinition | undefined {
  return rules.find((r) => r.id === id);
}

/**
 * Why `id` cannot be acknowledged, or undefined when it can: only this library's warnings can be. A misspelt id
 * would otherwise acknowledge nothing, silently, and an error means the deployment or the call would fail.
 * The one answer for `CallerId.acknowledgeWarning` and `check`'s acknowledgements.
 */
export function acknowledgementProblem(id: string, rules: readonly RuleDefinition[] = ALL_RULES): string | undefined {
  const rule = findRule(id, rules);
  if (!rule) return `${JSON.stringify(id)} is not a rule id of this library; the rule table in the README lists them`;
  if (rule.severity !== Severity.WARNING) return `${id} is an error, and errors cannot be acknowledged; fix what it reports instead`;
  return undefined;
}

/** The rule catalogue as a Markdown table: id, severity, what triggers it, what to do, source. */
export function renderRuleTable(rules: readonly RuleDefinition[] = ALL_RULES): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    '| id | severity | what triggers it | what to do | source |',
    '| --- | --- | --- | --- | --- |',
    ...rules.map((r) => `| \`${r.id}\` | ${r.severity} | ${cell(r.trigger)} | ${cell(r.fix)} | ${cell(r.source)} |`),
  ];
  return `${lines.join('\n')}\n`;
}
