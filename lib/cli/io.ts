/** Where a command writes; the real process streams, or buffers in tests. */
export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/**
 * The process's standard output and error, one line per call. A stream whose reader has gone (`check ... |
 * head` closes the pipe: EPIPE) is written to no more, instead of failing the process with a stack trace from
 * inside Node.js: the exit code still says what the check found.
 */
export function processIo(): CliIo {
  const line = (stream: NodeJS.WriteStream) => {
    let open = true;
    stream.on('error', () => { open = false; });
    return (text: string) => {
      if (open) stream.write(`${text}\n`);
    };
  };
  return { out: line(process.stdout), err: line(process.stderr) };
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

/**
 * An unexpected error as one short phrase for a message, `RangeError: Maximum call stack size exceeded`: its
 * kind and message, never its stack, at most 300 characters. Never throws, whatever was thrown.
 */
export function describeError(e: unknown): string {
  let text: string;
  try {
    text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  } catch {
    text = 'a value that cannot be shown';
  }
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}
