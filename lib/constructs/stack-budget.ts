import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { CfnContactFlow } from 'aws-cdk-lib/aws-connect';
import { IConstruct } from 'constructs';
import { formatFinding } from '../core/findings';
import { judgeStackBudget, RESOURCE_LIMIT, StackBudgetFacts, TEMPLATE_LIMIT_BYTES } from '../core/stack-limits';

const budgets = new WeakMap<Stack, StackBudget>();

/** Where the deploy-time check's constructs live: `ConnectCallerIdCheckProvider` and `ConnectCallerIdCheck<hash>`. */
const DEPLOY_TIME_CHECK_ID = /^ConnectCallerIdCheck/;

/** aws-cdk-lib's context key for a stack's resource limit (`Stack.maxResources`). */
const RESOURCE_LIMIT_CONTEXT = '@aws-cdk/core:stackResourceLimit';

/**
 * The stack budget: refuses a stack at synth, before its template is written, when the flows this library
 * generated cannot fit CloudFormation's template limit or the stack has more resources than CloudFormation
 * accepts. It measures the `Content` of the library's flows, each once, rather than the whole template: that
 * content is what grows with the inventory, and serializing a whole template costs as much as synthesizing it.
 */
export class StackBudget {
  /** The budget of `stack`, created (and its validation added) on first use. */
  public static of(stack: Stack): StackBudget {
    let budget = budgets.get(stack);
    if (!budget) {
      budget = new StackBudget(stack);
      budgets.set(stack, budget);
    }
    return budget;
  }

  private readonly flows: CfnContactFlow[] = [];

  private constructor(private readonly stack: Stack) {
    stack.node.addValidation({ validate: () => this.validate() });
  }

  /** Counts a flow generated or deployed by this library; its size is the `Content` as the template holds it (quotes escaped, UTF-8). */
  public addFlow(flow: CfnContactFlow): void {
    this.flows.push(flow);
  }

  private validate(): string[] {
    const stack = this.stack;
    const resources = countResources(stack);
    const limitContext = stack.node.tryGetContext(RESOURCE_LIMIT_CONTEXT);
    // Generated content is usually a literal string: only content holding tokens needs resolving.
    const contents = this.flows.map((flow) => ({
      flow, content: typeof flow.content === 'string' && !Token.isUnresolved(flow.content) ? flow.content : stack.resolve(flow.content) as unknown,
    }));
    const sizes = contents.map(({ content }) => Buffer.byteLength(JSON.stringify(content) ?? '', 'utf8'));
    // Reading each guard's size means parsing the flow: only worth it for the message of a stack that is refused.
    const refused = sizes.reduce((sum, n) => sum + n, 0) > TEMPLATE_LIMIT_BYTES;
    const facts: StackBudgetFacts = {
      stackPath: stack.node.path,
      flows: contents.map(({ flow, content }, i) => ({
        path: flow.node.scope?.node.path ?? flow.node.path, bytes: sizes[i], guardConditions: refused ? guardConditions(content) : 0,
      })),
      resources: resources.total,
      libraryResources: {
        'the flows it generates': this.flows.length,
        'the deploy-time check': resources.deployTimeCheck,
      },
      resourceLimit: limitContext !== undefined ? parseInt(String(limitContext), 10) : RESOURCE_LIMIT,
    };
    return judgeStackBudget(facts).map(formatFinding);
  }
}

/** Conditions of the flow's Compare actions: the call-time guard's size. Only literal content is read. */
function guardConditions(content: unknown): number {
  if (typeof content !== 'string') return 0;
  let doc: { Actions?: { Type?: string; Transitions?: { Conditions?: unknown[] } }[] };
  try {
    doc = JSON.parse(content);
  } catch {
    return 0;
  }
  return (doc.Actions ?? []).filter((a) => a.Type === 'Compare').reduce((sum, a) => sum + (a.Transitions?.Conditions?.length ?? 0), 0);
}

/**
 * The resources of `stack` (those whose `Stack.of` is the stack, so not those of stacks nested in it), and how
 * many of them are in the deploy-time check's constructs: in one walk of the tree, without a list of every
 * construct or of each resource's scopes.
 */
function countResources(stack: Stack): { total: number; deployTimeCheck: number } {
  let total = 0;
  let deployTimeCheck = 0;
  const pending: { construct: IConstruct; inCheck: boolean }[] = [
    { construct: stack, inCheck: stack.node.scopes.some((s) => DEPLOY_TIME_CHECK_ID.test(s.node.id)) },
  ];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { construct, inCheck } = next;
    if (CfnResource.isCfnResource(construct)) {
      total++;
      if (inCheck) deployTimeCheck++;
    }
    for (const child of construct.node.children) {
      if (Stack.isStack(child)) continue;
      pending.push({ construct: child, inCheck: inCheck || DEPLOY_TIME_CHECK_ID.test(child.node.id) });
    }
  }
  return { total, deployTimeCheck };
}
