import type { ParseArgsConfig } from 'node:util';
import { UsageError } from './cli.errors';

/** Options every command takes. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h', default: false },
  require: { type: 'string', short: 'r', multiple: true, default: [] },
} as const satisfies ParseArgsConfig['options'];

/** Options of the commands that talk to a broker. */
export const BROKER_OPTIONS = {
  url: { type: 'string', short: 'u', default: 'mqtt://127.0.0.1:1883' },
  'connect-timeout': { type: 'string', default: '5000' },
} as const satisfies ParseArgsConfig['options'];

/** The result of `parse()` (a `parseArgs` call), its errors as {@link UsageError}s. */
export function parsedOrUsage<T>(parse: () => T): T {
  try {
    return parse();
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
