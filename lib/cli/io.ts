/** Where a command writes; the real process streams, or buffers in tests. */
export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** Exit codes shared by every command. */
export enum ExitCode {
  OK = 0,
  /** The check found errors, or the lookup failed. */
  FINDINGS = 1,
  /** Bad usage or unreadable input. */
  USAGE = 2,
}

/** Bad usage: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
