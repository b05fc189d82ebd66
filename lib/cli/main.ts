import { CHECK_USAGE, runCheck } from './check';
import { printable } from '../core/printable';
import { CliIo, describeError, ExitCode, UsageError } from './io';
import { packageVersion } from './version';

const USAGE = `Usage: connect-caller-id <command> [options]

Commands:
  lookup   write an Amazon Connect instance's claimed numbers into cdk.context.json
  check    check exported flow JSON files against an instance's claimed numbers

Options:
  --help, -h      print this help
  --version, -v   print the version of cdk-connect-caller-id

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
        const lookup = await loadLookup(io);
        if (lookup === undefined) return ExitCode.USAGE;
        if (help) return printed(io, lookup.LOOKUP_USAGE);
        return await lookup.runLookup(args, io);
      }
      case '--version': case '-v':
        return printed(io, packageVersion());
      case '--help': case '-h': case 'help':
        return printed(io, USAGE);
      case undefined:
        io.err(USAGE);
        return ExitCode.USAGE;
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

/**
 * Loaded only for lookup: the AWS SDK would otherwise add its start-up time to every `check` in a pre-commit hook.
 * The SDK is not a dependency of the package, since the constructs and `check` never use it (and jsii refuses a
 * dependency, even an optional peer, that is not a jsii module); without it lookup says what to install instead
 * of failing on a missing module.
 */
async function loadLookup(io: CliIo): Promise<typeof import('./lookup') | undefined> {
  try {
    return await import('./lookup');
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && String((e as Error).message).includes("'@aws-sdk/client-connect'");
    if (!missing) throw e;
    io.err('connect-caller-id: lookup calls Amazon Connect with @aws-sdk/client-connect, which is not installed. ' +
      'Install it next to cdk-connect-caller-id (npm install --save-dev @aws-sdk/client-connect) and run lookup again.');
    return undefined;
  }
}

/** The version of the installed package, from its own package.json. */
function printed(io: CliIo, text: string): ExitCode {
  io.out(text);
  return ExitCode.OK;
}
