import { checkDeduplicationWindow } from '../core/handlers/deduplicating-event-handler';
import { checkedTimeout } from '../core/option-checks';
import { validatePublishTopic } from '../core/topics/topic.validation';
import type { BuslineLogger } from '../core/logger';
import { Publisher } from '../core/publisher';
import { Subscriber } from '../core/subscriber';
import { AsyncLocalEventBus } from '../local/async-local-event-bus';
import { EventBus } from '../local/event-bus';
import { LocalPublisher } from '../local/local.publisher';
import { LocalSubscriber } from '../local/local.subscriber';
import { DEFAULT_CUSTOM_TRANSPORT, DEFAULT_LOCAL_TRANSPORT } from './busline.constants';
import { BuslineConfigurationError } from './errors/busline-configuration.error';
import type {
  BuslineModuleOptions,
  NamedConnectors,
} from './interfaces/busline-module-options.interface';
import { checkDeadLetter, checkRetry } from './options.validation';

/** A publisher or subscriber with the transport name users choose it by. */
export interface NamedConnector<T> {
  /** The transport name (`'local'`, `'mqtt'`, a custom name). */
  readonly name: string;
  /** The publisher or subscriber. */
  readonly connector: T;
}

/** @internal The publishers and subscribers an application's BuslineModule options describe. */
export interface BuslineTransports {
  readonly publishers: readonly NamedConnector<Publisher>[];
  readonly subscribers: readonly NamedConnector<Subscriber>[];
}

/** @internal What building transports needs besides the options. */
export interface TransportContext {
  readonly logger: BuslineLogger;
}

/** @internal A transport kind that can be configured in the module options. */
export type TransportBuilder = (
  options: BuslineModuleOptions,
  context: TransportContext,
  claim: (name: string, source: string) => void,
) => BuslineTransports;

/**
 * @internal Build the transports of the module options: the local bus, then each broker
 * connection of the registered builders, then the user-supplied publishers and subscribers.
 * Throws {@link BuslineConfigurationError} for options that cannot work.
 */
export function buildTransports(
  options: BuslineModuleOptions,
  context: TransportContext,
  builders: readonly TransportBuilder[] = [],
): BuslineTransports {
  checkModuleOptions(options);
  const claimed = new Map<string, string>();
  const claim = (name: string, source: string): void => {
    const previous = claimed.get(name);
    if (previous !== undefined && previous !== source) {
      throw new BuslineConfigurationError(
        `BuslineModule options use the transport name '${name}' for both ${previous} and ` +
          `${source}; give one of them another name`,
      );
    }
    claimed.set(name, source);
  };
  const publishers: NamedConnector<Publisher>[] = [];
  const subscribers: NamedConnector<Subscriber>[] = [];
  // Unset, the subscriber's own default applies (the same 10 s as the client's shutdownTimeout).
  const drainTimeout = options.shutdownTimeout;

  if (options.local !== undefined && options.local !== false) {
    const local = options.local === true ? {} : options.local;
    const name = local.name ?? DEFAULT_LOCAL_TRANSPORT;
    claim(name, 'the local transport');
    // Private to this application unless the user passes a bus (the process-wide one, say).
    const eventbus = local.eventbus ?? new AsyncLocalEventBus();
    publishers.push({ name, connector: new LocalPublisher({ eventbus, logger: context.logger }) });
    subscribers.push({
      name,
      connector: new LocalSubscriber({ eventbus, logger: context.logger, drainTimeout }),
    });
  }

  for (const build of builders) {
    const built = build(options, context, claim);
    publishers.push(...built.publishers);
    subscribers.push(...built.subscribers);
  }

  publishers.push(...named(options.publishers, 'publishers', Publisher, claim));
  subscribers.push(...named(options.subscribers, 'subscribers', Subscriber, claim));

  if (publishers.length === 0 && subscribers.length === 0) {
    throw new BuslineConfigurationError(
      'BuslineModule has no transport: set `local: true`, `mqtt: { url }`, or give `publishers` / ' +
        '`subscribers`',
    );
  }
  return { publishers, subscribers };
}

function named<T>(
  given: NamedConnectors<T> | undefined,
  option: string,
  kind: abstract new (...args: never[]) => T,
  claim: (name: string, source: string) => void,
): NamedConnector<T>[] {
  if (given === undefined) return [];
  const entries: [string, unknown][] = Array.isArray(given)
    ? given.map((connector) => [DEFAULT_CUSTOM_TRANSPORT, connector])
    : typeof given === 'object' && given !== null
      ? Object.entries(given).flatMap(([name, value]) =>
          Array.isArray(value)
            ? value.map((connector): [string, unknown] => [name, connector])
            : [[name, value] as [string, unknown]],
        )
      : [['', given]];
  return entries.map(([name, connector]) => {
    if (!(connector instanceof kind)) {
      throw new BuslineConfigurationError(
        `BuslineModule option \`${option}\` must be an array of ${kind.name} instances or an ` +
          `object of them by transport name; ${name === '' ? 'got' : `'${name}' is`} ${describe(connector)}`,
      );
    }
    claim(name, 'user-supplied transports');
    return { name, connector };
  });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value) as object | null;
    return prototype === null || prototype === Object.prototype
      ? 'a plain object'
      : `an instance of ${value.constructor?.name ?? 'an unnamed class'}`;
  }
  return `${typeof value} ${String(value)}`;
}

function checkModuleOptions(options: BuslineModuleOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new BuslineConfigurationError(
      `BuslineModule options must be an object (forRoot({ local: true }), or what forRootAsync's ` +
        `factory returns); got ${describe(options)}`,
    );
  }
  const local = options.local;
  if (
    local !== undefined &&
    typeof local !== 'boolean' &&
    (typeof local !== 'object' ||
      local === null ||
      (local.eventbus !== undefined && !(local.eventbus instanceof EventBus)))
  ) {
    throw new BuslineConfigurationError(
      'BuslineModule option `local` must be true, or { name?, eventbus?: EventBus }',
    );
  }
  for (const key of ['connectTimeout', 'shutdownTimeout'] as const) {
    const value = options[key];
    if (value !== undefined && !(typeof value === 'number' && value >= 0)) {
      throw new BuslineConfigurationError(
        `BuslineModule option \`${key}\` must be a number of milliseconds; got ${describe(value)}`,
      );
    }
  }
  if (options.onError !== undefined && typeof options.onError !== 'function') {
    throw new BuslineConfigurationError(
      `BuslineModule option \`onError\` must be a function (error, context) => ...; got ${describe(options.onError)}`,
    );
  }
  try {
    checkRetry('retry', options.retry);
    checkDeadLetter('deadLetter', options.deadLetter);
    checkDeduplicationWindow('deduplicationWindow', options.deduplicationWindow);
    checkedTimeout('publishTimeout', options.publishTimeout);
    checkedTimeout('requestTimeout', options.requestTimeout);
    checkReplyTopic(options.replyTopic);
  } catch (error) {
    throw new BuslineConfigurationError(`BuslineModule options: ${(error as Error).message}`);
  }
}

/** `replyTopic`, when given, must be a topic one can publish to (no wildcard). */
function checkReplyTopic(topic: string | undefined): void {
  if (topic === undefined) return;
  try {
    validatePublishTopic(topic);
  } catch (error) {
    throw new Error(`replyTopic: ${(error as Error).message}`, { cause: error });
  }
}
