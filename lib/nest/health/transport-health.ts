import type { ConnectionStatus } from '../../core/connection-status';
import type { EventBusConnector } from '../../core/connector';

/** How one transport of the application stands, as {@link BuslineHealthIndicator} reports it. */
export interface TransportHealth {
  /**
   * `connected` when every publisher and subscriber of the transport is; otherwise the status of
   * the one that stands worst (`disconnected`, `offline`, `reconnecting`, then `connecting`).
   */
  readonly status: ConnectionStatus;
  /** Since when (ISO 8601): the earliest of the connectors in that status, or, when all are connected, the latest. */
  readonly since: string;
  /** The broker (MQTT), without credentials. */
  readonly broker?: string;
}

/** From best to worst. */
const RANK: Record<ConnectionStatus, number> = {
  connected: 0,
  connecting: 1,
  reconnecting: 2,
  offline: 3,
  disconnected: 4,
};

/** @internal One transport's health from its publishers and subscribers. */
export function transportHealth(connectors: readonly EventBusConnector[]): TransportHealth {
  let status: ConnectionStatus = 'connected';
  for (const connector of connectors) {
    if (RANK[connector.status] > RANK[status]) status = connector.status;
  }
  const times = connectors.filter((c) => c.status === status).map((c) => c.statusSince.getTime());
  const since = new Date(status === 'connected' ? Math.max(...times) : Math.min(...times));
  const broker = connectors.map(brokerOf).find((b) => b !== undefined);
  return broker === undefined
    ? { status, since: since.toISOString() }
    : { status, since: since.toISOString(), broker };
}

function brokerOf(connector: EventBusConnector): string | undefined {
  const broker: unknown = (connector as unknown as { broker?: unknown }).broker;
  return typeof broker === 'string' ? broker : undefined;
}
