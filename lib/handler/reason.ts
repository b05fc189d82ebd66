/**
 * The failure reason CloudFormation shows, made to fit its 4096-byte response.
 *
 * What reaches CloudFormation when the handler throws (facts of the code that runs, pinned by
 * test/handler-reason.test.ts): aws-cdk-lib's Node.js custom resource entry point
 * (custom-resource-handlers/dist/core/nodejs-entrypoint-handler, bundled as `__entrypoint__.js`) catches the
 * error, makes the reason the error's `stack`, and PUTs `{ Status, Reason, StackId, RequestId,
 * PhysicalResourceId, LogicalResourceId }` to CloudFormation, which refuses a body over 4096 bytes. So the error's
 * stack is its message and nothing else (no trace), and the message is cut to what the rest of that body
 * leaves, computed from the event itself.
 */
import { RESPONSE_LIMIT_BYTES } from '../core/deploy-time-check';

/** The parts of the event that travel back in the response. */
export interface ResponseFields {
  readonly StackId?: string;
  readonly RequestId?: string;
  readonly PhysicalResourceId?: string;
  readonly LogicalResourceId?: string;
}

/** The physical id the entry point answers a failed Create with (it then ignores the Delete that follows). */
const CREATE_FAILED_PHYSICAL_ID = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';
/** The longest values CloudFormation sends, for fields an event lacks. */
const LONGEST_STACK_ID = `arn:aws-us-gov:cloudformation:us-gov-west-1:123456789012:stack/${'s'.repeat(128)}/${'0'.repeat(36)}`;
const LONGEST_LOGICAL_ID = 'L'.repeat(255);
/** Bytes kept free in case the entry point adds a field. */
const MARGIN_BYTES = 128;

/** The bytes `text` takes inside a JSON string. */
export function jsonBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text)) - 2;
}

/** The most bytes (as JSON) an error message may take so that the entry point's FAILED response fits. */
export function reasonBudget(event: ResponseFields): number {
  const skeleton = JSON.stringify({
    Status: 'FAILED',
    Reason: '',
    StackId: event.StackId ?? LONGEST_STACK_ID,
    RequestId: event.RequestId ?? '0'.repeat(36),
    PhysicalResourceId: event.PhysicalResourceId || CREATE_FAILED_PHYSICAL_ID,
    LogicalResourceId: event.LogicalResourceId ?? LONGEST_LOGICAL_ID,
  });
  return RESPONSE_LIMIT_BYTES - Buffer.byteLength(skeleton) - MARGIN_BYTES;
}

/** A message for the CloudFormation console: a head, as many items as fit, and the closing text. */
export interface ReasonParts {
  readonly head: string;
  readonly items: readonly string[];
  /** What follows the items: where the full list is, then what to do. */
  readonly tail: string;
}

/**
 * `head`, then the items that fit, `and N more` for the rest, then `tail`, within `budget` JSON bytes. The tail
 * is cut before the head is, and the head only when nothing else is left.
 */
export function fitReason(parts: ReasonParts, budget: number): string {
  const moreLine = (n: number) => `  - and ${n} more`;
  const fixed = jsonBytes(`${parts.head}\n`) + jsonBytes(`\n${parts.tail}`);
  let room = budget - fixed - (parts.items.length > 0 ? jsonBytes(`\n${moreLine(parts.items.length)}`) : 0);
  const kept: string[] = [];
  for (const item of parts.items) {
    const size = jsonBytes(`\n${item}`);
    if (size > room) break;
    kept.push(item);
    room -= size;
  }
  const more = parts.items.length - kept.length;
  const lines = [parts.head, ...kept, ...(more > 0 ? [moreLine(more)] : []), parts.tail];
  return truncateJsonBytes(lines.join('\n'), budget);
}

/** `text` cut to at most `max` JSON bytes, ending with `...` when cut. */
export function truncateJsonBytes(text: string, max: number): string {
  if (jsonBytes(text) <= max) return text;
  let low = 0;
  let high = text.length;
  // Binary search on the cut point: JSON escapes make the byte count of a prefix uneven.
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (jsonBytes(text.slice(0, mid)) + 3 <= max) low = mid;
    else high = mid - 1;
  }
  return `${text.slice(0, low)}...`;
}

/**
 * An error meant for the CloudFormation console. Its stack is its message, since the entry point sends the stack
 * as the reason: the operator reads what went wrong and what to do, not where in the bundle it was thrown.
 */
export class OperatorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'Error';
    this.stack = message;
  }
}
