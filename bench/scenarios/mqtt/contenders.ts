import 'reflect-metadata';
import { randomUUID } from 'node:crypto';

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

/** Raw mqtt.js (the reference): `publishAsync` on one client, `on('message')` on another. */
async function raw(setup: MqttSetup): Promise<MqttContender> {
  const mqtt = await import('mqtt');
  const options = { clientId: `bench-${randomUUID()}`, clean: true, reconnectPeriod: 0 };
  const subscriber = await mqtt.connectAsync(setup.url, options);
  const publisher = await mqtt.connectAsync(setup.url, {
    ...options,
    clientId: `bench-${randomUUID()}`,
  });
  const counter = new Counter();
  subscriber.on('message', async (_topic, payload) => {
    // Read the text, as an application would (and as the others do).
    const text = payload.toString('utf8');
    counter.hit(() => text);
  });
  await Promise.all(
    setup.topics.map((topic) => subscriber.subscribeAsync(topic, { qos: setup.qos })),
  );
  const text = payloadMaker(setup.size);
  const publishOptions = { qos: setup.qos };
  const { topics } = setup;
  return contender(
    counter,
    (seq) => publisher.publishAsync(topics[seq % topics.length], text(seq), publishOptions),
    async () => {
      await Promise.all([publisher.endAsync(), subscriber.endAsync()]);
    },
  );
}

/** Busline: `MqttPublisher.publish(topic, text)` (a StringMessage) to `MqttSubscriber`. */
async function busline(setup: MqttSetup, binary: boolean): Promise<MqttContender> {
  const { MqttPublisher } = await import('../../../lib/mqtt/mqtt.publisher.js');
  const { MqttSubscriber } = await import('../../../lib/mqtt/mqtt.subscriber.js');
  const { registryPassthroughEventBinarySerializer } =
    await import('../../../lib/core/wire/registry-passthrough-event.binary.js');
  const otherClientParameters = { reconnectPeriod: 0 };
  const subscriber = new MqttSubscriber({ url: setup.url, otherClientParameters });
  const publisher = new MqttPublisher({
    url: setup.url,
    otherClientParameters,
    serializer: binary ? registryPassthroughEventBinarySerializer : undefined,
  });
  await Promise.all([subscriber.connect(), publisher.connect()]);
  const counter = new Counter();
  const handler = async (_topic: string, event: { payload: unknown }): Promise<void> => {
    counter.hit(() => (event.payload as { value: string }).value);
  };
  await Promise.all(
    setup.topics.map((topic) => subscriber.subscribe(topic, handler, { qos: setup.qos })),
  );
  const text = payloadMaker(setup.size);
  const publishOptions = { qos: setup.qos };
  const { topics } = setup;
  return contender(
    counter,
    (seq) => publisher.publish(topics[seq % topics.length], text(seq), publishOptions),
    async () => {
      await Promise.all([publisher.disconnect(), subscriber.disconnect()]);
    },
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
  'mqtt.js': raw,
  busline: (setup) => busline(setup, false),
  'busline-binary': (setup) => busline(setup, true),
  /** 'busline' with an OpenTelemetry tracer provider registered (spans made, then dropped). */
  'busline-traced': async (setup) => {
    const { registerDroppingTracerProvider } = await import('../traced-provider.js');
    registerDroppingTracerProvider();
    return busline(setup, false);
  },
  nestjs,
};
