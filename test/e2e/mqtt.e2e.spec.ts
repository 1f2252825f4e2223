import { createServer } from 'node:net';
import { Injectable, Module } from '@nestjs/common';
import type { BuslineError } from '../../lib/core/errors/busline.error';
import { PublishTimeoutError } from '../../lib/core/errors/publish-timeout.error';
import { PubSubClient } from '../../lib/core/pubsub-client';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../lib/mqtt/embedded-broker';
import { MqttPublisher } from '../../lib/mqtt/mqtt.publisher';
import { MqttSubscriber } from '../../lib/mqtt/mqtt.subscriber';
import { BuslineClient } from '../../lib/nest/busline.client';
import { BUSLINE_MODULE_OPTIONS } from '../../lib/nest/busline.constants';
import { BuslineModule } from '../../lib/nest/busline.module';
import { BuslineConnectionError } from '../../lib/nest/errors/busline-connection.error';
import type { BuslineErrorContext } from '../../lib/nest/interfaces/busline-error-context.interface';
import { BootConsumer, LifecycleConsumerModule } from './apps/lifecycle.consumer';
import { MQTT_TOPICS, MqttConsumer } from './apps/mqtt.consumer';
import { OrderShipped } from './apps/orders.messages';
import { TOPICS } from './apps/topics';
import { closeApps, createApp, startApp } from './support/harness';
import { waitFor } from './support/wait';
import { startTestBroker, type TestBroker } from '../support/mqtt/test-broker';

jest.setTimeout(30_000);

/** A TCP port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('BuslineModule on MQTT', () => {
  let broker: TestBroker;
  // The second broker of the two-broker tests is always embedded.
  let second: EmbeddedBroker;

  beforeAll(async () => {
    broker = await startTestBroker();
    second = await startEmbeddedBroker();
  });
  afterAll(async () => {
    await second.close();
    await broker.close();
  });
  afterEach(() => closeApps());

  const twoBrokers = () => ({
    mqtt: [
      { name: 'orders', url: broker.url, qos: 1 as const },
      { name: 'audit', hostname: second.host, port: second.port },
    ],
  });

  it('makes app.init() reject with the broker and the reason when it cannot connect', async () => {
    const port = await closedPort();
    const { app } = await createApp({
      imports: [BuslineModule.forRoot({ mqtt: { hostname: '127.0.0.1', port } })],
    });
    const init = app.init();
    await expect(init).rejects.toBeInstanceOf(BuslineConnectionError);
    await expect(init).rejects.toThrow(
      new RegExp(
        `Busline could not connect transport 'mqtt' \\(Mqtt(Publisher|Subscriber)\\('.*'\\)\\): ` +
          `Cannot connect to the MQTT broker at mqtt://127\\.0\\.0\\.1:${port}`,
      ),
    );
  });

  it('talks to two brokers, each a transport chosen by name', async () => {
    const { app } = await startApp({
      imports: [BuslineModule.forRoot(twoBrokers())],
      providers: [MqttConsumer],
    });
    const bus = app.get(BuslineClient);
    const consumer = app.get(MqttConsumer);
    expect(bus.transportNames).toEqual(['orders', 'audit']);

    await bus.publish(MQTT_TOPICS.routed, 'to audit', { transport: 'audit' });
    await waitFor(() => consumer.audit.length === 1, 'the audit handler');
    await bus.publish(MQTT_TOPICS.routed, 'to orders', { transport: 'orders' });
    await waitFor(() => consumer.orders.length === 1, 'the orders handler');
    // Each broker only got what was sent to it.
    await bus.publish(MQTT_TOPICS.routed, 'to both');
    await waitFor(
      () => consumer.orders.length === 2 && consumer.audit.length === 2,
      'both handlers again',
    );
  });

  it('passes QoS (per subscription, else the default) and shared-subscription groups to MQTT', async () => {
    const subscribed: [string, unknown][] = [];
    const published: [string, unknown][] = [];
    const internals = MqttSubscriber.prototype as unknown as {
      internalSubscribe(topic: string, options?: unknown): Promise<void>;
    };
    const publisherInternals = MqttPublisher.prototype as unknown as {
      internalPublish(topic: string, event: unknown, options?: unknown): Promise<void>;
    };
    const subscribe = internals.internalSubscribe;
    const publish = publisherInternals.internalPublish;
    const subscribeSpy = jest.spyOn(internals, 'internalSubscribe').mockImplementation(function (
      this: MqttSubscriber,
      topic: string,
      options?: unknown,
    ) {
      // The QoS that goes to the broker: the subscription's own, else the connection's default.
      subscribed.push([topic, { qos: (options as { qos?: number } | undefined)?.qos ?? this.qos }]);
      // The embedded broker speaks MQTT 3.1.1: record the shared subscription, do not send it.
      return topic.startsWith('$share/') ? Promise.resolve() : subscribe.call(this, topic, options);
    });
    const publishSpy = jest
      .spyOn(publisherInternals, 'internalPublish')
      .mockImplementation(function (this: MqttPublisher, topic, event, options) {
        published.push([
          topic,
          { qos: (options as { qos?: number } | undefined)?.qos ?? this.qos },
        ]);
        return publish.call(this, topic, event, options);
      });
    try {
      const { app } = await startApp({
        imports: [BuslineModule.forRoot(twoBrokers())],
        providers: [MqttConsumer],
      });
      const bus = app.get(PubSubClient);
      await bus.publish(MQTT_TOPICS.qos, undefined, { transport: 'orders' });
      await bus.publish(MQTT_TOPICS.qos, undefined, { transport: 'orders', qos: 0 });
      await waitFor(() => app.get(MqttConsumer).received.length === 2, 'both events');

      const options = new Map(subscribed);
      expect(options.get(MQTT_TOPICS.qos)).toMatchObject({ qos: 2 });
      expect(options.get(`$share/workers/${MQTT_TOPICS.shared}`)).toMatchObject({ qos: 1 });
      expect(options.get(MQTT_TOPICS.garbage)).toMatchObject({ qos: 1 });
      expect(published.filter(([topic]) => topic === MQTT_TOPICS.qos).map(([, o]) => o)).toEqual([
        expect.objectContaining({ qos: 1 }),
        expect.objectContaining({ qos: 0 }),
      ]);
    } finally {
      subscribeSpy.mockRestore();
      publishSpy.mockRestore();
    }
  });

  it('reports what cannot be read from the wire, naming the transport, and goes on', async () => {
    const reported: { error: BuslineError; context: BuslineErrorContext }[] = [];
    const { app, logger } = await startApp({
      imports: [
        BuslineModule.forRoot({
          ...twoBrokers(),
          onError: (error, context) => {
            reported.push({ error, context });
          },
        }),
      ],
      providers: [MqttConsumer],
    });
    const raw = (app.get(PubSubClient).publishers[0] as MqttPublisher).mqttClient!;
    await raw.publishAsync(MQTT_TOPICS.garbage, 'this is not an event', { qos: 1 });
    await app.get(PubSubClient).publish(MQTT_TOPICS.garbage, undefined, { transport: 'orders' });

    await waitFor(() => app.get(MqttConsumer).received.length === 1, 'the readable event');
    await waitFor(() => reported.length === 1, 'the report');
    expect(reported[0].error.name).toBe('InboundDecodeError');
    expect(reported[0].context).toEqual({ transport: 'orders' });
    expect(logger.busline('error')).toEqual([
      expect.stringMatching(/^Transport 'orders': Cannot read the 20-byte message/),
    ]);
  });

  it('hands a retained message to its handler: handlers are in place before the subscription', async () => {
    const outside = new MqttPublisher({ url: broker.url });
    await outside.connect();
    try {
      await outside.publish(MQTT_TOPICS.retained, OrderShipped.of('retained'), {
        qos: 1,
        retain: true,
      });
      const { app } = await startApp({
        imports: [BuslineModule.forRoot(twoBrokers())],
        providers: [MqttConsumer],
      });
      await waitFor(
        () => app.get(MqttConsumer).received.includes(MQTT_TOPICS.retained),
        'the retained message',
      );
    } finally {
      // Clear the retained message (an empty retained payload), for brokers that outlive the test.
      await outside.mqttClient!.publishAsync(MQTT_TOPICS.retained, '', { qos: 1, retain: true });
      await outside.disconnect();
    }
  });

  it('keeps two clients apart when the options give a clientId', async () => {
    const clientId = `busline-e2e-${process.pid}-${Date.now()}`;
    const { app } = await startApp({
      imports: [
        BuslineModule.forRoot({ mqtt: { url: broker.url, otherClientParameters: { clientId } } }),
        LifecycleConsumerModule,
      ],
    });
    const bus = app.get(PubSubClient);
    const publisher = bus.publishers[0] as MqttPublisher;
    const subscriber = bus.subscribers[0] as MqttSubscriber;
    expect(publisher.mqttClient!.options.clientId).toBe(`${clientId}-pub`);
    expect(subscriber.mqttClient!.options.clientId).toBe(`${clientId}-sub`);
    await bus.publish(TOPICS.boot, OrderShipped.of('both-connected'));
    await waitFor(() => app.get(BootConsumer).ids.includes('both-connected'), 'the handler');
  });

  it('reads the broker from a config service with forRootAsync', async () => {
    @Injectable()
    class Settings {
      readonly BUS_URL = broker.url;
    }
    @Module({ providers: [Settings], exports: [Settings] })
    class SettingsModule {}

    const { app } = await startApp({
      imports: [
        BuslineModule.forRootAsync({
          imports: [SettingsModule],
          inject: [Settings],
          useFactory: (settings: Settings) => ({ mqtt: { url: settings.BUS_URL, qos: 1 } }),
        }),
        LifecycleConsumerModule,
      ],
    });
    await app.get(PubSubClient).publish(TOPICS.boot, OrderShipped.of('configured'));
    await waitFor(() => app.get(BootConsumer).ids.includes('configured'), 'the handler');
  });

  it('lets tests swap the broker of an application for an embedded one', async () => {
    const testBroker = await startEmbeddedBroker();
    try {
      const { app } = await startApp(
        {
          imports: [
            BuslineModule.forRoot({ mqtt: { url: 'mqtt://broker.production.invalid:1883' } }),
            LifecycleConsumerModule,
          ],
        },
        (builder) =>
          builder
            .overrideProvider(BUSLINE_MODULE_OPTIONS)
            .useValue({ mqtt: { url: testBroker.url } }),
      );
      await app.get(PubSubClient).publish(TOPICS.boot, OrderShipped.of('embedded'));
      await waitFor(() => app.get(BootConsumer).ids.includes('embedded'), 'the handler');
      await app.close();
    } finally {
      await testBroker.close();
    }
  });

  it('bounds publishes with the module option publishTimeout while the broker is down', async () => {
    const own = await startEmbeddedBroker();
    try {
      const { app } = await startApp({
        imports: [
          BuslineModule.forRoot({
            mqtt: { url: own.url, otherClientParameters: { reconnectPeriod: 50 } },
            publishTimeout: 250,
          }),
        ],
      });
      const client = app.get(PubSubClient);
      await own.stop();
      const publisher = app.get(BuslineClient).publishers[0] as MqttPublisher;
      await waitFor(() => publisher.status === 'reconnecting', 'the publisher offline');
      const failed = await client.publish('orders/late', 'no broker', { qos: 1 }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failed).toBeInstanceOf(PublishTimeoutError);
      expect(failed).toMatchObject({ timeout: 250, mayStillBeSent: false });
      // A publish's own timeout wins over the module's.
      const patient = client.publish('orders/patient', 'waits', { qos: 1, timeout: 20_000 });
      await own.start();
      await expect(patient).resolves.toBeDefined();
      await app.close();
    } finally {
      await own.close();
    }
  });
});
