import { randomUUID } from 'node:crypto';
import { NoResponderError } from '../errors/no-responder.error';
import { NoSubscriberError } from '../errors/no-subscriber.error';
import { RemoteHandlerError } from '../errors/remote-handler.error';
import { RequestTimeoutError } from '../errors/request-timeout.error';
import type { Event, EventHeaders } from '../event';
import {
  CORRELATION_ID_HEADER,
  ERROR_HEADER,
  ERROR_NAME_HEADER,
  REPLY_TO_HEADER,
} from '../event-headers';
import { createEvent, type Publishable, type PublishOptions, type Publisher } from '../publisher';

/** @internal What a {@link Requester} needs from its client. */
export interface RequesterHost {
  /** Publisher identifier of the requests. */
  readonly identifier: string;
  /** Subscribe the reply handler to the reply topic (through every subscriber). */
  subscribeReplies(topic: string, handler: (topic: string, event: Event) => void): Promise<unknown>;
}

interface Pending {
  readonly topic: string;
  readonly resolve: (reply: Event) => void;
  readonly reject: (error: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/**
 * @internal The requests of one client: its reply topic (subscribed on the first request, once),
 * the requests waiting for a reply by correlation identifier, and the count of replies that came
 * too late.
 */
export class Requester {
  /** Replies that matched no waiting request (it timed out, or was never made here). */
  lateReplies = 0;
  private readonly pending = new Map<string, Pending>();
  private listening: Promise<unknown> | undefined;

  constructor(
    private readonly host: RequesterHost,
    /** The topic this client's replies come back on. */
    readonly replyTopic: string,
  ) {}

  /** How many requests wait for their reply. */
  get waiting(): number {
    return this.pending.size;
  }

  /**
   * Publish a request through `publishers` and resolve with its reply; see
   * `PubSubClient.request`.
   */
  async request(
    topic: string,
    message: Publishable,
    publishers: readonly Publisher[],
    timeout: number,
    options: PublishOptions,
  ): Promise<Event> {
    const correlation = randomUUID();
    const headers: EventHeaders = {
      ...options.headers,
      [REPLY_TO_HEADER]: this.replyTopic,
      [CORRELATION_ID_HEADER]: correlation,
    };
    const publishOptions: PublishOptions = { ...options, headers, requireSubscriber: true };
    const event = createEvent(this.host.identifier, message, publishOptions);
    await this.listen();
    return new Promise<Event>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.pending.delete(correlation)) {
          reject(new RequestTimeoutError(topic, event.identifier, timeout));
        }
      }, timeout);
      this.pending.set(correlation, { topic, resolve, reject, timer });
      // async: a publisher that throws instead of rejecting settles this request all the same.
      void Promise.allSettled(
        publishers.map(async (p) => p.publishEvent(topic, event, publishOptions)),
      ).then((results) => {
        if (results.some((r) => r.status === 'fulfilled')) return;
        const errors = results.map((r) => (r as PromiseRejectedResult).reason as unknown);
        const other = errors.find((e) => !(e instanceof NoSubscriberError));
        this.settle(correlation, undefined, other ?? new NoResponderError(topic));
      });
    });
  }

  /** Subscribe to the reply topic on the first request; a failed attempt is tried again. */
  private listen(): Promise<unknown> {
    this.listening ??= this.host
      .subscribeReplies(this.replyTopic, (_topic, reply) => this.onReply(reply))
      .catch((error: unknown) => {
        this.listening = undefined;
        throw error;
      });
    return this.listening;
  }

  private onReply(reply: Event): void {
    const correlation = reply.headers[CORRELATION_ID_HEADER];
    const pending = correlation === undefined ? undefined : this.pending.get(correlation);
    if (pending === undefined) {
      this.lateReplies++;
      return;
    }
    const remote = reply.headers[ERROR_HEADER];
    if (remote === undefined) {
      this.settle(correlation!, reply, undefined);
      return;
    }
    const name = reply.headers[ERROR_NAME_HEADER] ?? 'Error';
    const error = new RemoteHandlerError(pending.topic, name, remote, reply.publisherIdentifier);
    this.settle(correlation!, undefined, error);
  }

  private settle(correlation: string, reply: Event | undefined, error: unknown): void {
    const pending = this.pending.get(correlation);
    if (pending === undefined) return;
    this.pending.delete(correlation);
    clearTimeout(pending.timer);
    if (reply !== undefined) pending.resolve(reply);
    else pending.reject(error as Error);
  }

  /** Reject every waiting request with the error `reason` makes for its topic. */
  cancelAll(reason: (topic: string) => Error): void {
    for (const [correlation, pending] of [...this.pending]) {
      this.settle(correlation, undefined, reason(pending.topic));
    }
  }
}
