import type { Logger } from '@nestjs/common';
import type { ValidatorOptions } from 'class-validator';
import { internedEnvelope } from '../core/envelopes/envelope.codec';
import { DeduplicatingEventHandler } from '../core/handlers/deduplicating-event-handler';
import type { BuslineEventHandler } from '../core/handlers/event-handler';
import type { Subscriber } from '../core/subscriber';
import type { SubscribeOptions } from '../core/subscriber.options';
import type { BuslineClient } from './busline.client';
import type { DiscoveredHandler } from './busline.explorer';
import { markSelfInstrumented } from '../core/telemetry/instrumented-event-handler';
import {
  BoundHandler,
  type BoundHandlerServices,
  type BoundHandlerTelemetry,
} from './bound-handler';
import { BuslineConfigurationError } from './errors/busline-configuration.error';
import type { BuslineModuleOptions } from './interfaces/busline-module-options.interface';
import type { DeadLetterOptions } from './interfaces/dead-letter-options.interface';
import type { SubscriptionOptions } from './interfaces/subscription-options.interface';
import { DEFAULT_VALIDATOR_OPTIONS } from './message-validator';
import { TopicDispatcher } from './topic-dispatcher';
import { shareTopicFilter } from './topic-pattern';
import { TransportDispatcher } from './transport-dispatcher';

interface Group {
  readonly dispatcher: TopicDispatcher;
  options: SubscribeOptions & Record<string, unknown>;
}

/**
 * @internal Subscribes the discovered `@Subscribe` methods. A subscriber keeps one handler per
 * topic filter, so methods that share a filter on a subscriber share one subscription (a
 * {@link TopicDispatcher}); its options are merged: the smallest concurrency, the highest QoS.
 *
 * With several subscribers, a method that names no transport is subscribed through all of them
 * but gets each event once, whichever carried it: the methods of a filter that name none sit
 * behind one {@link DeduplicatingEventHandler} (one window of identifiers per filter, not per
 * method) that every subscriber's dispatcher of that filter shares. A method that names its
 * transports gets what each carries, and with one subscriber nothing is deduplicated. Each
 * subscriber's dispatcher says which transport delivers, for the handlers' `BuslineContext`.
 */
export class HandlerBinder {
  private readonly moduleValidation: ValidatorOptions | false;

  constructor(
    private readonly options: BuslineModuleOptions,
    private readonly client: BuslineClient,
    private readonly services: BoundHandlerServices,
    private readonly logger: Logger,
  ) {
    this.moduleValidation = validatorOptions(options.validation, DEFAULT_VALIDATOR_OPTIONS);
  }

  async bind(handlers: readonly DiscoveredHandler[]): Promise<void> {
    const groups = new Map<Subscriber, Map<string, Group>>();
    /** By filter, the methods that take each event once from all the subscribers. */
    const once = new Map<string, TopicDispatcher>();
    const several =
      new Set(this.client.subscribers.map((s) => this.client.transportOf(s))).size > 1;
    const add = (
      subscriber: Subscriber,
      filter: string,
      handler: BuslineEventHandler | undefined,
      options: Group['options'],
    ): void => {
      let byFilter = groups.get(subscriber);
      if (byFilter === undefined) groups.set(subscriber, (byFilter = new Map()));
      let group = byFilter.get(filter);
      if (group === undefined) {
        const transport = this.client.transportOf(subscriber) ?? subscriber.toString();
        const dispatcher = new TransportDispatcher(transport, this.client.replier);
        byFilter.set(filter, (group = { dispatcher, options }));
      } else {
        group.options = this.merge(filter, group.options, options);
      }
      if (handler !== undefined) group.dispatcher.handlers.push(handler);
    };
    const telemetry: BoundHandlerTelemetry = {
      clientId: this.client.identifier,
      systems: new Map(
        this.client.subscribers.map((s) => [
          this.client.transportOf(s) ?? s.toString(),
          s.messagingSystem,
        ]),
      ),
    };
    for (const handler of handlers) {
      for (const { pattern, options } of handler.subscriptions) {
        const where = `${handler.binding}: @Subscribe('${pattern.source}')`;
        const subscribers = this.subscribersFor(where, options);
        const filter =
          options.group === undefined ? pattern.filter : shareTopicFilter(pattern, options.group);
        const bound = new BoundHandler(
          {
            binding: handler.binding,
            pattern,
            call: handler.call,
            params: handler.params,
            paramTypes: handler.paramTypes,
            validation: validatorOptions(options.validate, this.moduleValidation),
            retry: options.retry === false ? undefined : (options.retry ?? this.options.retry),
            deadLetter: this.deadLetterFor(where, options),
            telemetry,
          },
          this.services,
        );
        const eachOnce = subscribers.length > 1 && options.transport === undefined;
        if (eachOnce) {
          // The deduplicating handler joins each subscriber's dispatcher once, with the first
          // method; later methods join behind it, their options still merged on each subscriber.
          let shared = once.get(filter);
          let deduplicating: DeduplicatingEventHandler | undefined;
          if (shared === undefined) {
            once.set(filter, (shared = new TopicDispatcher()));
            const window = this.options.deduplicationWindow;
            deduplicating = new DeduplicatingEventHandler(shared, { window });
          }
          for (const subscriber of subscribers) {
            add(subscriber, filter, deduplicating, transportOptions(options));
          }
          shared.handlers.push(bound);
        } else {
          for (const subscriber of subscribers) {
            add(subscriber, filter, bound, transportOptions(options));
          }
        }
        if (this.options.logBindings !== false) {
          const via = several
            ? [...new Set(subscribers.map((s) => this.client.transportOf(s)))].join(', ')
            : '';
          const how = eachOnce ? `${via}${via ? ': ' : ''}each event once` : via;
          this.logger.log(`${handler.binding} -> ${filter}${how ? ` (${how})` : ''}`);
        }
      }
    }
    for (const [subscriber, byFilter] of groups) {
      for (const [filter, { dispatcher, options }] of byFilter) {
        try {
          // Its bound handlers trace and measure each method's handling themselves.
          await subscriber.subscribe(filter, markSelfInstrumented(dispatcher), options);
        } catch (error) {
          throw new BuslineConfigurationError(
            `Cannot subscribe ${dispatcher.name} to '${filter}' on ${subscriber}: ${(error as Error).message}`,
            { cause: error },
          );
        }
      }
    }
  }

  private subscribersFor(where: string, options: SubscriptionOptions): Subscriber[] {
    let subscribers: Subscriber[];
    try {
      subscribers = this.client.subscribersOf(options.transport);
    } catch (error) {
      throw new BuslineConfigurationError(`${where}: ${(error as Error).message}`);
    }
    if (subscribers.length === 0) {
      throw new BuslineConfigurationError(
        `${where}: ${
          options.transport === undefined
            ? 'BuslineModule has no subscriber; configure `local`, `mqtt` or `subscribers`'
            : `the transport ${JSON.stringify(options.transport)} has no subscriber`
        }`,
      );
    }
    return subscribers;
  }

  private deadLetterFor(
    where: string,
    options: SubscriptionOptions,
  ): DeadLetterOptions | undefined {
    const given = options.deadLetter === undefined ? this.options.deadLetter : options.deadLetter;
    if (given === undefined || given === false) return undefined;
    const deadLetter = typeof given === 'string' ? { topic: given } : given;
    const names = deadLetter.transport;
    const unknown = (typeof names === 'string' ? [names] : (names ?? [])).filter(
      (n) => !this.client.transportNames.includes(n),
    );
    if (unknown.length > 0 || this.client.publishers.length === 0) {
      throw new BuslineConfigurationError(
        `${where}: cannot publish dead letters ${
          unknown.length > 0
            ? `through unknown transport '${unknown[0]}' (configured: ${this.client.transportNames.join(', ')})`
            : 'without a publisher; configure `local`, `mqtt` or `publishers`'
        }`,
      );
    }
    return deadLetter;
  }

  private merge(
    filter: string,
    current: Group['options'],
    next: Group['options'],
  ): Group['options'] {
    const merged: Group['options'] = { ...next, ...current };
    merged.concurrency = Math.min(current.concurrency ?? 1, next.concurrency ?? 1);
    if (current.qos !== undefined || next.qos !== undefined) {
      merged.qos = Math.max(Number(current.qos ?? 0), Number(next.qos ?? 0));
    }
    for (const key of Object.keys(next)) {
      if (key !== 'concurrency' && key !== 'qos' && current[key] !== next[key]) {
        this.logger.warn(
          `Handlers of '${filter}' share one subscription but ask for different '${key}' ` +
            `(${String(current[key])} and ${String(next[key])}); using ${String(current[key])}`,
        );
      }
    }
    return merged;
  }
}

function transportOptions(options: SubscriptionOptions): Group['options'] {
  const result: Group['options'] = { ...options.transportOptions };
  if (options.concurrency !== undefined) result.concurrency = options.concurrency;
  if (options.qos !== undefined) result.qos = options.qos;
  if (options.envelope !== undefined) result.envelope = internedEnvelope(options.envelope);
  return result;
}

/**
 * The class-validator options a handler validates with (`false`: no validation). `inherited` is
 * what applies when nothing more specific is given: the module's setting for a handler, on (with
 * the defaults) for the module.
 */
function validatorOptions(
  given: boolean | ValidatorOptions | undefined,
  inherited: ValidatorOptions | false,
): ValidatorOptions | false {
  if (given === undefined) return inherited;
  if (given === false) return false;
  if (given === true) return inherited === false ? DEFAULT_VALIDATOR_OPTIONS : inherited;
  return { ...DEFAULT_VALIDATOR_OPTIONS, ...given };
}
