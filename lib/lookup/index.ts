// `cdk-connect-caller-id/lookup`: the claimed-number lookup for Node.js tooling, as `connect-caller-id lookup`
// and the CDK CLI plugin run it. Not part of the jsii API (it is async and speaks the AWS SDK's types); it needs
// @aws-sdk/client-connect installed. Role assumption stays with the command and the plugin, so importing this
// does not load @aws-sdk/client-sts.
export { createConnectClient, DEFAULT_CALL_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS } from './connect-client';
export type { ConnectClientOptions } from './connect-client';
export { writeInventoriesToContextFile } from './context-file';
export type { ContextFileWriteOptions } from './context-file';
export { MAX_NUMBERS_PER_TARGET, listClaimedNumbers, listedNumbersToInventory } from './list-claimed-numbers';
export type { ListClaimedNumbersOptions, ListClaimedNumbersResult, LookedUpInventory } from './list-claimed-numbers';
export { LookupError } from './lookup-error';
export type { LookupFailureReason } from './lookup-error';
