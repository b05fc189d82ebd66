// The core as other languages see it (jsii): classes with static methods, enums and structs over the free
// functions, constants and string unions the rest of the core is written with.
import { ALL_RULES, findRule, renderRuleTable } from './catalogue';
import { parseE164 as parseE164Impl, isE164Shaped as isE164ShapedImpl } from './e164';
import { Finding, formatFinding, hasErrors as hasErrorsImpl } from './findings';
import { checkFlowExport } from './flow/check';
import { FlowContentStage } from './flow/check';
import { ContactFlowType } from './flow/model';
import { FLOW_MODULE, readFlowExport } from './flow/reader';
import { Inventory } from './inventory';
import { RuleDefinition } from './rule-definition';

/** How a phone number was refused. */
export enum NumberProblem {
  /** Not written in E.164. */
  NOT_E164 = 'not-e164',
  /** E.164 in shape but not a number that exists. */
  INVALID = 'invalid',
}

/** What `PhoneNumbers.parse` found. */
export interface PhoneNumberParse {
  /** Whether the value is strict E.164 and a valid number. */
  readonly valid: boolean;
  /** The E.164 form (identical to the input) when valid. @default - refused */
  readonly number?: string;
  /** ISO 3166-1 alpha-2 country, when the number belongs to one. @default - none */
  readonly country?: string;
  /** libphonenumber-js's number type (`MOBILE`, `FIXED_LINE`, ...), when known. @default - unknown */
  readonly kind?: string;
  /** Why it was refused. @default - valid */
  readonly problem?: NumberProblem;
  /** What is wrong, without the value itself. @default - valid */
  readonly reason?: string;
  /** The E.164 form that was probably meant, when it can be told. @default - none */
  readonly suggestion?: string;
}

/** Strict E.164 parsing, as every rule reads numbers. */
export class PhoneNumbers {
  /**
   * Parses a phone number strictly as E.164.
   * @param hintCountries countries to try when the value is written in a national format
   */
  public static parse(value: string, hintCountries?: string[]): PhoneNumberParse {
    const r = parseE164Impl(value, hintCountries ?? []);
    return r.ok
      ? { valid: true, number: r.number, country: r.country, kind: r.kind }
      : { valid: false, problem: r.problem as NumberProblem, reason: r.reason, suggestion: r.suggestion };
  }

  /** Whether `value` has the shape of E.164 (+, then 2 to 15 digits, no leading 0), valid or not. */
  public static isE164Shaped(value: string): boolean {
    return isE164ShapedImpl(value);
  }

  private constructor() {}
}

/** The rule catalogue. */
export class RuleCatalogue {
  /** Every rule, in the order the README lists them. */
  public static all(): RuleDefinition[] {
    return [...ALL_RULES];
  }

  /** The rule with this id. @returns undefined for an unknown id */
  public static find(id: string): RuleDefinition | undefined {
    return findRule(id);
  }

  /** The catalogue as a Markdown table. */
  public static renderTable(): string {
    return renderRuleTable();
  }

  private constructor() {}
}

/** Helpers over findings. */
export class Findings {
  /** `[RULE_ID] message (action id)`, on one line, with control characters escaped. */
  public static format(finding: Finding): string {
    return formatFinding(finding);
  }

  /** Whether any finding is an error. */
  public static hasErrors(findings: Finding[]): boolean {
    return hasErrorsImpl(findings);
  }

  private constructor() {}
}

/** Options of `FlowChecker.check`. */
export interface FlowCheckerOptions {
  /** The instance's claimed numbers. @default - claim checks are left to deploy time */
  readonly inventory?: Inventory;
  /** The type of a flow whose file states none and whose content shows none. @default - type rules do not run */
  readonly defaultType?: ContactFlowType;
  /**
   * Check a text that does not say what it is as a flow module (`CreateContactFlowModule`), which runs inside
   * whichever flows invoke it, so the rules that need a flow type do not run. Wins over `defaultType`.
   * @default false
   */
  readonly defaultFlowModule?: boolean;
  /** Numbers AWS Support approved as external caller IDs, each with its approval reference. @default - none */
  readonly approvedExternalNumbers?: Record<string, string>;
  /** Whether the file deploys as written or is rendered by a templating tool first. @default FlowContentStage.TEMPLATE */
  readonly stage?: FlowContentStage;
}

/** Rules that did not run on a flow, and why. */
export interface FlowRulesNotRun {
  /** The ids of the rules (`RuleId` values). */
  readonly ruleIds: string[];
  /** Why they did not run, e.g. that the flow's type is not known. */
  readonly reason: string;
}

/** What `FlowChecker.check` found. */
export interface FlowCheckerResult {
  /** What the rules found, errors and warnings. */
  readonly findings: Finding[];
  /** The type the flow was checked as. @default - unknown, or a flow module */
  readonly flowType?: ContactFlowType;
  /** Whether the text was checked as a flow module. */
  readonly flowModule: boolean;
  /** What tells the type, as a phrase. @default - nothing */
  readonly typeEvidence?: string;
  /** The rules that could not run on this flow (those that need its type, when it is not known). */
  readonly notRun: FlowRulesNotRun[];
}

/** Checks exported flows (raw content, DescribeContactFlow responses, `{Name, Type, Content}`) as `check` does. */
export class FlowChecker {
  /**
   * Reads flow JSON text and applies every flow rule.
   * @param source what to name the text in messages (a file name)
   * @throws an Error whose message says what is wrong and what is accepted, for text that is not a flow export
   *   (not JSON, duplicate keys, over the size bounds, not the flow language)
   */
  public static check(text: string, source: string, options?: FlowCheckerOptions): FlowCheckerResult {
    const o = options ?? {};
    const read = readFlowExport(text, source);
    const result = checkFlowExport(read, {
      ...(o.inventory ? { inventory: o.inventory } : {}),
      ...(o.defaultFlowModule ? { defaultType: FLOW_MODULE } : o.defaultType ? { defaultType: o.defaultType } : {}),
      ...(o.approvedExternalNumbers ? { approvedExternalNumbers: o.approvedExternalNumbers } : {}),
      ...(o.stage ? { stage: o.stage } : {}),
    });
    return {
      findings: result.findings,
      flowType: result.type === FLOW_MODULE ? undefined : result.type,
      flowModule: result.type === FLOW_MODULE,
      typeEvidence: result.typeEvidence,
      notRun: result.notRun.map((n) => ({ ruleIds: [...n.ruleIds], reason: n.reason })),
    };
  }

  private constructor() {}
}
