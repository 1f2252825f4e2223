#!/usr/bin/env node
/*
 * The `busline` command: tap, publish, asyncapi. Each command lives in its own file and is
 * loaded only when asked for, so `busline tap` needs no NestJS and `busline asyncapi` no mqtt.
 */
import 'reflect-metadata';
import { CommandError, EXIT_FAILURE, EXIT_USAGE, UsageError } from './cli.errors';
import { PROCESS_IO, type CommandIo } from './cli.io';

/** `busline --help`. */
export const MAIN_USAGE = `Usage: busline <command> [options]

Commands:
  tap <filter>...            print the events of MQTT topic filters, decoded
  publish <topic>            publish one event (text, number, or a message from JSON)
  asyncapi <module-file>     write the AsyncAPI 3.0 document of NestJS apps, without starting them

Run busline <command> --help for a command's options.
Exit codes: 0 done, 1 failed (broker unreachable, bad input), 2 wrong arguments.`;

type Command = (args: readonly string[], io: CommandIo) => Promise<number>;

/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: Record<string, () => Command> = {
  tap: () => (require('./tap.command') as typeof import('./tap.command')).tapCommand,
  publish: () =>
    (require('./publish.command') as typeof import('./publish.command')).publishCommand,
  asyncapi: () =>
    (require('./asyncapi.command') as typeof import('./asyncapi.command')).asyncApiCommand,
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Run the command line `args` (without `node` and the script); resolves with the exit code. */
export async function runCli(args: readonly string[], io: CommandIo = PROCESS_IO): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(MAIN_USAGE);
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.err(`busline: unknown command '${name}'\n\n${MAIN_USAGE}`);
    return EXIT_USAGE;
  }
  try {
    return await command()(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`busline ${name}: ${error.message}\nRun busline ${name} --help for the options.`);
      return EXIT_USAGE;
    }
    const message =
      error instanceof CommandError ? error.message : String((error as Error)?.message ?? error);
    io.err(`busline ${name}: ${message}`);
    return EXIT_FAILURE;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`busline: ${(error as Error)?.stack ?? String(error)}\n`);
      process.exitCode = EXIT_FAILURE;
    },
  );
}
