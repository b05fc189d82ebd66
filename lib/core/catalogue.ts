import { CampaignRules } from './campaign-rules';
import { ClaimRules } from './claim-rules';
import { ConnectArnRules } from './connect-arn';
import { CallerIdChecksRules } from './checks-rules';
import { COUNTRY_RULES } from './country-rules';
import { Severity } from './findings';
import { FlowRules } from './flow/check';
import { PublishRuleDefinitions } from './flow/publish-rules';
import { FlowStructureRules } from './flow/structure';
import { InventoryRules } from './inventory';
import { RuleDefinition } from './rule-definition';
import { CallerIdRules } from './rules';
import { StackLimitRules } from './stack-limits';

const FLOW_LANGUAGE = 'Connect flow language reference';
const CONNECT_SAVE = 'Connect refuses to save the flow';

function structure(id: string, trigger: string, fix: string, source: string): RuleDefinition {
  return { id, severity: Severity.ERROR, trigger, fix, source };
}

/** The flow-structure rules, described for the catalogue (their checks live in `flow/structure.ts`). */
export const FlowStructureRuleDefinitions: readonly RuleDefinition[] = [
  structure(FlowStructureRules.VERSION, 'A flow whose `Version` is not `2019-10-30`.',
    'Set `Version` to `2019-10-30`, the only flow-language version.', `${FLOW_LANGUAGE}; ${CONNECT_SAVE}`),
  structure(FlowStructureRules.START_ACTION, 'A flow with no actions, or whose `StartAction` names no action of the flow.',
    'Point `StartAction` at the first action.', `${FLOW_LANGUAGE}; ${CONNECT_SAVE}`),
  structure(FlowStructureRules.DUPLICATE_IDENTIFIER, 'Two actions with the same `Identifier`.',
    'Give each action its own identifier.', `${FLOW_LANGUAGE}; ${CONNECT_SAVE}`),
  structure(FlowStructureRules.INVALID_IDENTIFIER,
    'An action `Identifier` that is empty, over 50 characters, contains one of `% : ( \\ / ) = $ , ; [ ] { }` or is a reserved word.',
    'Use up to 50 letters, digits and dashes (console exports use UUIDs). Reserved: `__proto__`, `constructor`, `toString`, ' +
    '`valueOf`, `__defineGetter__`, `__defineSetter__`, `hasOwnProperty`, `isPrototypeOf`, `propertyIsEnumerable`, `toLocaleString`.',
    `${FLOW_LANGUAGE}; ${CONNECT_SAVE}`),
  structure(FlowStructureRules.DANGLING_TRANSITION, 'A transition whose `NextAction` is not an action of the flow.',
    'Point it at an action of the same flow.', `${FLOW_LANGUAGE}; ${CONNECT_SAVE}`),
  structure(FlowStructureRules.TOO_MANY_ACTIONS, 'A flow with more than 250 actions.',
    'Split it with Transfer to flow or flow modules.', `${FLOW_LANGUAGE}: at most 250 actions per flow`),
  structure(FlowStructureRules.CONTENT_TOO_LONG, 'Flow content over 256,000 characters.',
    'For a flow with a call-time guard, set `allowedCallerIds` to the numbers its dynamic caller ID can take; otherwise shorten prompts or split the flow with Transfer to flow.', 'CloudFormation `AWS::Connect::ContactFlow`: Content is at most 256,000 characters'),
  structure(FlowStructureRules.UNHANDLED_ERROR, 'A generated action without a branch for one of the errors Connect requires it to handle.',
    'Add the missing error branches.', `${FLOW_LANGUAGE}: the error types of each action`),
  structure(FlowStructureRules.TERMINAL_WITH_TRANSITIONS, 'A generated Disconnect or End flow action with transitions.',
    'Remove its transitions: terminal actions are written with `"Transitions": {}`.', FLOW_LANGUAGE),
];

/**
 * Every rule of the library, in the order the README lists them: caller ID rules, country and number-type rules,
 * flow rules, flow-structure rules, the rules Connect applies when a flow is published, campaign rules, the rules
 * `CallerIdChecks` adds, the inventory rule, and the rules about claims, instance ARNs and stack limits.
 */
export const ALL_RULES: readonly RuleDefinition[] = [
  ...Object.values(CallerIdRules),
  ...COUNTRY_RULES,
  ...Object.values(FlowRules),
  ...FlowStructureRuleDefinitions,
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
