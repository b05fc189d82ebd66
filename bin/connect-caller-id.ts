#!/usr/bin/env node
import { processIo } from '../lib/cli/io';
import { runCli } from '../lib/cli/main';

runCli(process.argv.slice(2), processIo()).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    process.stderr.write(`connect-caller-id: unexpected failure: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
