import { ClaimedNumber, PhoneNumberType } from '../lib/core/inventory';

/**
 * The benchmarked instance and its numbers. Plain data from the core only, so a benchmark of `check` (which never
 * loads aws-cdk-lib) can use them without loading aws-cdk-lib into its process.
 */
export const INSTANCE_ARN = 'arn:aws:connect:ap-northeast-1:123456789012:instance/0f3c7a52-6d1e-4b8a-9c57-1e2f3a4b5c6d';

/** `count` claimed Japanese 050 DIDs with their phone-number ARNs. */
export function claimedNumbers(count: number): ClaimedNumber[] {
  return Array.from({ length: count }, (_, i) => ({
    number: `+8150${10_000_000 + i}`,
    type: PhoneNumberType.DID,
    countryCode: 'JP',
    arn: `arn:aws:connect:ap-northeast-1:123456789012:phone-number/5e1f0000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
  }));
}
