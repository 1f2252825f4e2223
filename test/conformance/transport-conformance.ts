import { HandlerError } from '../../lib/core/errors/handler.error';
import type { BuslineError } from '../../lib/core/errors/busline.error';
import type { Event } from '../../lib/core/event';
import type { BuslineMessage } from '../../lib/core/message';
import { Float32Message } from '../../lib/core/messages/float32.message';
import { Float64Message } from '../../lib/core/messages/float64.message';
import { Int32Message } from '../../lib/core/messages/int32.message';
import { Int64Message } from '../../lib/core/messages/int64.message';
import { StringMessage } from '../../lib/core/messages/string.message';
import type { Publisher, PublishOptions } from '../../lib/core/publisher';
import type { Subscriber } from '../../lib/core/subscriber';
import type { SubscribeOptions, SubscriberOptions } from '../../lib/core/subscriber.options';
import { Cleanup } from '../support/mqtt/cleanup';
import { DeliveryCount } from '../support/mqtt/delivery-count';
import {
  OrderPlaced,
  UserRegistered,
  sampleOrder,
  sampleUser,
} from '../support/mqtt/test-messages';
import { uniquePrefix } from '../support/mqtt/topics';
import { waitUntil, within } from '../support/mqtt/wait';
import { has, reason, type TransportFeatures } from './transport-features';

/*
 * One transport conformance suite, run against every transport (the local bus, MQTT on the
 * embedded broker, MQTT on Mosquitto), modelled on Watermill's pubsub/tests/test_pubsub.go: the
 * same cases everywhere, skipped only where a feature flag says the transport cannot, with the
 * reason in the test title.
 */

/** Options of a subscriber made by a factory. */
export interface TestSubscriberOptions extends SubscriberOptions {
  /** A persistent session under this client id (MQTT `clean: false`). */
  persistentId?: string;
  /** Speak MQTT 5 (shared subscriptions). */
  mqtt5?: boolean;
}

/** Makes connected-to-the-same-bus publishers and subscribers. */
export interface TransportEndpoints {
  publisher(options?: { identifier?: string }): Publisher;
  subscriber(options?: TestSubscriberOptions): Subscriber;
}

/** Endpoints on a broker the test may stop and start. */
export interface RestartableTransport extends TransportEndpoints {
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** A transport under test. */
export interface TransportFactory {
  readonly features: TransportFeatures;
  /** Publish options that make delivery reliable (QoS 1 on MQTT). */
  readonly reliablePublish: PublishOptions;
  /** Subscribe options that make delivery reliable (QoS 1 on MQTT). */
  readonly reliableSubscribe: SubscribeOptions;
  /** Called once per test file; `close()` in afterAll. */
  setup(): Promise<TransportEndpoints & { close(): Promise<void> }>;
  /** A private bus a test may restart (for the restart and persistent-session cases). */
  restartable?(): Promise<RestartableTransport>;
}

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** `it` when the feature is there, else a skipped test saying why. */
function itWhen(feature: boolean | string): jest.It {
  if (has(feature)) return it;
  return ((name: string, fn?: jest.ProvidesCallback, timeout?: number) =>
    it.skip(`${name} [skipped: ${reason(feature)}]`, fn, timeout)) as unknown as jest.It;
}

function sequenceOf(event: Event): number {
  return Number((event.payload as Int64Message).value);
}

/** Define the conformance cases for `factory` (call inside a test file). */
export function describeTransportConformance(factory: TransportFactory): void {
  const { features, reliablePublish, reliableSubscribe } = factory;

  describe(`transport conformance: ${features.name}`, () => {
    jest.setTimeout(30_000);
    let endpoints: TransportEndpoints & { close(): Promise<void> };
    const cleanup = new Cleanup();
    let prefix: string;

    beforeAll(async () => {
      endpoints = await factory.setup();
    });
    afterAll(() => endpoints?.close());
    beforeEach(() => {
      prefix = uniquePrefix('conformance');
    });
    afterEach(() => cleanup.run());

    const publisher = (options?: { identifier?: string }) =>
      cleanup.connector(endpoints.publisher(options));
    const subscriber = (options?: TestSubscriberOptions) =>
      cleanup.connector(endpoints.subscriber({ logger: quiet, ...options }));

    /**
     * Resolves once `target` has handled an event on `<prefix>/sentinel-<n>`, published after
     * whatever the test wants to see *not* arrive: everything published before it by the same
     * publisher on the same connection has been delivered by then.
     */
    async function sentinel(pub: Publisher, target: Subscriber, label: string): Promise<void> {
      const topic = `${prefix}/sentinel-${label}`;
      let seen = false;
      await target.subscribe(topic, () => {
        seen = true;
      });
      await pub.publish(topic);
      await waitUntil(() => seen, { what: `the sentinel ${label}` });
    }

    it('publishes and subscribes every message kind with payload and envelope intact', async () => {
      const sub = subscriber();
      const pub = publisher({ identifier: `publisher-${prefix}` });
      const received: Event[] = [];
      await sub.subscribe(`${prefix}/kinds`, (_t, event) => {
        received.push(event);
      });
      await Promise.all([sub.connect(), pub.connect()]);
      const messages: (BuslineMessage | null)[] = [
        new StringMessage('héllo wörld ✓ 日本語 😀'),
        new Int64Message(42),
        new Int64Message(-(2n ** 63n)),
        new Int32Message(-7),
        new Float32Message(0.5),
        new Float64Message(-3.14),
        sampleUser(),
        sampleOrder(),
        null,
      ];
      const sent: Event[] = [];
      for (const [i, message] of messages.entries()) {
        sent.push(
          await pub.publish(`${prefix}/kinds`, message, {
            ...reliablePublish,
            identifier: `event-${i}-ü`,
            timestamp: new Date(Date.UTC(2025, 5, 1, 12, 30, i, 123)),
          }),
        );
      }
      await waitUntil(() => received.length === messages.length, { what: 'every kind' });
      for (const [i, event] of received.entries()) {
        expect(event.identifier).toBe(`event-${i}-ü`);
        expect(event.identifier).toBe(sent[i].identifier);
        expect(event.publisherIdentifier).toBe(`publisher-${prefix}`);
        expect(event.timestamp.getTime()).toBe(sent[i].timestamp.getTime());
        const message = messages[i];
        if (message === null) {
          expect(event.payload).toBeNull();
        } else if (features.serializes) {
          expect(event.payload).not.toBe(message);
          expect(event.payload?.constructor).toBe(message.constructor);
          expect(event.payload).toEqual(message);
        } else {
          expect(event.payload).toBe(message);
        }
      }
      expect(received[6].payload).toBeInstanceOf(UserRegistered);
      expect(received[7].payload).toBeInstanceOf(OrderPlaced);
    });

    it('loses nothing from many concurrent publishers', async () => {
      const publishers = 4;
      const perPublisher = 150;
      const sub = subscriber();
      const count = new DeliveryCount();
      count.sent = publishers * perPublisher;
      await sub.subscribe(`${prefix}/many`, (_t, event) => count.record(sequenceOf(event)), {
        ...reliableSubscribe,
      });
      const pubs = Array.from({ length: publishers }, () => publisher());
      await Promise.all([sub.connect(), ...pubs.map((p) => p.connect())]);
      await Promise.all(
        pubs.map((p, n) =>
          Promise.all(
            Array.from({ length: perPublisher }, (_, i) =>
              p.publish(`${prefix}/many`, n * perPublisher + i, reliablePublish),
            ),
          ),
        ),
      );
      await waitUntil(() => count.complete, { what: `every event (${count})` });
      expect(count.lost).toBe(0);
      expect(count.duplicated).toBe(0);
    });

    it('keeps many topics isolated from each other', async () => {
      const topics = 15;
      const perTopic = 4;
      const sub = subscriber();
      const pub = publisher();
      const got = new Map<number, string[]>();
      for (let t = 0; t < topics; t++) {
        got.set(t, []);
        await sub.subscribe(`${prefix}/topic-${t}`, (topic) => got.get(t)!.push(topic));
      }
      await Promise.all([sub.connect(), pub.connect()]);
      const sends: Promise<Event>[] = [];
      for (let i = 0; i < perTopic; i++) {
        for (let t = 0; t < topics; t++) {
          sends.push(pub.publish(`${prefix}/topic-${t}`, i, reliablePublish));
        }
      }
      await Promise.all(sends);
      await waitUntil(() => [...got.values()].every((list) => list.length === perTopic), {
        what: 'every topic',
      });
      for (const [t, list] of got) {
        expect(list).toEqual(Array(perTopic).fill(`${prefix}/topic-${t}`));
      }
    });

    it('fans out to several subscribers', async () => {
      const subs = [subscriber(), subscriber(), subscriber()];
      const counts = subs.map(() => new DeliveryCount());
      for (const [i, sub] of subs.entries()) {
        await sub.subscribe(`${prefix}/fan`, (_t, e) => counts[i].record(sequenceOf(e)));
      }
      const pub = publisher();
      await Promise.all([...subs.map((s) => s.connect()), pub.connect()]);
      for (let i = 0; i < 30; i++) await pub.publish(`${prefix}/fan`, i, reliablePublish);
      for (const count of counts) count.sent = 30;
      await waitUntil(() => counts.every((c) => c.complete), { what: 'every subscriber' });
      expect(counts.map((c) => c.received)).toEqual([30, 30, 30]);
    });

    it('unsubscribes from one topic, then from all', async () => {
      const sub = subscriber();
      const pub = publisher();
      const got: string[] = [];
      const unsubscribeB = await sub.subscribe(`${prefix}/b`, (t) => got.push(t));
      await sub.subscribe(`${prefix}/a`, (t) => got.push(t));
      await Promise.all([sub.connect(), pub.connect()]);

      await unsubscribeB();
      expect(sub.topics).toEqual([`${prefix}/a`]);
      await pub.publish(`${prefix}/b`);
      await pub.publish(`${prefix}/a`);
      await waitUntil(() => got.includes(`${prefix}/a`), { what: 'the still-subscribed topic' });
      await sentinel(pub, sub, '1');
      expect(got).toEqual([`${prefix}/a`]);

      await sub.unsubscribe();
      expect(sub.topics).toEqual([]);
      await pub.publish(`${prefix}/a`);
      await pub.publish(`${prefix}/b`);
      await sentinel(pub, sub, '2');
      expect(got).toEqual([`${prefix}/a`]);
    });

    it('matches MQTT wildcards, and what matches nothing goes to the unhandled stream', async () => {
      const sub = subscriber();
      const pub = publisher();
      const plus: string[] = [];
      const hash: string[] = [];
      const unhandled: string[] = [];
      await sub.subscribe(`${prefix}/orders/+/created`, (t) => plus.push(t));
      await sub.subscribe(`${prefix}/stock/#`, (t) => hash.push(t));
      await sub.subscribe(`${prefix}/other/+`);
      await Promise.all([sub.connect(), pub.connect()]);
      const collecting = (async () => {
        for await (const [topic] of sub.inboundUnhandledEvents) unhandled.push(topic);
      })();
      for (const topic of [
        'orders/42/created',
        'orders/42/deleted',
        'orders/42/created/extra',
        'stock',
        'stock/a',
        'stock/a/b/c',
        'other/x',
        'orders/7/created',
      ]) {
        await pub.publish(`${prefix}/${topic}`, undefined, reliablePublish);
      }
      await waitUntil(() => plus.length === 2 && hash.length === 3 && unhandled.length === 1, {
        what: 'wildcard dispatch',
      });
      expect(plus).toEqual([`${prefix}/orders/42/created`, `${prefix}/orders/7/created`]);
      expect(hash).toEqual([`${prefix}/stock`, `${prefix}/stock/a`, `${prefix}/stock/a/b/c`]);
      expect(unhandled).toEqual([`${prefix}/other/x`]);
      await sub.disconnect();
      await collecting;
    });

    it('preserves the order of one publisher on one subscription', async () => {
      const total = 300;
      const sub = subscriber();
      const pub = publisher();
      const order: number[] = [];
      await sub.subscribe(
        `${prefix}/ordered`,
        (_t, e) => {
          order.push(sequenceOf(e));
        },
        { ...reliableSubscribe },
      );
      await Promise.all([sub.connect(), pub.connect()]);
      await Promise.all(
        Array.from({ length: total }, (_, i) =>
          pub.publish(`${prefix}/ordered`, i, reliablePublish),
        ),
      );
      await waitUntil(() => order.length === total, { what: 'every event' });
      expect(order).toEqual(Array.from({ length: total }, (_, i) => i));
    });

    it('a slow handler behind a full backlog loses nothing and keeps its order', async () => {
      // A backlog of 2 fills at once: the transport must slow down (a local publish waits, an MQTT
      // subscriber stops reading) without dropping anything or breaking the connection.
      const total = 60;
      const sub = subscriber({ maxPendingEvents: 2 });
      const pub = publisher();
      const count = new DeliveryCount();
      count.sent = total;
      const order: number[] = [];
      await sub.subscribe(
        `${prefix}/slow`,
        async (_t, e) => {
          count.record(sequenceOf(e));
          order.push(sequenceOf(e));
          await new Promise((resolve) => setTimeout(resolve, 5));
        },
        { ...reliableSubscribe },
      );
      await Promise.all([sub.connect(), pub.connect()]);
      await Promise.all(
        Array.from({ length: total }, (_, i) => pub.publish(`${prefix}/slow`, i, reliablePublish)),
      );
      await waitUntil(() => count.received >= total, { what: `every event (${count})` });
      expect(count.lost).toBe(0);
      expect(count.duplicated).toBe(0);
      expect(order).toEqual(Array.from({ length: total }, (_, i) => i));
      expect(sub.connected).toBe(true);
    });

    it('keeps delivering when handlers throw or reject, and reports each failure', async () => {
      const errors: BuslineError[] = [];
      const sub = subscriber({ onError: (e) => errors.push(e) });
      const pub = publisher();
      const seen: number[] = [];
      const healthy: number[] = [];
      await sub.subscribe(`${prefix}/faulty`, async (_t, e) => {
        const n = sequenceOf(e);
        seen.push(n);
        if (n % 3 === 0) throw new Error(`sync failure ${n}`);
        if (n % 3 === 1) await Promise.reject(new Error(`async failure ${n}`));
      });
      await sub.subscribe(`${prefix}/+`, (_t, e) => {
        healthy.push(sequenceOf(e));
      });
      await Promise.all([sub.connect(), pub.connect()]);
      for (let i = 0; i < 12; i++) await pub.publish(`${prefix}/faulty`, i, reliablePublish);
      await waitUntil(() => seen.length === 12 && healthy.length === 12 && errors.length === 8, {
        what: 'every event handled and every failure reported',
      });
      expect(seen).toEqual([...Array(12).keys()]);
      expect(healthy).toEqual([...Array(12).keys()]);
      expect(errors.every((e) => e instanceof HandlerError)).toBe(true);
      expect(errors.map((e) => (e as HandlerError).topic)).toEqual(
        Array(8).fill(`${prefix}/faulty`),
      );
    });

    it('serves callbacks and iterators together', async () => {
      const sub = subscriber();
      const pub = publisher();
      const byCallback: number[] = [];
      const byIterator: number[] = [];
      await sub.subscribe(`${prefix}/both`, (_t, e) => {
        byCallback.push(sequenceOf(e));
      });
      await Promise.all([sub.connect(), pub.connect()]);
      const iterating = (async () => {
        for await (const [, event] of sub.inboundEvents) {
          byIterator.push(sequenceOf(event));
          if (byIterator.length === 20) break;
        }
      })();
      for (let i = 0; i < 20; i++) await pub.publish(`${prefix}/both`, i, reliablePublish);
      await within(iterating, 10_000, 'the iterator');
      await waitUntil(() => byCallback.length === 20, { what: 'the callback' });
      expect(byIterator).toEqual([...Array(20).keys()]);
      expect(byCallback).toEqual([...Array(20).keys()]);
    });

    it('lets handlers in flight finish when closed, and settles every pending publish', async () => {
      const sub = subscriber();
      const pub = publisher();
      let started = 0;
      let finished = 0;
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      await sub.subscribe(
        `${prefix}/slow`,
        async () => {
          started++;
          await gate;
          finished++;
        },
        { ...reliableSubscribe, concurrency: 4 },
      );
      await Promise.all([sub.connect(), pub.connect()]);
      for (let i = 0; i < 8; i++) await pub.publish(`${prefix}/slow`, i, reliablePublish);
      await waitUntil(() => started === 4, { what: 'four handlers running' });

      let closed = false;
      const closing = sub.disconnect().then(() => (closed = true));
      expect(closed).toBe(false);
      release();
      await within(closing, 10_000, 'disconnect');
      // Everything that was handed over ran to its end before disconnect() resolved.
      expect(finished).toBe(started);
      const handledAtClose = finished;

      // A publisher closed with publishes in flight settles each of them (sent or refused).
      const inFlight = Array.from({ length: 50 }, (_, i) =>
        pub.publish(`${prefix}/slow`, i, reliablePublish),
      );
      await within(pub.disconnect(), 10_000, 'publisher disconnect');
      const results = await within(Promise.allSettled(inFlight), 10_000, 'pending publishes');
      for (const result of results) {
        if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(Error);
      }
      expect(finished).toBe(handledAtClose);
    });

    itWhen(features.restart)(
      'reconnects after a broker restart and restores its subscriptions',
      async () => {
        const bus = await factory.restartable!();
        cleanup.add(bus, (b) => b.close());
        const sub = cleanup.connector(bus.subscriber({ logger: quiet }));
        const pub = cleanup.connector(bus.publisher());
        const got: number[] = [];
        await sub.subscribe(
          `${prefix}/restart/+`,
          (_t, e) => {
            got.push(sequenceOf(e));
          },
          { ...reliableSubscribe },
        );
        await Promise.all([sub.connect(), pub.connect()]);
        await pub.publish(`${prefix}/restart/a`, 1, reliablePublish);
        await waitUntil(() => got.length === 1, { what: 'the event before the restart' });

        await bus.stop();
        await bus.start();
        // Until the subscriber has subscribed again an event may go nowhere: keep publishing.
        let n = 2;
        await waitUntil(
          () => {
            if (got.length < 2)
              pub.publish(`${prefix}/restart/b`, n++, reliablePublish).catch(() => undefined);
            return got.length >= 2;
          },
          { interval: 50, what: 'an event after the restart' },
        );
        expect(got[0]).toBe(1);
        expect(got[1]).toBeGreaterThanOrEqual(2);
      },
    );

    itWhen(features.persistentSession)(
      'delivers to a persistent-session subscriber what was published while it was offline',
      async () => {
        const bus = await factory.restartable!();
        cleanup.add(bus, (b) => b.close());
        const id = `busline-conformance-${prefix.slice(-12)}`;
        const first = bus.subscriber({ logger: quiet, persistentId: id });
        await first.subscribe(`${prefix}/persistent`, () => undefined, { ...reliableSubscribe });
        await first.connect();
        await first.disconnect();

        const pub = cleanup.connector(bus.publisher());
        await pub.connect();
        for (let i = 0; i < 50; i++) await pub.publish(`${prefix}/persistent`, i, reliablePublish);

        const count = new DeliveryCount();
        count.sent = 50;
        const again = cleanup.connector(bus.subscriber({ logger: quiet, persistentId: id }));
        await again.subscribe(`${prefix}/persistent`, (_t, e) => count.record(sequenceOf(e)), {
          ...reliableSubscribe,
        });
        await again.connect();
        await waitUntil(() => count.complete, { what: `the queued events (${count})` });
        expect(count.lost).toBe(0);
      },
    );

    itWhen(features.sharedSubscriptions)(
      'splits a shared subscription ($share/<group>/<filter>) among its subscribers',
      async () => {
        const group = `g${prefix.slice(-12)}`;
        const subs = [subscriber({ mqtt5: true }), subscriber({ mqtt5: true })];
        const perSubscriber = [0, 0];
        const all: number[] = [];
        for (const [i, sub] of subs.entries()) {
          await sub.subscribe(
            `$share/${group}/${prefix}/jobs/+`,
            (topic, e) => {
              // The topic is the one published on, not the shared filter.
              if (topic.startsWith(`${prefix}/jobs/`)) {
                perSubscriber[i]++;
                all.push(sequenceOf(e));
              }
            },
            { ...reliableSubscribe },
          );
        }
        const pub = publisher();
        await Promise.all([...subs.map((s) => s.connect()), pub.connect()]);
        const total = 40;
        for (let i = 0; i < total; i++) {
          await pub.publish(`${prefix}/jobs/${i % 3}`, i, reliablePublish);
        }
        await waitUntil(() => all.length >= total, { what: 'every job handled' });
        // Each job went to exactly one member of the group, and both members got some.
        expect([...all].sort((a, b) => a - b)).toEqual([...Array(total).keys()]);
        expect(perSubscriber.every((n) => n > 0)).toBe(true);
      },
    );
  });
}
