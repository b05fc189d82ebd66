/**
 * Raised for input this library cannot read: an inventory file of the wrong shape, flow JSON that is not
 * JSON, an argument out of range. The message says what was wrong and what would be accepted.
 * Everything else that goes wrong is a finding (see `findings.ts`), not an exception.
 */
export class CallerIdInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CallerIdInputError';
  }
}
