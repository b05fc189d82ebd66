import { CHECK_USAGE, runCheck } from './check';
import { printable } from '../core/printable';
import { CliIo, describeError, ExitCode, UsageError } from './io';

const USAGE = `Usage: connect-caller-id <command> [options]

Commands:
  lookup   write an Amazon Connect instance's claimed numbers into cdk.context.json
  check    check exported flow JSON files against an instance's claimed numbers

Run connect-caller-id <command> --help for a command's options.`;

/** Runs the command line and returns the exit code; never throws for bad input. */
export async function runCli(argv: string[], io: CliIo): Promise<ExitCode> {
  const [command, ...args] = argv;
  const help = args.includes('--help') || args.includes('-h');
  try {
    switch (command) {
      case 'check':
        if (help) return printed(io, CHECK_USAGE);
        return await runCheck(args, io);
      case 'lookup': {
        // Loaded only for lookup: the AWS SDK would otherwise add its start-up time to every `check` in a pre-commit hook.
        const { LOOKUP_USAGE, runLookup } = await import('./lookup');
        if (help) return printed(io, LOOKUP_USAGE);
        return await runLookup(args, io);
      }
      case undefined: case '--help': case '-h': case 'help':
        io.err(USAGE);
        return command === undefined ? ExitCode.USAGE : ExitCode.OK;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      const usage = command === 'check' ? CHECK_USAGE : command === 'lookup' ? (await import('./lookup')).LOOKUP_USAGE : USAGE;
      io.err(`connect-caller-id: ${printable(e.message)}\n\n${usage}`);
      return ExitCode.USAGE;
    }
    // Whatever else goes wrong ends as one clear line and exit code 2, never a stack trace.
    io.err(`connect-caller-id: ${command === undefined ? '' : `${printable(command)}: `}stopped by an unexpected failure (${printable(describeError(e))}). ` +
      'This is a fault in connect-caller-id, not a finding about the input; please report it.');
    return ExitCode.USAGE;
  }
}

function printed(io: CliIo, text: string): ExitCode {
  io.out(text);
  return ExitCode.OK;
}
