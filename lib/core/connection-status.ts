import type { BuslineLogger } from './logger';

/**
 * Where a publisher or subscriber stands with its event bus:
 * - `disconnected`: before `connect()` and after `disconnect()`;
 * - `connecting`: `connect()` is under way;
 * - `connected`: ready;
 * - `reconnecting`: the connection was lost and the transport is trying again on its own
 *   (MQTT: every `reconnectPeriod` ms; publishes wait in the outbox meanwhile);
 * - `offline`: the connection was lost and will not be tried again.
 *
 * The local bus is only ever `disconnected`, `connecting` or `connected`.
 */
export type ConnectionStatus =
  'disconnected' | 'connecting' | 'connected' | 'reconnecting' | 'offline';

/** What comes with a status change. */
export interface ConnectionStatusChange {
  /** The new status. */
  readonly status: ConnectionStatus;
  /** When the connector took this status. */
  readonly since: Date;
  /** Why the connection was lost, when known (`reconnecting`, `offline`); never holds credentials. */
  readonly cause?: Error;
  /** On `connected` (MQTT): whether the broker resumed a stored session (`clean: false`). */
  readonly sessionPresent?: boolean;
}

/** Called on every status change. */
export type ConnectionStatusListener = (change: ConnectionStatusChange) => void;

/**
 * @internal The status of one connector and who listens to it. A change to the status it already
 * has is dropped, except `connected` (a transport may report a reconnection that way); a listener
 * that throws is reported and does not keep the others from hearing.
 */
export class StatusTracker {
  private change: ConnectionStatusChange = { status: 'disconnected', since: new Date() };
  private readonly listeners = new Set<ConnectionStatusListener>();

  constructor(
    private readonly owner: () => string,
    private readonly logger: BuslineLogger,
  ) {}

  /** The current status and since when. */
  get current(): ConnectionStatusChange {
    return this.change;
  }

  /** Take a new status; tells the listeners. */
  set(
    status: ConnectionStatus,
    details: Omit<ConnectionStatusChange, 'status' | 'since'> = {},
  ): void {
    if (status === this.change.status && status !== 'connected') return;
    const change: ConnectionStatusChange = { ...details, status, since: new Date() };
    this.change = change;
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.logger.error(`${this.owner()}: a status listener threw: ${String(error)}`);
      }
    }
  }

  /** Call `listener` on every change; returns a function that stops it. */
  listen(listener: ConnectionStatusListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
