import { NoResponderError } from '../../lib/core/errors/no-responder.error';
import { RemoteHandlerError } from '../../lib/core/errors/remote-handler.error';
import { RequestTimeoutError } from '../../lib/core/errors/request-timeout.error';
import type { Event } from '../../lib/core/event';
import { Int64Message } from '../../lib/core/messages/int64.message';
import { StringMessage } from '../../lib/core/messages/string.message';
import type { PubSubClient, RequestOptions } from '../../lib/core/pubsub-client';
import type { ClientSubscribeOptions } from '../../lib/core/pubsub-client';
import { deferred } from './deferred';
import { waitFor } from './wait-for';

/** One transport (or protocol version) the request/reply cases run on. */
export interface RequestReplyTransport {
  /** Name in the test titles. */
  readonly name: string;
  /** A new, connected client (one publisher, one subscriber); closed after each test. */
  client(): Promise<PubSubClient>;
  /** A topic no other test uses. */
  topic(name: string): string;
  /** Options of every request (QoS, ...). */
  readonly requestOptions?: RequestOptions;
  /** Options of every responder's subscription (QoS, ...). */
  readonly subscribeOptions?: ClientSubscribeOptions;
  /** True when the transport can tell that nobody is subscribed; a string says why not. */
  readonly noResponder: true | string;
  /** True when `$share/<group>/` splits a topic's events in the group; a string says why not. */
  readonly sharedSubscriptions: true | string;
}

function when(condition: true | string): jest.It {
  if (condition === true) return it;
  return ((name: string, fn?: jest.ProvidesCallback, timeout?: number) =>
    it.skip(`${name} [skipped: ${condition}]`, fn, timeout)) as unknown as jest.It;
}

/**
 * The request/reply behaviour every transport must have: a round trip, concurrent requests, a
 * timeout, a late reply, a responder that throws, no responder, a shared-subscription group.
 */
export function describeRequestReply(transport: RequestReplyTransport): void {
  describe(`request/reply over ${transport.name}`, () => {
    const clients: PubSubClient[] = [];
    const client = async (): Promise<PubSubClient> => {
      const made = await transport.client();
      clients.push(made);
      return made;
    };
    const request = (
      requester: PubSubClient,
      topic: string,
      message?: StringMessage | Int64Message | string | number,
      options?: RequestOptions,
    ): Promise<Event> =>
      requester.request(topic, message, { ...transport.requestOptions, ...options });
    afterEach(async () => {
      await Promise.all(clients.splice(0).map((c) => c.disconnect()));
    });

    it('resolves with the reply the responder handler returned', async () => {
      const [requester, responder] = await Promise.all([client(), client()]);
      const topic = transport.topic('echo');
      await responder.subscribe<StringMessage>(
        topic,
        (_topic, event) => new StringMessage(`pong ${event.payload!.value}`),
        transport.subscribeOptions,
      );
      const reply = await request(requester, topic, 'ping', { timeout: 5_000 });
      expect(reply.payload).toBeInstanceOf(StringMessage);
      expect((reply.payload as StringMessage).value).toBe('pong ping');
      expect(reply.publisherIdentifier).toBe(responder.identifier);
      expect(requester.lateReplies).toBe(0);
    });

    it('gives each of many concurrent requests its own reply', async () => {
      const [requester, responder] = await Promise.all([client(), client()]);
      const topic = transport.topic('square');
      const held: (() => void)[] = [];
      // Handled all at once, answered in reverse order: replies must not be matched by order.
      await responder.subscribe<Int64Message>(
        topic,
        async (_topic, event) => {
          await new Promise<void>((resolve) => held.push(resolve));
          const n = Number(event.payload!.value);
          return new Int64Message(n * n);
        },
        { ...transport.subscribeOptions, concurrency: Infinity },
      );
      const numbers = Array.from({ length: 20 }, (_, i) => i + 1);
      const replies = numbers.map((n) => request(requester, topic, n, { timeout: 10_000 }));
      await waitFor(() => held.length === numbers.length, 10_000, 'every request handled');
      for (const release of held.reverse()) release();
      const values = (await Promise.all(replies)).map((r) =>
        Number((r.payload as Int64Message).value),
      );
      expect(values).toEqual(numbers.map((n) => n * n));
      expect(requester.lateReplies).toBe(0);
    });

    it('rejects with RequestTimeoutError when no reply comes, and counts a reply that comes late', async () => {
      const [requester, responder] = await Promise.all([client(), client()]);
      const topic = transport.topic('slow');
      const gate = deferred();
      await responder.subscribe(
        topic,
        async () => {
          await gate.promise;
          return 'too late';
        },
        transport.subscribeOptions,
      );
      const error = await request(requester, topic, 'x', { timeout: 300 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RequestTimeoutError);
      expect((error as RequestTimeoutError).topic).toBe(topic);
      expect((error as RequestTimeoutError).timeout).toBe(300);
      expect(requester.lateReplies).toBe(0);
      gate.resolve();
      await waitFor(() => requester.lateReplies === 1, 5_000, 'the late reply counted');
      // The client goes on: a new request gets its own reply, not the late one.
      const next = await request(requester, topic, 'y', { timeout: 5_000 });
      expect((next.payload as StringMessage).value).toBe('too late');
      expect(requester.lateReplies).toBe(1);
    });

    it('sends no reply for a handler that returns undefined (the request times out)', async () => {
      const [requester, responder] = await Promise.all([client(), client()]);
      const topic = transport.topic('silent');
      let handled = 0;
      await responder.subscribe(topic, () => void handled++, transport.subscribeOptions);
      await expect(request(requester, topic, 'x', { timeout: 300 })).rejects.toBeInstanceOf(
        RequestTimeoutError,
      );
      expect(handled).toBe(1);
    });

    it('rejects with RemoteHandlerError, not a timeout, when the responder throws', async () => {
      const [requester, responder] = await Promise.all([client(), client()]);
      const topic = transport.topic('fails');
      const reported: unknown[] = [];
      for (const subscriber of responder.subscribers) subscriber.onError = (e) => reported.push(e);
      await responder.subscribe(
        topic,
        async (_topic, event) => {
          if ((event.payload as StringMessage).value === 'sync') throw new TypeError('bad input');
          throw new RangeError('out of stock');
        },
        transport.subscribeOptions,
      );
      const started = Date.now();
      const error = await request(requester, topic, 'async', { timeout: 10_000 }).catch(
        (e: unknown) => e,
      );
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(error).toBeInstanceOf(RemoteHandlerError);
      const remote = error as RemoteHandlerError;
      expect(remote.remoteName).toBe('RangeError');
      expect(remote.remoteMessage).toBe('out of stock');
      expect(remote.responder).toBe(responder.identifier);
      expect(remote.message).toContain('out of stock');
      expect(remote.message).not.toContain(' at '); // no stack
      // The responder reported its failure as usual and keeps answering.
      await waitFor(() => reported.length === 1, 5_000, 'the failure reported');
      await expect(request(requester, topic, 'sync', { timeout: 10_000 })).rejects.toMatchObject({
        name: 'RemoteHandlerError',
        remoteName: 'TypeError',
        remoteMessage: 'bad input',
      });
    });

    when(transport.noResponder)(
      'rejects with NoResponderError at once when nobody is subscribed',
      async () => {
        const requester = await client();
        const topic = transport.topic('nobody');
        const started = Date.now();
        const error = await request(requester, topic, 'x', { timeout: 20_000 }).catch(
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(NoResponderError);
        expect((error as NoResponderError).topic).toBe(topic);
        expect(Date.now() - started).toBeLessThan(10_000);
      },
    );

    when(transport.sharedSubscriptions)(
      'answers a request made to a $share group once, to the requester only',
      async () => {
        const [requester, other, first, second] = await Promise.all([
          client(),
          client(),
          client(),
          client(),
        ]);
        const topic = transport.topic('pool');
        const handledBy: string[] = [];
        for (const [name, responder] of [
          ['first', first],
          ['second', second],
        ] as const) {
          await responder.subscribe<StringMessage>(
            `$share/workers/${topic}`,
            (_topic, event) => {
              handledBy.push(name);
              return `${name} did ${event.payload!.value}`;
            },
            transport.subscribeOptions,
          );
        }
        const asks = Array.from({ length: 10 }, (_, i) => `job ${i}`);
        const [mine, theirs] = await Promise.all([
          Promise.all(asks.map((ask) => request(requester, topic, ask, { timeout: 10_000 }))),
          Promise.all(
            asks.map((ask) => request(other, topic, `other ${ask}`, { timeout: 10_000 })),
          ),
        ]);
        expect(
          mine.map((r) => (r.payload as StringMessage).value.replace(/^\w+ did /, '')),
        ).toEqual(asks);
        expect(
          theirs.map((r) => (r.payload as StringMessage).value.replace(/^\w+ did /, '')),
        ).toEqual(asks.map((a) => `other ${a}`));
        // Each request handled by one member of the group, each reply taken once, by its requester.
        expect(handledBy).toHaveLength(20);
        expect(requester.lateReplies).toBe(0);
        expect(other.lateReplies).toBe(0);
        expect(first.lateReplies + second.lateReplies).toBe(0);
      },
    );
  });
}
