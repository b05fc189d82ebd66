// The inventory's place in the CDK context, and the query the CDK CLI plugin answers. This module imports nothing:
// the plugin's entry loads it in every CDK CLI run, before any lookup is needed.

/** What every inventory's context key starts with; the target's ARN follows. */
const PREFIX = 'connect-caller-id:claimed-numbers:';

/**
 * The context key under which `ClaimedNumbers.fromLookup` finds the inventory of one target: an instance or a
 * traffic distribution group, one key each. `connect-caller-id lookup` and the CDK CLI plugin both write it.
 */
export function inventoryContextKey(targetArn: string): string {
  return `${PREFIX}${targetArn}`;
}

/**
 * The instance (or traffic distribution group) ARN of an inventory's `cdk.context.json` key, or undefined when
 * the key is not an inventory's (every other context key of a CDK app).
 */
export function parseInventoryContextKey(key: string): string | undefined {
  return key.startsWith(PREFIX) && key.length > PREFIX.length ? key.slice(PREFIX.length) : undefined;
}

/** The name the plugin (`cdk-connect-caller-id/plugin`) registers its context provider under: the query's `pluginName`. */
export const INVENTORY_PLUGIN_NAME = 'cdk-connect-caller-id:claimed-numbers';

/**
 * Set by the plugin in the CDK CLI's process, whose environment the app inherits. An app asks the CLI for a
 * missing inventory only when it is set: a query that no plugin answers stops the CLI with "Unrecognized plugin
 * context provider name", before the app's own message could say what to do.
 */
export const INVENTORY_PLUGIN_ENV = 'CDK_CONNECT_CALLER_ID_PLUGIN';

/**
 * The properties of the context query (`provider: 'plugin'`) for one target's inventory. `account` and `region`
 * are the target's, so the CDK CLI fills the stack synthesizer's lookup role ARN (`lookupRoleArn`, which
 * aws-cdk-lib adds to every query with `${AWS::AccountId}` and `${AWS::Region}` placeholders when the stack has no
 * environment) for the account and region that own it.
 */
export interface InventoryQuery {
  readonly pluginName: string;
  readonly targetArn: string;
  readonly account: string;
  readonly region: string;
}

/** Whether the plugin is loaded in the CDK CLI that runs this app. */
export function inventoryPluginLoaded(env: NodeJS.ProcessEnv = process.env): boolean {
  // The plugin sets its interface version; an empty value (a shell's `export VAR=`) is not the plugin.
  return (env[INVENTORY_PLUGIN_ENV] ?? '') !== '';
}
