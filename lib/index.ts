export * from './core/errors';
export * from './core/findings';
export * from './core/inventory';
export * from './core/e164';
export * from './core/rules';
export * from './core/flow/model';
export * from './core/flow/builder';
export * from './core/flow/reader';
export * from './core/flow/structure';
export * from './core/flow/check';
export * from './constructs/caller-id';
export * from './constructs/claimed-numbers';
export * from './constructs/outbound-queue';
export * from './constructs/outbound-whisper-flow';
export * from './constructs/transfer-to-phone-number-flow';
export { WARNING_ID_PREFIX } from './constructs/report';
export {
  CallProgressOutcome, DiallingModeKind, CampaignLimits, CampaignRules, campaignFlowFacts, checkCampaignFlow,
} from './core/campaign-rules';
export type { CampaignSettings, CampaignFlowFacts, VoicemailMessage } from './core/campaign-rules';
export * from './constructs/call-progress-flow';
export * from './constructs/outbound-campaign';
export * from './core/rule-definition';
export * from './core/country-rules';
export * from './core/catalogue';
export * from './core/checks-rules';
export * from './core/cfn-content';
export * from './constructs/caller-id-checks';
export * from './constructs/flow-file';
