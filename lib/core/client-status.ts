import type { ConnectionStatus, ConnectionStatusChange } from './connection-status';
import type { EventBusConnector } from './connector';

/** One publisher's or subscriber's status, as a client reports it. */
export interface ConnectorStatus {
  /** The publisher or subscriber (its `identifier`, and `broker` for MQTT, say which it is). */
  readonly connector: EventBusConnector;
  /** Whether it publishes or subscribes. */
  readonly role: 'publisher' | 'subscriber';
  /** Its status. */
  readonly status: ConnectionStatus;
  /** Since when it has that status. */
  readonly since: Date;
}

/** A status change of one of a client's publishers or subscribers. */
export interface ConnectorStatusChange extends ConnectorStatus, ConnectionStatusChange {}

/** @internal The status of each connector, publishers first. */
export function statusesOf(
  publishers: readonly EventBusConnector[],
  subscribers: readonly EventBusConnector[],
): ConnectorStatus[] {
  const line = (connector: EventBusConnector, role: ConnectorStatus['role']): ConnectorStatus => ({
    connector,
    role,
    status: connector.status,
    since: connector.statusSince,
  });
  return [
    ...publishers.map((p) => line(p, 'publisher')),
    ...subscribers.map((s) => line(s, 'subscriber')),
  ];
}

/** @internal Listen to every connector's changes; returns a function that stops listening. */
export function watchStatuses(
  publishers: readonly EventBusConnector[],
  subscribers: readonly EventBusConnector[],
  listener: (change: ConnectorStatusChange) => void,
): () => void {
  const stops = [
    ...publishers.map((connector) =>
      connector.onStatus((change) => listener({ ...change, connector, role: 'publisher' })),
    ),
    ...subscribers.map((connector) =>
      connector.onStatus((change) => listener({ ...change, connector, role: 'subscriber' })),
    ),
  ];
  return () => stops.forEach((stop) => stop());
}
