import { plainToInstance } from 'class-transformer';
import { Event } from '../core/event';
import { EventRegistry } from '../core/event.registry';
import type { BuslineMessage, MessageClass } from '../core/message';
import { Float64Message } from '../core/messages/float64.message';
import { Int64Message } from '../core/messages/int64.message';
import { StringMessage } from '../core/messages/string.message';
import { validatePublishTopic } from '../core/topics/topic.validation';
import { registryPassthroughEventJsonSerializer } from '../core/wire/registry-passthrough-event.json';
import { RegistryPassthroughEvent } from '../core/wire/registry-passthrough.event';
import {
  BROKER_OPTIONS,
  brokerSettings,
  onePositional,
  parseCommand,
  parsedOrUsage,
} from './cli.args';
import { CommandError, UsageError } from './cli.errors';
import type { CommandIo } from './cli.io';
import { connectBroker, redact } from './cli.mqtt';
import { loadRequired } from './cli.require';

/** `busline publish --help`. */
export const PUBLISH_USAGE = `Usage: busline publish <topic> [message] [options]

Publish one event in the Busline JSON envelope (the one Python Busline reads) and print its
identifier. The message is one of:
  --text <text>              a StringMessage
  --int <integer>            an Int64Message
  --float <number>           a Float64Message
  --json <document> --type <MessageType>
                             a registered message class built from JSON (load the class with
                             --require); the wrappers (StringMessage, Int64Message, ...) take a
                             JSON value
  (none)                     an event without payload

Options:
  -u, --url <url>            the broker (default mqtt://127.0.0.1:1883)
  -r, --require <module>     load a module first (your @Message classes, a TypeScript loader);
                             repeatable
      --qos <0|1|2>          QoS of the publish (default 0)
      --retain               ask the broker to retain the event
      --publisher <id>       the event's publisher identifier (default busline-cli)
      --connect-timeout <ms> how long connecting may take (default 5000)
  -h, --help                 this text

Example: busline publish greetings --text hello`;

/** `busline publish`: send one event and print its identifier. */
export async function publishCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const parsed = parseCommand(args, io, PUBLISH_USAGE, {
    ...BROKER_OPTIONS,
    text: { type: 'string' },
    int: { type: 'string' },
    float: { type: 'string' },
    json: { type: 'string' },
    type: { type: 'string', short: 't' },
    retain: { type: 'boolean', default: false },
    publisher: { type: 'string', default: 'busline-cli' },
  });
  if (parsed === undefined) return 0;
  const { values, positionals } = parsed;
  const topic = onePositional('publish', positionals, 'topic', 'a topic, such as greetings');
  parsedOrUsage(() => validatePublishTopic(topic));
  const { url, qos, connectTimeoutMs } = brokerSettings(values);
  loadRequired(values.require);
  const payload = messageOf(values);

  const event = new Event({ publisherIdentifier: values.publisher, payload });
  const bytes = registryPassthroughEventJsonSerializer(RegistryPassthroughEvent.fromEvent(event));
  const client = await connectBroker(url, 'publish', connectTimeoutMs);
  // mqtt.js leaves a QoS 1/2 publish pending when the connection drops before its
  // acknowledgement (no reconnection here): without this, the process would exit 0 unpublished.
  const closed = new Promise<never>((_, reject) => {
    client.once('close', () =>
      reject(new Error('the connection closed before the broker acknowledged the event')),
    );
  });
  closed.catch(() => undefined); // after a publish that went out, the close is the end we asked for
  try {
    await Promise.race([
      client.publishAsync(topic, Buffer.from(bytes), { qos, retain: values.retain }),
      closed,
    ]);
  } catch (error) {
    throw new CommandError(
      `the broker at ${redact(url)} did not take the event: ${(error as Error).message}`,
      { cause: error },
    );
  } finally {
    // A graceful end() waits for the pending publish, which a closed connection never completes.
    if (client.connected) await client.endAsync();
    else client.end(true);
  }
  io.out(event.identifier);
  return 0;
}

interface MessageOptions {
  text?: string;
  int?: string;
  float?: string;
  json?: string;
  type?: string;
}

function messageOf(values: MessageOptions): BuslineMessage | null {
  const given = (['text', 'int', 'float', 'json'] as const).filter((k) => values[k] !== undefined);
  if (given.length > 1) {
    throw new UsageError(`give one message: --${given.join(', --')} cannot go together`);
  }
  if (values.type !== undefined && values.json === undefined) {
    throw new UsageError('--type goes with --json <document>: the message built from it');
  }
  if (values.text !== undefined) return new StringMessage(values.text);
  if (values.int !== undefined) {
    if (!/^-?\d+$/.test(values.int))
      throw new UsageError(`--int takes an integer, not '${values.int}'`);
    const big = BigInt(values.int);
    return new Int64Message(Number.isSafeInteger(Number(big)) ? Number(big) : big);
  }
  if (values.float !== undefined) {
    const value = Number(values.float);
    if (values.float.trim() === '' || (Number.isNaN(value) && values.float !== 'NaN')) {
      throw new UsageError(`--float takes a number, not '${values.float}'`);
    }
    return new Float64Message(value);
  }
  if (values.json === undefined) return null;
  if (values.type === undefined) {
    throw new UsageError(
      '--json needs --type <MessageType>: the registered message class to build (load yours ' +
        'with --require)',
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(values.json);
  } catch (error) {
    throw new UsageError(`--json is not JSON: ${(error as Error).message}`);
  }
  let messageClass: MessageClass;
  try {
    messageClass = new EventRegistry().retrieveClass(values.type);
  } catch {
    const known = [...new EventRegistry().associations.keys()].sort().join(', ');
    throw new CommandError(
      `no message type '${values.type}' is registered (known: ${known}). Load the module that ` +
        'declares it with --require.',
    );
  }
  try {
    const fromJson = (messageClass as { fromJson?: (text: string) => BuslineMessage }).fromJson;
    if (typeof fromJson === 'function') return fromJson.call(messageClass, values.json);
    if (typeof document !== 'object' || document === null) return new messageClass(document);
    return plainToInstance(messageClass, document) as BuslineMessage;
  } catch (error) {
    throw new CommandError(`--json does not make a ${values.type}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
