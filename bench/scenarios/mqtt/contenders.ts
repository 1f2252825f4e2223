import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { MqttClient } from 'mqtt';

/** A publisher and a subscriber of one contender, connected, on the cell's topics. */
export interface MqttContender {
  /**
   * Publish message number `seq` (to topic `seq % topics.length`); a promise where the API gives
   * one.
   */
  publish(seq: number): Promise<unknown> | void;
  /** Messages received so far. */
  received(): number;
  /** Forget what was received so far (after the handshake). */
  reset(): void;
  /** Called with the sequence number of every message received, when set (latency runs). */
  onReceive: ((seq: number) => void) | undefined;
  close(): Promise<void>;
}

/** Where and how a contender runs. */
export interface MqttSetup {
  url: string;
  /** The subscriber subscribes to each; message `seq` goes to `topics[seq % topics.length]`. */
  topics: readonly string[];
  qos: 0 | 1 | 2;
  /** Payload size in bytes (ASCII text: the sequence number, then filler). */
  size: number;
}

const SEQ_DIGITS = 10;

/** The text payload of message `seq`: zero-padded number, then filler up to `size` bytes. */
export function payloadMaker(size: number): (seq: number) => string {
  const filler = 'x'.repeat(Math.max(0, size - SEQ_DIGITS));
  return (seq) => String(seq).padStart(SEQ_DIGITS, '0') + filler;
}

/** The sequence number at the start of a payload. */
export function seqOf(text: string): number {
  return Number(text.slice(0, SEQ_DIGITS));
}

/** The state a contender's subscriber updates. */
class Counter {
  count = 0;
  onReceive: ((seq: number) => void) | undefined;
  /** Count one arrival; `text` gives the payload's text when a latency run needs it. */
  hit(text: () => string): void {
    this.count++;
    if (this.onReceive !== undefined) this.onReceive(seqOf(text()));
  }
}

function contender(
  counter: Counter,
  publish: (seq: number) => Promise<unknown> | void,
  close: () => Promise<void>,
): MqttContender {
  return {
    publish,
    received: () => counter.count,
    reset: () => void (counter.count = 0),
    get onReceive() {
      return counter.onReceive;
    },
    set onReceive(fn) {
      counter.onReceive = fn;
    },
    close,
  };
}

/** How a raw mqtt.js contender turns its text into a payload and back. */
export interface RawCodec {
  encode(text: string): string | Buffer;
  decode(payload: Buffer): string;
}

/** The reference: the text as the payload, read back with `toString()`, as an application would. */
const PLAIN: RawCodec = {
  encode: (text) => text,
  decode: (payload) => payload.toString('utf8'),
};

/**
 * What mqtt.js' packet loop is told for a QoS 1 message a floor acknowledges itself, later: go
 * on reading, send no PUBACK now.
 */
const ACK_LATER = new Error('acknowledged once handled');

type PacketSender = { _sendPacket(packet: { cmd: 'puback'; messageId: number }): void };

/** A raw mqtt.js client, connected: clean session, no reconnection. */
async function rawClient(url: string): Promise<MqttClient> {
  const mqtt = await import('mqtt');
  return mqtt.connectAsync(url, {
    clientId: `bench-${randomUUID()}`,
    clean: true,
    reconnectPeriod: 0,
  });
}

/** The publishing side of a contender. */
interface Publishing {
  /** Publish message number `seq` (to topic `seq % topics.length`). */
  publish: (seq: number) => Promise<unknown> | void;
  close(): Promise<void>;
}

/** The receiving side of a contender: subscribed to every topic, counting what arrives. */
interface Receiving {
  close(): Promise<void>;
}

/** A contender of two sides; the receiving one is subscribed before the publishing one connects. */
async function sides(
  receiving: (counter: Counter) => Promise<Receiving>,
  publishing: () => Promise<Publishing>,
): Promise<MqttContender> {
  const counter = new Counter();
  const receiver = await receiving(counter);
  const publisher = await publishing();
  return contender(counter, publisher.publish, async () => {
    await Promise.all([publisher.close(), receiver.close()]);
  });
}

/** Raw mqtt.js publishing: `publishAsync` of each text as `encode` makes it a payload. */
async function rawPublishing(
  setup: MqttSetup,
  encode: (text: string) => string | Buffer,
): Promise<Publishing> {
  const client = await rawClient(setup.url);
  const text = payloadMaker(setup.size);
  const publishOptions = { qos: setup.qos };
  const { topics } = setup;
  return {
    publish: (seq) =>
      client.publishAsync(topics[seq % topics.length], encode(text(seq)), publishOptions),
    close: () => client.endAsync(),
  };
}

/**
 * Raw mqtt.js receiving: `on('message')`, each payload read back to its text by `decode`. With
 * `ackAfterHandler`, a QoS 1 message is acknowledged only once its handler's promise has settled
 * (as Busline does, so that a crash before that makes the broker send it again), through mqtt.js'
 * own packet writer, in the order the handlers settle.
 */
async function rawReceiving(
  setup: MqttSetup,
  counter: Counter,
  decode: (payload: Buffer) => string,
  ackAfterHandler = false,
): Promise<Receiving> {
  const client = await rawClient(setup.url);
  const handle = async (_topic: string, payload: Buffer): Promise<void> => {
    const text = decode(payload);
    counter.hit(() => text);
  };
  // The QoS 1 messages taken and acknowledged: a floor that owed PUBACKs at the end would not
  // have done the work it stands for (the broker acknowledges the publisher either way).
  let taken = 0;
  let acked = 0;
  const lateAcks = ackAfterHandler && setup.qos === 1;
  if (lateAcks) {
    const sender = client as unknown as PacketSender;
    client.handleMessage = (packet, done) => {
      const messageId = packet.messageId!;
      const ack = (): void => {
        sender._sendPacket({ cmd: 'puback', messageId });
        acked++;
      };
      taken++;
      handle(packet.topic, packet.payload as Buffer).then(ack, ack);
      done(ACK_LATER);
    };
  } else {
    client.on('message', handle);
  }
  await Promise.all(setup.topics.map((topic) => client.subscribeAsync(topic, { qos: setup.qos })));
  return {
    close: async () => {
      await client.endAsync();
      if (lateAcks && acked !== taken) {
        throw new Error(`acknowledged ${acked} of the ${taken} QoS 1 messages taken`);
      }
    },
  };
}

/** Raw mqtt.js on both sides, payloads per `codec` (see {@link rawReceiving}). */
function raw(
  setup: MqttSetup,
  codec: RawCodec = PLAIN,
  ackAfterHandler = false,
): Promise<MqttContender> {
  return sides(
    (counter) => rawReceiving(setup, counter, codec.decode, ackAfterHandler),
    () => rawPublishing(setup, codec.encode),
  );
}

/*
 * The floors (issue 14): raw mqtt.js carrying an envelope with the least work any implementation
 * of it must do, and nothing else (no classes, registry, checks of the envelope's shape, topic
 * matching or handler bookkeeping). At QoS 1 they acknowledge a message once its handler has
 * settled, as Busline must (the reliability issue): raw mqtt.js acknowledges on arrival. Busline's
 * distance to them is what it could still win; their distance to mqtt.js is what the envelope and
 * the late acknowledgement cost whoever writes them.
 */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The payload member as the JSON floor writes it, up to its base64 text. */
const FLOOR_PAYLOAD_OPENING = Buffer.from(
  '"serialized_payload": {"__type__": "bytes", "value": "',
  'latin1',
);

/** Envelopes from this size on have their base64 cut out before JSON.parse reads the rest. */
const FLOOR_LARGE_ENVELOPE = 2048;

/**
 * Python Busline's JSON envelope: the publisher writes the six members (a fresh UUID, the text's
 * UTF-8 bytes in base64, an ISO timestamp) into one buffer; the subscriber parses the JSON,
 * decodes the base64, then the bytes as strict UTF-8 (Python's `decode('utf-8')`), and reads the
 * timestamp. A large envelope is not handed to JSON.parse whole: its base64 is cut out of the bytes
 * and decoded from them, and JSON.parse reads the few hundred bytes around it.
 */
export const FLOOR_JSON: RawCodec = {
  encode: (text) => {
    const head =
      '{"identifier": "' +
      randomUUID() +
      '", "publisher_identifier": "floor", "serialized_payload": {"__type__": "bytes", "value": "';
    const base64 = Buffer.from(text, 'utf8').toString('base64');
    const tail =
      '"}, "payload_format_type": "string", "message_type": "StringMessage", ' +
      '"timestamp": {"__type__": "datetime", "value": "' +
      new Date().toISOString() +
      '"}}';
    // One buffer, the ASCII parts written as latin1: mqtt.js sends a 10 KB envelope given as a
    // string ~3 us slower than the same bytes given as a buffer.
    const bytes = Buffer.allocUnsafe(head.length + base64.length + tail.length);
    let at = bytes.write(head, 0, 'latin1');
    at += bytes.write(base64, at, 'latin1');
    bytes.write(tail, at, 'latin1');
    return bytes;
  },
  decode: (payload) => {
    type Envelope = { serialized_payload: { value: string }; timestamp: { value: string } };
    let envelope: Envelope;
    let bytes: Buffer;
    const opening =
      payload.length >= FLOOR_LARGE_ENVELOPE ? payload.indexOf(FLOOR_PAYLOAD_OPENING) : -1;
    if (opening >= 0) {
      const start = opening + FLOOR_PAYLOAD_OPENING.length;
      const end = payload.indexOf(0x22 /* " */, start);
      bytes = Buffer.from(payload.toString('latin1', start, end), 'base64');
      envelope = JSON.parse(
        payload.toString('utf8', 0, start) + payload.toString('utf8', end),
      ) as Envelope;
    } else {
      envelope = JSON.parse(payload.toString('utf8')) as Envelope;
      bytes = Buffer.from(envelope.serialized_payload.value, 'base64');
    }
    const text = strictUtf8.decode(bytes);
    if (Number.isNaN(Date.parse(envelope.timestamp.value))) throw new Error('no timestamp');
    return text;
  },
};

/** The fields of the binary floor's head besides the UUID and the time, as one length-prefixed run. */
const FLOOR_FIELDS = ['floor', 'utf-8', 'StringMessage'];
const FLOOR_FIELD_BYTES = Buffer.from(
  FLOOR_FIELDS.map((field) => String.fromCharCode(field.length) + field).join(''),
  'latin1',
);
/** UUID text (36), timestamp (float64), then the publisher, format and type, each after its length. */
const FLOOR_HEAD = 36 + 8 + FLOOR_FIELD_BYTES.length;

/**
 * A binary envelope: a fixed head with every field of an event (the UUID as text, the time as a
 * float64, the publisher's identifier, the payload's format, the message type) and the text's
 * UTF-8 bytes after it, in one buffer; read back field by field, the payload as strict UTF-8.
 */
export const FLOOR_BINARY: RawCodec = {
  encode: (text) => {
    const bytes = Buffer.allocUnsafe(FLOOR_HEAD + Buffer.byteLength(text, 'utf8'));
    bytes.write(randomUUID(), 0, 'latin1');
    bytes.writeDoubleBE(Date.now(), 36);
    FLOOR_FIELD_BYTES.copy(bytes, 44);
    bytes.write(text, FLOOR_HEAD, 'utf8');
    return bytes;
  },
  decode: (payload) => {
    const identifier = payload.toString('latin1', 0, 36);
    const time = payload.readDoubleBE(36);
    let at = 44;
    for (let k = 0; k < FLOOR_FIELDS.length; k++) {
      const length = payload[at++];
      if (payload.toString('latin1', at, at + length) !== FLOOR_FIELDS[k]) {
        throw new Error('bad head');
      }
      at += length;
    }
    if (identifier.length !== 36 || !(time > 0)) throw new Error('bad head');
    return strictUtf8.decode(payload.subarray(at));
  },
};

/** Busline publishing: `MqttPublisher.publish(topic, text)` (a StringMessage). */
async function buslinePublishing(setup: MqttSetup, binary: boolean): Promise<Publishing> {
  const { MqttPublisher } = await import('../../../lib/mqtt/mqtt.publisher.js');
  const { registryPassthroughEventBinarySerializer } =
    await import('../../../lib/core/wire/registry-passthrough-event.binary.js');
  const publisher = new MqttPublisher({
    url: setup.url,
    otherClientParameters: { reconnectPeriod: 0 },
    serializer: binary ? registryPassthroughEventBinarySerializer : undefined,
  });
  await publisher.connect();
  const text = payloadMaker(setup.size);
  const publishOptions = { qos: setup.qos };
  const { topics } = setup;
  return {
    publish: (seq) => publisher.publish(topics[seq % topics.length], text(seq), publishOptions),
    close: () => publisher.disconnect(),
  };
}

/** Busline receiving: `MqttSubscriber` with its default deserializer, one handler per topic. */
async function buslineReceiving(setup: MqttSetup, counter: Counter): Promise<Receiving> {
  const { MqttSubscriber } = await import('../../../lib/mqtt/mqtt.subscriber.js');
  const subscriber = new MqttSubscriber({
    url: setup.url,
    otherClientParameters: { reconnectPeriod: 0 },
  });
  await subscriber.connect();
  const handler = async (_topic: string, event: { payload: unknown }): Promise<void> => {
    counter.hit(() => (event.payload as { value: string }).value);
  };
  await Promise.all(
    setup.topics.map((topic) => subscriber.subscribe(topic, handler, { qos: setup.qos })),
  );
  return { close: () => subscriber.disconnect() };
}

/** Busline on both sides, with the JSON envelope or the binary one. */
function busline(setup: MqttSetup, binary: boolean): Promise<MqttContender> {
  return sides(
    (counter) => buslineReceiving(setup, counter),
    () => buslinePublishing(setup, binary),
  );
}

/*
 * Busline's binary envelope with one side raw (issue 14): which side of the broker Busline's
 * latency goes to. The raw side does the least its half of the work takes.
 */

/** The sequence number of a binary envelope carrying a StringMessage: past the two identifiers. */
function sequenceInBinaryEnvelope(envelope: Buffer): string {
  let at = 2;
  /** Read a length (a zig-zag varint); `at` is then past it. */
  const length = (): number => {
    let n = 0;
    for (let scale = 1; ; scale *= 128) {
      const byte = envelope[at++];
      n += (byte & 127) * scale;
      if (byte < 128) return n / 2;
    }
  };
  const identifier = length();
  at += identifier;
  const publisher = length();
  at += publisher;
  at++; // the payload's union branch
  length(); // the payload's length
  return envelope.toString('latin1', at, at + SEQ_DIGITS);
}

/** The binary envelope Busline writes for a StringMessage of `text`, made by raw code. */
async function binaryEnvelopeWriter(): Promise<(text: string) => Buffer> {
  const { binaryEnvelopeOfText } =
    await import('../../../lib/core/wire/registry-passthrough-event.binary.js');
  const { NO_HEADERS } = await import('../../../lib/core/event.js');
  return (text) =>
    binaryEnvelopeOfText(
      {
        identifier: randomUUID(),
        publisherIdentifier: 'raw',
        payloadFormatType: 'utf-8',
        messageType: 'StringMessage',
        timestamp: new Date(),
        headers: NO_HEADERS,
      },
      text,
    );
}

/**
 * NestJS microservices: `ClientMqtt.emit(topic, text)` (awaited with `lastValueFrom`, QoS through
 * `MqttRecordBuilder`) to a `ServerMqtt` app whose controller has one `@EventPattern(topic)`
 * handler per topic (applied in a loop, as the decorators would be, since the topics are known only
 * at run time).
 */
async function nestjs(setup: MqttSetup): Promise<MqttContender> {
  const { Controller, Module } = await import('@nestjs/common');
  const { NestFactory } = await import('@nestjs/core');
  const { ClientMqtt, EventPattern, MqttRecordBuilder, Payload, Transport } =
    await import('@nestjs/microservices');
  const { lastValueFrom } = await import('rxjs');
  const counter = new Counter();

  class BenchController {}
  const prototype = BenchController.prototype as unknown as Record<string, unknown>;
  setup.topics.forEach((topic, k) => {
    const method = `handle${k}`;
    prototype[method] = async function (data: string): Promise<void> {
      counter.hit(() => data);
    };
    const descriptor = Object.getOwnPropertyDescriptor(prototype, method)!;
    Payload()(prototype, method, 0);
    EventPattern<string>(topic, { qos: setup.qos })(prototype, method, descriptor);
  });
  Controller()(BenchController);

  @Module({ controllers: [BenchController] })
  class BenchModule {}

  const app = await NestFactory.createMicroservice(BenchModule, {
    transport: Transport.MQTT,
    options: { url: setup.url, clientId: `bench-${randomUUID()}`, reconnectPeriod: 0 },
    logger: false,
  });
  await app.listen();
  const client = new ClientMqtt({
    url: setup.url,
    clientId: `bench-${randomUUID()}`,
    reconnectPeriod: 0,
  });
  await client.connect();
  const text = payloadMaker(setup.size);
  const { qos, topics } = setup;
  return contender(
    counter,
    (seq) =>
      lastValueFrom(
        client.emit(
          topics[seq % topics.length],
          new MqttRecordBuilder(text(seq)).setQoS(qos).build(),
        ),
      ),
    async () => {
      await client.close();
      await app.close();
    },
  );
}

/** The MQTT contenders by name. */
export const MQTT_CONTENDERS: Record<string, (setup: MqttSetup) => Promise<MqttContender>> = {
  'mqtt.js': (setup) => raw(setup),
  'floor-json': (setup) => raw(setup, FLOOR_JSON, true),
  'floor-binary': (setup) => raw(setup, FLOOR_BINARY, true),
  busline: (setup) => busline(setup, false),
  'busline-binary': (setup) => busline(setup, true),
  /** Busline's publisher to raw mqtt.js, which reads the sequence number out of the bytes. */
  'busline-binary-publisher': (setup) =>
    sides(
      (counter) => rawReceiving(setup, counter, sequenceInBinaryEnvelope),
      () => buslinePublishing(setup, true),
    ),
  /** Raw mqtt.js sending the envelope Busline writes, to Busline's subscriber. */
  'busline-binary-subscriber': (setup) =>
    sides(
      (counter) => buslineReceiving(setup, counter),
      async () => rawPublishing(setup, await binaryEnvelopeWriter()),
    ),
  /** 'busline' with an OpenTelemetry tracer provider registered (spans made, then dropped). */
  'busline-traced': async (setup) => {
    const { registerDroppingTracerProvider } = await import('../traced-provider.js');
    registerDroppingTracerProvider();
    return busline(setup, false);
  },
  nestjs,
};
