import type { MqttClient } from 'mqtt';
import { validateTopicFilter } from '../core/topics/topic.validation';
import {
  BROKER_OPTIONS,
  brokerSettings,
  integerOption,
  parseCommand,
  parsedOrUsage,
} from './cli.args';
import { UsageError } from './cli.errors';
import { connectBroker, redact } from './cli.mqtt';
import { loadRequired } from './cli.require';
import type { CommandIo } from './cli.io';
import { tapEvent, tapJson, tapLine } from './tap.format';

/** `busline tap --help`. */
export const TAP_USAGE = `Usage: busline tap <filter>... [options]

Subscribe to MQTT topic filters and print one line per event: time, topic, message type,
identifier, publisher, payload as JSON. Busline envelopes (Python's JSON one, the binary one) are
decoded through the message registry; payloads of unknown types and messages without an envelope
are shown raw (JSON, text or hex), never a crash.

Options:
  -u, --url <url>            the broker (default mqtt://127.0.0.1:1883)
  -r, --require <module>     load a module first (your @Message classes, a TypeScript loader);
                             repeatable
      --qos <0|1|2>          QoS of the subscriptions (default 0)
  -n, --count <n>            exit after n events
      --json                 print each event as one JSON object
      --connect-timeout <ms> how long connecting may take (default 5000)
  -h, --help                 this text

Example: busline tap 'orders/#' --require ./dist/messages.js`;

/** `busline tap`: print the events of some topic filters until Ctrl+C (or `--count` events). */
export async function tapCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const parsed = parseCommand(args, io, TAP_USAGE, {
    ...BROKER_OPTIONS,
    count: { type: 'string', short: 'n' },
    json: { type: 'boolean', default: false },
  });
  if (parsed === undefined) return 0;
  const { values, positionals } = parsed;
  if (positionals.length === 0) {
    throw new UsageError('tap needs a topic filter, such as new_order or orders/#');
  }
  for (const filter of positionals) parsedOrUsage(() => validateTopicFilter(filter));
  const { url, qos, connectTimeoutMs } = brokerSettings(values);
  const count =
    values.count === undefined ? undefined : integerOption('count', values.count, 1, 2 ** 31);
  loadRequired(values.require);

  const client = await connectBroker(url, 'tap', connectTimeoutMs);
  let seen = 0;
  return new Promise<number>((resolve) => {
    const stop = (code: number) => {
      io.offStop(onStop);
      client.end(false, {}, () => resolve(code));
    };
    const onStop = () => stop(0);
    io.onStop(onStop);
    client.on('message', (topic, payload) => {
      if (count !== undefined && seen >= count) return;
      seen++;
      const event = tapEvent(topic, payload);
      io.out(values.json ? tapJson(event) : tapLine(event));
      if (count !== undefined && seen >= count) stop(0);
    });
    // mqtt.js reports protocol and keepalive failures as 'error' before it closes: say what it
    // was (an 'error' without a listener would end the process), and let 'close' stop the tap.
    client.on('error', (error) => io.err(`busline tap: ${error.message}`));
    client.on('close', () => {
      if (!client.disconnecting) {
        io.err(`busline tap: the broker at ${redact(url)} closed the connection`);
        stop(1);
      }
    });
    subscribe(client, positionals, qos).then(
      () => io.err(`busline tap: listening to ${positionals.join(', ')} on ${redact(url)}`),
      (error: Error) => {
        io.err(`busline tap: the broker refused the subscription: ${error.message}`);
        stop(1);
      },
    );
  });
}

async function subscribe(client: MqttClient, filters: string[], qos: 0 | 1 | 2): Promise<void> {
  const granted = await client.subscribeAsync(filters, { qos });
  const refused = granted.filter((g) => g.qos === 128).map((g) => g.topic);
  if (refused.length > 0) throw new Error(`refused ${refused.join(', ')}`);
}
