/**
 * The bundled deploy-time check handler with no waits between listings, for tests whose numbers are missing on
 * purpose: what aws-cdk-lib's entry point calls when a test points `external.userHandlerIndex` here.
 */
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const bundle = require(path.join(__dirname, '..', '..', 'dist', 'handler', 'index.js'));

export const handler = bundle.createHandler({ missingNumberRetryDelaysMs: [] });
