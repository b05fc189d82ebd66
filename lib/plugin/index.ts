/**
 * The CDK CLI plugin: `"plugin": ["cdk-connect-caller-id/plugin"]` in `cdk.json` makes `cdk synth` fill a missing
 * claimed-number inventory of `ClaimedNumbers.fromLookup` itself, as aws-cdk-lib's own lookups are filled, so
 * `cdk context --reset <key>` refreshes it.
 *
 * It uses the CDK CLI's `registerContextProviderAlpha`, which the CLI documents as experimental: its contract
 * can change in any CLI release. Nothing else of the CLI is used, so a CLI without it gets a clear error here.
 */
import { INVENTORY_PLUGIN_ENV, INVENTORY_PLUGIN_NAME } from '../core/context-key';

/** The CDK CLI's plugin interface version this module implements (the CLI loads only version '1'). */
export const version = '1';

/** A context provider as the CDK CLI calls it: the query's properties in, the value to store under its key out. */
export interface ContextProviderPlugin {
  getValue(args: Record<string, unknown>): Promise<unknown>;
}

/**
 * What this plugin uses of the CDK CLI's plugin host (aws-cdk's `PluginHost`). `@aws-cdk/cli-plugin-contract`
 * describes only credential sources, so the method is declared here, optional, as older CLIs lack it.
 */
export interface ContextProviderPluginHost {
  registerContextProviderAlpha?(pluginProviderName: string, provider: ContextProviderPlugin): void;
}

/** Called by the CDK CLI once, when it loads the plugin. */
export function init(host: ContextProviderPluginHost): void {
  if (typeof host?.registerContextProviderAlpha !== 'function') {
    throw new Error('cdk-connect-caller-id/plugin needs a CDK CLI that lets plugins register context providers ' +
      '(registerContextProviderAlpha; aws-cdk 2.1148 is tested). Upgrade the aws-cdk package, or remove the plugin from ' +
      'cdk.json and fill the inventory with npx connect-caller-id lookup.');
  }
  host.registerContextProviderAlpha(INVENTORY_PLUGIN_NAME, { getValue: provide });
  // The CLI runs the app as a child process with its own environment: this is how the app knows to ask.
  process.env[INVENTORY_PLUGIN_ENV] = version;
}

/**
 * Loads the lookup only when a query comes: the plugin is loaded by every CDK CLI command, and the Connect SDK
 * is not a dependency of the package: users of the plugin install it.
 */
async function provide(args: Record<string, unknown>): Promise<unknown> {
  // As `connect-caller-id lookup` does: the package supports Node.js 20 (`engines`) with the SDK it installs, and
  // the CLI has already printed this warning for its own SDK; a value the user set is kept.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let provider: typeof import('./provider');
  try {
    provider = await import('./provider');
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && /'@aws-sdk\/client-(connect|sts)'/.test(String((e as Error).message));
    if (!missing) throw e;
    throw new Error('cdk-connect-caller-id/plugin lists claimed numbers with @aws-sdk/client-connect and @aws-sdk/client-sts, which are not ' +
      'installed. Install them next to cdk-connect-caller-id (npm install --save-dev @aws-sdk/client-connect @aws-sdk/client-sts).', { cause: e });
  }
  return provider.provideInventory(args);
}
