import { CfnElement, Lazy } from 'aws-cdk-lib';

/**
 * Makes the logical id aws-cdk-lib gives `resource` computed once, when first resolved, instead of at every
 * resolution. aws-cdk-lib derives it from the construct path (an MD5 hash of it) each time a template, a reference,
 * a `DependsOn`, the tree metadata or the template validation resolves it: several times a resource, a measurable
 * share of the synth of an app with thousands of them. The id is the same one (`Stack.getLogicalId`, so a
 * `Stack.renameLogicalId` or an overridden `allocateLogicalId` applies); a later `overrideLogicalId` replaces it.
 */
export function computeLogicalIdOnce(resource: CfnElement): void {
  resource.overrideLogicalId(Lazy.string({ produce: () => resource.stack.getLogicalId(resource) }));
}
