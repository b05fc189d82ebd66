// How every generated flow becomes the `Content` of its AWS::Connect::ContactFlow.
import { Lazy, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CallerIdInputError } from '../core/errors';
import { BuiltFlow, FlowBuilder } from '../core/flow/builder';
import { FlowDocument } from '../core/flow/model';
import { FlowStructureRules } from '../core/flow/structure';
import { guardValues } from './call-time-guard';
import { CallerId } from './caller-id';
import { ClaimedNumbers } from './claimed-numbers';

/** Builds the flow and renders it as `Content`, tokens included; builder problems become an error naming the construct. */
export function renderFlow(scope: Construct, builder: FlowBuilder, guardSize = 0): string {
  let built: BuiltFlow;
  try {
    built = builder.buildContent();
  } catch (e) {
    if (!(e instanceof CallerIdInputError)) throw e;
    // A guard over a large inventory is what makes a generated flow too long; say how to narrow it.
    const hint = guardSize > 0 && e.message.includes(FlowStructureRules.CONTENT_TOO_LONG)
      ? `\nThe call-time guard compares the dynamic caller ID with ${guardSize} claimed numbers, one condition each; ` +
        'set allowedCallerIds to the numbers this caller ID can take.'
      : '';
    throw new Error(`${scope.node.path}: the generated flow is not valid: ${e.message}${hint}`);
  }
  return documentContent(scope, built.document, built.text);
}

/**
 * A built flow as `Content`: CloudFormation intrinsics only when it holds tokens (in-app claims, parameters, queues
 * of the app). `text` is the document serialized, when the caller has it already.
 */
export function documentContent(scope: Construct, doc: FlowDocument, text: string = JSON.stringify(doc)): string {
  return Token.isUnresolved(text) ? Stack.of(scope).toJsonString(doc) : text;
}

/**
 * The `Content` of a generated flow. With the default guard of a dynamic caller ID (every claimed number that can
 * place calls) it is produced at synth, so numbers claimed in the app after the flow was defined are in the guard
 * too; it is also built now, so a flow Connect would refuse fails where it is defined.
 */
export function flowContent(
  scope: Construct,
  build: (guardValues: readonly string[]) => FlowBuilder,
  guard?: { claimedNumbers: ClaimedNumbers; allowed?: readonly CallerId[]; values: readonly string[] },
): string {
  const values = guard?.values ?? [];
  const content = renderFlow(scope, build(values), values.length);
  if (!guard || guard.allowed !== undefined) return content;
  return Lazy.string({
    produce: () => {
      const final = guardValues(scope, guard.claimedNumbers, undefined);
      return final.length === values.length ? content : renderFlow(scope, build(final), final.length);
    },
  });
}
