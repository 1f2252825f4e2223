import type { INestApplicationContext } from '@nestjs/common';
import type { Event } from '../../core/event';
import type { BuslineEventHandler } from '../../core/handlers/event-handler';
import type { Publisher } from '../../core/publisher';
import type { Subscription } from '../../core/subscription';
import { BoundHandler } from '../bound-handler';
import type { FailureTarget } from '../busline-error.reporter';
import type { BuslineClient } from '../busline.client';
import type { BuslineModuleOptions } from '../interfaces/busline-module-options.interface';
import { counted, FlowCounter, type Clock } from './flow-counters';
import type { FlowDeclarations } from './flow-declarations';
import type {
  FlowApp,
  FlowHandler,
  FlowMessage,
  FlowPublication,
  FlowSubscriptionCounters,
} from './flow-model';
import { flowTransports } from './flow-transports';
import {
  collectBound,
  CountingHandler,
  CountingSubscriptionHandler,
  dispatcherOf,
} from './flow-wrappers';

/** @internal Distinct published topics counted one by one; the rest are counted together. */
export const MAX_COUNTED_TOPICS = 100;
/** @internal The publication the topics beyond {@link MAX_COUNTED_TOPICS} are counted under. */
export const OTHER_TOPICS = '(other topics)';

/** @internal Describes the message types the page shows (schema, example). */
export type MessageDescriber = (messageType: string) => FlowMessage | undefined;

interface Publication {
  readonly topic: string;
  readonly transports: Set<string>;
  messageType?: string;
  readonly counter: FlowCounter;
}

/**
 * @internal What the flow page knows of one Busline application: its transports, the handlers
 * bound on its subscribers, what it publishes, and, once {@link activate}d, live counters. Until
 * then it changes nothing: counting is installed only while a page is served in the process, by
 * wrapping the handlers already bound (and the publishers' `publishEvent`) from outside.
 */
export class FlowAppProbe {
  private active = false;
  private readonly handlerCounters = new Map<BoundHandler, FlowCounter>();
  private readonly subscriptionCounters = new Map<Subscription, FlowCounter>();
  private readonly published = new Map<string, Publication>();
  private readonly restore: (() => void)[] = [];

  constructor(
    readonly id: string,
    readonly name: string,
    private readonly client: BuslineClient,
    private readonly options: BuslineModuleOptions,
    private readonly describeMessage: MessageDescriber,
    /** What the application declares (from its AsyncAPI document), if it can be read. */
    private readonly declarations: () => FlowDeclarations | undefined,
    /** The application, for its AsyncAPI document. */
    readonly context: INestApplicationContext,
    private readonly clock: Clock = Date.now,
  ) {}

  /** Start counting: wrap the bound handlers and the publishers (once). */
  activate(): void {
    if (this.active) return;
    this.active = true;
    this.wrapSubscriptions();
    for (const publisher of this.client.publishers) this.wrapPublisher(publisher);
  }

  /** Stop counting and put the original handlers and publishers back. */
  deactivate(): void {
    for (const undo of this.restore.splice(0)) undo();
    this.active = false;
  }

  /** The application as the page shows it, with its counters when active. */
  describe(): FlowApp {
    this.wrapSubscriptions(); // handlers subscribed since the last look
    const declared = this.declarations();
    const subscriptions: FlowSubscriptionCounters[] = [];
    const handlers = new Map<string, FlowHandler & { transports: string[] }>();
    const addHandler = (
      binding: string,
      filter: string,
      transports: readonly string[],
      counters?: FlowHandler['counters'],
    ): void => {
      const id = `${binding}|${filter}`;
      const known = handlers.get(id);
      if (known === undefined) {
        handlers.set(id, { id, binding, filter, transports: [...transports], counters });
        return;
      }
      for (const t of transports) if (!known.transports.includes(t)) known.transports.push(t);
    };
    for (const { transport, subscription, bound } of this.subscriptions()) {
      const counter = this.subscriptionCounters.get(subscription);
      if (counter !== undefined) {
        let errors = 0;
        for (const handler of bound) errors += this.handlerCounters.get(handler)?.errors ?? 0;
        const snapshot = counter.snapshot(subscription.pending);
        subscriptions.push({
          transport,
          filter: subscription.topic,
          counters: { ...snapshot, errors: snapshot.errors + errors },
        });
      }
      for (const handler of bound) {
        const counters = this.handlerCounters.get(handler)?.snapshot();
        addHandler(handler.binding, subscription.topic, [transport], counters);
      }
    }
    const types = new Map<string, string | undefined>();
    for (const d of declared?.handlers ?? []) {
      addHandler(d.binding, d.filter, d.transports);
      types.set(`${d.binding}|${d.filter}`, d.messageType);
    }

    const publications = new Map<string, FlowPublication>();
    for (const d of declared?.publications ?? []) {
      const known = publications.get(d.filter);
      publications.set(d.filter, {
        id: d.filter,
        topic: d.filter,
        transports: [...new Set([...(known?.transports ?? []), ...d.transports])],
        messageType: d.messageType ?? known?.messageType,
        publisher: known?.publisher === undefined ? d.binding : `${known.publisher}, ${d.binding}`,
      });
    }
    for (const p of this.published.values()) {
      const known = publications.get(p.topic);
      publications.set(p.topic, {
        id: p.topic,
        topic: p.topic,
        transports: [...new Set([...(known?.transports ?? []), ...p.transports])],
        messageType: known?.messageType ?? p.messageType,
        publisher: known?.publisher,
        counters: p.counter.snapshot(),
      });
    }

    const list = [...handlers.values()].map((h) => ({ ...h, messageType: types.get(h.id) }));
    const messageTypes = new Set<string>();
    for (const item of [...list, ...publications.values()]) {
      if (item.messageType !== undefined) messageTypes.add(item.messageType);
    }
    const messages = [...messageTypes]
      .sort()
      .map((name) => declared?.messages.get(name) ?? this.describeMessage(name) ?? { name });
    return {
      id: this.id,
      name: this.name,
      transports: flowTransports(this.client, this.options, this.id),
      handlers: list,
      publications: [...publications.values()],
      subscriptions,
      messages,
    };
  }

  /** Each subscription of the client's subscribers with the bound handlers behind it. */
  private *subscriptions(): Generator<{
    transport: string;
    subscription: Subscription;
    bound: BoundHandler[];
  }> {
    for (const subscriber of this.client.subscribers) {
      const transport = this.client.transportOf(subscriber) ?? 'custom';
      for (const subscription of subscriber.subscriptionIndex.values()) {
        const bound: BoundHandler[] = [];
        collectBound(subscription.handler, bound);
        if (bound.length > 0) yield { transport, subscription, bound };
      }
    }
  }

  private wrapSubscriptions(): void {
    if (!this.active) return;
    for (const subscriber of this.client.subscribers) {
      for (const subscription of subscriber.subscriptionIndex.values()) {
        const handler = subscription.handler;
        if (handler === undefined || this.subscriptionCounters.has(subscription)) continue;
        const counter = new FlowCounter(this.clock);
        this.subscriptionCounters.set(subscription, counter);
        this.wrapBound(handler);
        subscription.handler = new CountingSubscriptionHandler(handler, counter);
        this.restore.push(() => {
          if (subscription.handler instanceof CountingSubscriptionHandler) {
            subscription.handler = subscription.handler.inner;
          }
          this.subscriptionCounters.delete(subscription);
        });
      }
    }
  }

  /** Replace each bound handler inside `handler` by a counting one. */
  private wrapBound(handler: BuslineEventHandler): void {
    const dispatcher = dispatcherOf(handler);
    if (dispatcher === undefined) return;
    const list = dispatcher.handlers;
    for (let i = 0; i < list.length; i++) {
      const inner = list[i];
      if (inner instanceof BoundHandler) {
        const counter = this.handlerCounters.get(inner) ?? new FlowCounter(this.clock);
        this.handlerCounters.set(inner, counter);
        const wrapper = new CountingHandler(inner, counter);
        list[i] = wrapper;
        this.restore.push(() => {
          const at = list.indexOf(wrapper);
          if (at >= 0) list[at] = inner;
          const target: FailureTarget = inner;
          target.onFailure = undefined;
          this.handlerCounters.delete(inner);
        });
      } else if (!(inner instanceof CountingHandler)) {
        this.wrapBound(inner);
      }
    }
  }

  private wrapPublisher(publisher: Publisher): void {
    const transport = this.client.transportOf(publisher) ?? 'custom';
    const original = Object.prototype.hasOwnProperty.call(publisher, 'publishEvent')
      ? undefined
      : publisher.publishEvent;
    if (original === undefined) return; // someone else replaced it: leave it alone
    publisher.publishEvent = (topic, event, options) => {
      const publication = this.publication(topic, transport, event);
      return counted(publication.counter, () => original.call(publisher, topic, event, options));
    };
    this.restore.push(() => {
      delete (publisher as Partial<Publisher>).publishEvent;
      this.published.clear();
    });
  }

  private publication(topic: string, transport: string, event: Event): Publication {
    let key = topic;
    if (!this.published.has(key) && this.published.size >= MAX_COUNTED_TOPICS) {
      key = OTHER_TOPICS;
    }
    let publication = this.published.get(key);
    if (publication === undefined) {
      publication = { topic: key, transports: new Set(), counter: new FlowCounter(this.clock) };
      this.published.set(key, publication);
    }
    publication.transports.add(transport);
    const payload = event.payload;
    if (payload !== null && key !== OTHER_TOPICS)
      publication.messageType = payload.constructor.name;
    return publication;
  }
}
