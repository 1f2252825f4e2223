import type { IClientOptions, MqttClient } from 'mqtt';
import { requirePeers } from '../core/peer-dependencies';
import { CommandError } from './cli.errors';

/**
 * Connect to the broker once (no retries: a command reports an unreachable broker at once).
 * Needs mqtt.js, an optional peer: without it, an error that names the install command.
 */
export async function connectBroker(
  url: string,
  command: string,
  timeoutMs: number,
  options: IClientOptions = {},
): Promise<MqttClient> {
  try {
    requirePeers(`busline ${command}`, ['mqtt']);
  } catch (error) {
    throw new CommandError((error as Error).message);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mqtt = require('mqtt') as typeof import('mqtt');
  const client = mqtt.connect(url, {
    reconnectPeriod: 0,
    connectTimeout: timeoutMs,
    clientId: `busline-${command}-${Math.random().toString(16).slice(2, 10)}`,
    ...options,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (error: Error) => {
        client.off('connect', done);
        client.off('close', closed);
        reject(error);
      };
      const done = () => {
        client.off('error', fail);
        client.off('close', closed);
        resolve();
      };
      const closed = () => fail(new Error('the connection closed before it was accepted'));
      client.once('connect', done);
      client.once('error', fail);
      client.once('close', closed);
    });
  } catch (error) {
    client.end(true);
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CommandError(
      `cannot connect to the MQTT broker at ${redact(url)} (${reason}). Is it running? ` +
        'Give its address with --url mqtt://host:port.',
      { cause: error },
    );
  }
  return client;
}

/** A URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}
