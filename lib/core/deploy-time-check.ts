/** CloudFormation's limit on the whole response body of a custom resource. */
export const RESPONSE_LIMIT_BYTES = 4096;

/**
 * The most numbers one deploy-time check resource takes. Its response carries one phone-number ARN of about 90
 * bytes per number and must stay under `RESPONSE_LIMIT_BYTES`, so a stack's numbers are spread over as many
 * resources as needed.
 */
export const MAX_NUMBERS_PER_RESOURCE = 25;
