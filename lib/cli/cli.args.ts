import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './cli.errors';
import type { CommandIo } from './cli.io';

/** Options every command takes. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h', default: false },
  require: { type: 'string', short: 'r', multiple: true, default: [] },
} as const satisfies ParseArgsConfig['options'];

/** Options of the commands that talk to a broker. */
export const BROKER_OPTIONS = {
  url: { type: 'string', short: 'u', default: 'mqtt://127.0.0.1:1883' },
  'connect-timeout': { type: 'string', default: '5000' },
  qos: { type: 'string', default: '0' },
} as const satisfies ParseArgsConfig['options'];

type Options = NonNullable<ParseArgsConfig['options']>;

/** A command line parsed with {@link COMMON_OPTIONS} and a command's own options. */
export type ParsedCommand<O extends Options> = ReturnType<
  typeof parseArgs<{
    args: string[];
    allowPositionals: true;
    strict: true;
    options: typeof COMMON_OPTIONS & O;
  }>
>;

/**
 * Parse a command's arguments (strict, with positionals), a bad one as a {@link UsageError}.
 * With `--help`, print `usage` and return `undefined`: the command then exits with 0.
 */
export function parseCommand<const O extends Options>(
  args: readonly string[],
  io: CommandIo,
  usage: string,
  options: O,
): ParsedCommand<O> | undefined {
  const parsed = parsedOrUsage(() =>
    parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: { ...COMMON_OPTIONS, ...options },
    }),
  ) as ParsedCommand<O>;
  if ((parsed.values as { help?: boolean }).help) {
    io.out(usage);
    return undefined;
  }
  return parsed;
}

/**
 * The one positional argument of a command: a `noun` ('topic'); `missing` says what to give when
 * there is none ('a topic, such as greetings').
 */
export function onePositional(
  command: string,
  positionals: readonly string[],
  noun: string,
  missing: string,
): string {
  if (positionals.length === 1) return positionals[0];
  throw new UsageError(
    positionals.length === 0
      ? `${command} needs ${missing}`
      : `${command} takes one ${noun}; unexpected '${positionals[1]}'`,
  );
}

/** The checked values of {@link BROKER_OPTIONS}. */
export interface BrokerSettings {
  readonly url: string;
  readonly qos: 0 | 1 | 2;
  readonly connectTimeoutMs: number;
}

/** Check the values of {@link BROKER_OPTIONS}. */
export function brokerSettings(values: {
  url: string;
  qos: string;
  'connect-timeout': string;
}): BrokerSettings {
  return {
    url: brokerUrl(values.url),
    qos: integerOption('qos', values.qos, 0, 2) as 0 | 1 | 2,
    connectTimeoutMs: integerOption('connect-timeout', values['connect-timeout'], 1, 600_000),
  };
}

/** The result of `run()` (a `parseArgs` call, a check), its errors as {@link UsageError}s. */
export function parsedOrUsage<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** A whole number option within `[min, max]`. */
export function integerOption(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} takes a whole number from ${min} to ${max}, not '${text}'`);
  }
  return value;
}

/** The broker URL option, checked. */
export function brokerUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--url takes a broker URL such as mqtt://127.0.0.1:1883, not '${text}'`);
  }
  if (!['mqtt:', 'mqtts:', 'ws:', 'wss:', 'tcp:', 'ssl:'].includes(url.protocol)) {
    throw new UsageError(`--url takes an mqtt://, mqtts://, ws:// or wss:// URL, not '${text}'`);
  }
  return text;
}
