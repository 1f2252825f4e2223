import type { IClientOptions } from 'mqtt';
import { NoResponderError } from '../../lib/core/errors/no-responder.error';
import { RemoteHandlerError } from '../../lib/core/errors/remote-handler.error';
import type { StringMessage } from '../../lib/core/messages/string.message';
import { BuslineClient } from '../../lib/nest/busline.client';
import { RequestTimeoutError } from '../../lib/core/errors/request-timeout.error';
import { BuslineModule } from '../../lib/nest/busline.module';
import { PricingRequester } from './apps/pricing.requester';
import { PRICING } from './apps/pricing.messages';
import {
  PricingResponder,
  PricingResponderModule,
  RESPONDER_NAME,
  SharedFilterResponder,
} from './apps/pricing.responder';
import { closeApps, startApp } from './support/harness';
import {
  announceSkip,
  BROKER_KIND,
  MQTT5_AVAILABLE,
  MQTT5_SKIP_REASON,
  useTestBroker,
} from '../support/mqtt/test-broker';

/*
 * Two NestJS applications on one broker: one requests through the injected BuslineClient, the
 * other answers with the return values of its @Subscribe methods. MQTT 3.1.1 everywhere; MQTT 5
 * (response topic and correlation data) and shared groups on Mosquitto.
 */

jest.setTimeout(30_000);

const SHARED_SKIP = 'aedes has no shared subscriptions ($share); run with Mosquitto';
if (!MQTT5_AVAILABLE) announceSkip('MQTT 5 request/reply between apps', MQTT5_SKIP_REASON);

const broker = useTestBroker();
afterEach(() => closeApps());

const protocols: [string, IClientOptions][] = [['MQTT 3.1.1', {}]];
if (MQTT5_AVAILABLE) protocols.push(['MQTT 5', { protocolVersion: 5 }]);

describe.each(protocols)('request/reply between two NestJS apps over %s', (_name, client) => {
  const mqtt = () => ({ url: broker.url, qos: 1 as const, otherClientParameters: client });

  async function responder(name = 'responder') {
    const { app } = await startApp({
      imports: [
        BuslineModule.forRoot({ mqtt: mqtt(), logBindings: false }),
        PricingResponderModule,
      ],
      providers: [{ provide: RESPONDER_NAME, useValue: name }],
    });
    return app.get(PricingResponder);
  }

  async function requester() {
    const { app } = await startApp({
      imports: [BuslineModule.forRoot({ mqtt: mqtt(), logBindings: false })],
      providers: [PricingRequester],
    });
    return app.get(PricingRequester);
  }

  it("replies with the @Subscribe method's return value, to many concurrent requests", async () => {
    await responder();
    const pricing = await requester();
    const quote = await pricing.quote('apple', 3);
    expect(quote).toMatchObject({ sku: 'apple', cents: 90 });
    const many = await Promise.all(
      Array.from({ length: 10 }, (_, i) => pricing.quote(i % 2 ? 'pear' : 'apple', i + 1)),
    );
    expect(many.map((q) => q.cents)).toEqual(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? 45 : 30) * (i + 1)),
    );
    expect(pricing.lateReplies).toBe(0);
  });

  it('rejects with RemoteHandlerError when the method throws or the request is invalid', async () => {
    await responder();
    const pricing = await requester();
    await expect(pricing.quote('kiwi', 1)).rejects.toMatchObject({
      constructor: RemoteHandlerError,
      remoteName: 'RangeError',
      remoteMessage: "no price for 'kiwi'",
    });
    const invalid = await pricing.quote('apple', 0).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(RemoteHandlerError);
    expect((invalid as RemoteHandlerError).remoteName).toBe('MessageValidationError');
    expect((invalid as RemoteHandlerError).remoteMessage).toContain('quantity');
  });

  it('rejects with RequestTimeoutError when the method returns nothing', async () => {
    await responder();
    const pricing = await requester();
    await expect(pricing.silent(500)).rejects.toBeInstanceOf(RequestTimeoutError);
  });

  (BROKER_KIND === 'external' ? it : it.skip)(
    `answers each request to a shared group once, to the requester only${
      BROKER_KIND === 'external' ? '' : ` [skipped: ${SHARED_SKIP}]`
    }`,
    async () => {
      const [first, second] = await Promise.all([responder('first'), responder('second')]);
      const [pricing, bystander] = await Promise.all([requester(), requester()]);
      const jobs = Array.from({ length: 10 }, (_, i) => `job ${i}`);
      const replies = await Promise.all(jobs.map((job) => pricing.pool(job)));
      expect(replies.map((r) => r.replace(/^\w+ did /, ''))).toEqual(jobs);
      expect([...first.pooled, ...second.pooled].sort()).toEqual([...jobs].sort());
      expect(pricing.lateReplies).toBe(0);
      expect(bystander.lateReplies).toBe(0);
    },
  );
});

describe('request/reply in one NestJS app on the local bus', () => {
  it('replies with the first result that is not undefined when methods share a topic', async () => {
    const { app } = await startApp({
      imports: [BuslineModule.forRoot({ local: true, logBindings: false })],
      providers: [SharedFilterResponder],
    });
    const reply = await app.get(BuslineClient).request(PRICING.shared, 'who?', { timeout: 5_000 });
    expect((reply.payload as StringMessage).value).toBe('from answer');
    expect(app.get(SharedFilterResponder).calls.sort()).toEqual(['answer', 'audit', 'late']);
  });

  it('lets a plain subscribe() handler of the injected client reply', async () => {
    const { app } = await startApp({
      imports: [BuslineModule.forRoot({ local: true, logBindings: false })],
    });
    const bus = app.get(BuslineClient);
    await bus.subscribe<StringMessage>(`${PRICING.quote}/plain`, (_topic, event) =>
      event.payload!.value.toUpperCase(),
    );
    const reply = await bus.request(`${PRICING.quote}/plain`, 'shout', { timeout: 5_000 });
    expect((reply.payload as StringMessage).value).toBe('SHOUT');
  });

  it('rejects with NoResponderError at once when no handler takes the topic', async () => {
    const { app } = await startApp({
      imports: [BuslineModule.forRoot({ local: true, logBindings: false })],
    });
    await expect(
      app.get(BuslineClient).request(`${PRICING.quote}/nobody`, 'x', { timeout: 20_000 }),
    ).rejects.toBeInstanceOf(NoResponderError);
  });

  it('takes requestTimeout and replyTopic from the module options', async () => {
    const { app } = await startApp({
      imports: [
        BuslineModule.forRoot({
          local: true,
          logBindings: false,
          requestTimeout: 50,
          replyTopic: 'pricing/replies/instance-1',
        }),
      ],
    });
    const bus = app.get(BuslineClient);
    expect(bus.replyTopic).toBe('pricing/replies/instance-1');
    // Someone takes the request and never answers: the module's 50 ms apply.
    await bus.subscribe(`${PRICING.quote}/silent`, () => undefined);
    await expect(bus.request(`${PRICING.quote}/silent`, 'x')).rejects.toBeInstanceOf(
      RequestTimeoutError,
    );
  });

  it.each([
    [{ requestTimeout: 0 }, /requestTimeout/],
    [{ replyTopic: 'pricing/replies/#' }, /replyTopic: .*wildcard/],
  ])('refuses %p at startup', async (options, message) => {
    await expect(
      startApp({ imports: [BuslineModule.forRoot({ local: true, ...options })] }),
    ).rejects.toThrow(message);
  });
});
