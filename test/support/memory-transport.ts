import type { Event } from '../../lib/core/event';
import type { BuslineEventHandler } from '../../lib/core/handlers/event-handler';
import { Publisher, type PublishOptions, type PublisherOptions } from '../../lib/core/publisher';
import { Subscriber } from '../../lib/core/subscriber';
import type { SubscribeOptions, SubscriberOptions } from '../../lib/core/subscriber.options';

/** One call a memory transport saw, in order. */
export type Call = string;

/**
 * A publisher that keeps what it sends. `gate`, when set, makes internalPublish wait for it, so
 * tests can see what runs in parallel. With `hooks`, it overrides onPublishing/onPublished.
 */
export class MemoryPublisher extends Publisher {
  readonly sent: { topic: string; event: Event; options?: PublishOptions }[] = [];
  readonly calls: Call[] = [];
  gate: ((topic: string) => Promise<void>) | undefined;
  failWith: Error | undefined;

  constructor(options?: PublisherOptions) {
    super(options);
  }

  protected async internalPublish(
    topic: string,
    event: Event,
    options?: PublishOptions,
  ): Promise<void> {
    this.calls.push(`internalPublish:start:${topic}`);
    if (this.gate) await this.gate(topic);
    if (this.failWith) throw this.failWith;
    this.sent.push({ topic, event, options });
    this.calls.push(`internalPublish:end:${topic}`);
  }

  protected internalConnect(): void {
    this.calls.push('connect');
  }

  protected internalDisconnect(): void {
    this.calls.push('disconnect');
  }
}

/** A {@link MemoryPublisher} that overrides both publish hooks and records them. */
export class HookedMemoryPublisher extends MemoryPublisher {
  protected override async onPublishing(topic: string, event: Event): Promise<void> {
    this.calls.push(`onPublishing:${topic}:${event.identifier}`);
  }

  protected override onPublished(topic: string, event: Event): void {
    this.calls.push(`onPublished:${topic}:${event.identifier}`);
  }
}

/** Options of a {@link MemorySubscriber}. */
export interface MemorySubscriberOptions extends SubscriberOptions {
  /** Events the "broker" hands over synchronously inside internalSubscribe (retained messages). */
  retained?: Map<string, Event>;
}

/**
 * A subscriber whose "broker" is a test: it records internal calls and hooks, and `emit()` plays
 * an inbound event through `deliver()`.
 */
export class MemorySubscriber extends Subscriber {
  readonly calls: Call[] = [];
  /** Topics the transport currently has. */
  readonly transportTopics = new Set<string>();
  private readonly retained: Map<string, Event>;

  constructor(options: MemorySubscriberOptions = {}) {
    super(options);
    this.retained = options.retained ?? new Map();
  }

  /** An event arrives from the transport. */
  emit(topic: string, event: Event): Promise<void> | undefined {
    return this.deliver(topic, event);
  }

  protected internalSubscribe(topic: string, options?: SubscribeOptions): void {
    this.calls.push(`internalSubscribe:${topic}${options ? `:${JSON.stringify(options)}` : ''}`);
    this.transportTopics.add(topic);
    const retained = this.retained.get(topic);
    if (retained) this.deliver(topic, retained);
  }

  protected internalUnsubscribe(topic: string): void {
    this.calls.push(`internalUnsubscribe:${topic}`);
    this.transportTopics.delete(topic);
  }

  protected internalConnect(): void {
    this.calls.push('connect');
  }

  protected internalDisconnect(): void {
    this.calls.push('disconnect');
    this.transportTopics.clear();
  }

  protected override onSubscribing(topic: string, handler: BuslineEventHandler | undefined): void {
    this.calls.push(`onSubscribing:${topic}:${handler?.name ?? 'none'}`);
  }

  protected override async onSubscribed(
    topic: string,
    handler: BuslineEventHandler | undefined,
  ): Promise<void> {
    this.calls.push(`onSubscribed:${topic}:${handler?.name ?? 'none'}`);
  }

  protected override onUnsubscribing(topic: string | undefined): void {
    this.calls.push(`onUnsubscribing:${topic ?? '*'}`);
  }

  protected override async onUnsubscribed(topic: string | undefined): Promise<void> {
    this.calls.push(`onUnsubscribed:${topic ?? '*'}`);
  }
}
