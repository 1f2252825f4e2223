import type { ObservableResult } from '@opentelemetry/api';
import { watchStatuses } from '../client-status';
import type { Publisher } from '../publisher';
import type { Subscriber } from '../subscriber';
import { instrumentsOf } from './busline-metrics';
import {
  BUSLINE_CONNECTION_STATUS,
  BUSLINE_CONNECTOR,
  MESSAGING_CLIENT_ID,
  MESSAGING_DESTINATION_TEMPLATE,
  MESSAGING_SYSTEM,
} from './messaging-attributes';
import { metricsApi } from './otel-api';

/** A publisher that may hold events while its connection is down (MQTT's). */
interface QueueingPublisher {
  readonly pendingPublishes: number;
}

function hasQueue(publisher: object): publisher is QueueingPublisher {
  return typeof (publisher as Partial<QueueingPublisher>).pendingPublishes === 'number';
}

/**
 * @internal While a client is connected and a meter provider is registered: observable gauges of
 * each subscription's backlog and each publisher's offline queue, and a counter of connection
 * status changes. Returns what stops it (nothing to stop without a meter provider).
 */
export function observeClient(
  clientId: string,
  publishers: readonly Publisher[],
  subscribers: readonly Subscriber[],
): (() => void) | undefined {
  const otel = metricsApi();
  if (otel === undefined) return undefined;
  const instruments = instrumentsOf(otel);
  const backlog = instruments.meter.createObservableGauge('busline.subscription.backlog', {
    unit: '{message}',
    description: 'Events a subscription took that wait for its handler.',
  });
  const offline = instruments.meter.createObservableGauge('busline.publisher.offline_queue', {
    unit: '{message}',
    description: 'Events a publisher holds while its connection is down, or not yet confirmed.',
  });
  const observeBacklog = (result: ObservableResult): void => {
    for (const subscriber of subscribers) {
      for (const subscription of subscriber.subscriptionIndex.values()) {
        result.observe(subscription.pending, {
          [MESSAGING_SYSTEM]: subscriber.messagingSystem,
          [MESSAGING_DESTINATION_TEMPLATE]: subscription.topic,
          [MESSAGING_CLIENT_ID]: clientId,
        });
      }
    }
  };
  const observeOffline = (result: ObservableResult): void => {
    for (const publisher of publishers) {
      if (!hasQueue(publisher)) continue;
      result.observe(publisher.pendingPublishes, {
        [MESSAGING_SYSTEM]: publisher.messagingSystem,
        [BUSLINE_CONNECTOR]: publisher.identifier,
        [MESSAGING_CLIENT_ID]: clientId,
      });
    }
  };
  backlog.addCallback(observeBacklog);
  offline.addCallback(observeOffline);
  const stopWatching = watchStatuses(publishers, subscribers, (change) => {
    instruments.connectionChanges.add(1, {
      [MESSAGING_SYSTEM]:
        change.role === 'publisher'
          ? (change.connector as Publisher).messagingSystem
          : (change.connector as Subscriber).messagingSystem,
      [BUSLINE_CONNECTOR]: change.connector.identifier,
      [BUSLINE_CONNECTION_STATUS]: change.status,
    });
  });
  return () => {
    backlog.removeCallback(observeBacklog);
    offline.removeCallback(observeOffline);
    stopWatching();
  };
}
