import { randomUUID } from 'node:crypto';
import { inspect, type InspectOptionsStylized } from 'node:util';
import {
  StatusTracker,
  type ConnectionStatus,
  type ConnectionStatusListener,
} from './connection-status';
import { consoleLogger, type BuslineLogger } from './logger';

/** Options every publisher and subscriber takes. */
export interface ConnectorOptions {
  /** Identifier of this connector; a random UUID unless given. */
  identifier?: string;
  /** Where to report; defaults to warnings and errors on the console. */
  logger?: BuslineLogger;
}

/**
 * What publishers and subscribers share: an identifier and a connection to their event bus.
 * `connect()` and `disconnect()` are idempotent, and concurrent calls share one attempt.
 */
export abstract class EventBusConnector {
  /** Identifier of this connector (for a publisher, the events' `publisherIdentifier`). */
  readonly identifier: string;
  protected readonly logger: BuslineLogger;
  private state: 'disconnected' | 'connecting' | 'connected' | 'disconnecting' = 'disconnected';
  private pending: Promise<void> | undefined;
  private readonly ownStatus: StatusTracker;

  constructor(options: ConnectorOptions = {}) {
    this.identifier = options.identifier ?? randomUUID();
    this.logger = options.logger ?? consoleLogger;
    this.ownStatus = new StatusTracker(() => this.toString(), this.logger);
  }

  /** True between a successful `connect()` and the next `disconnect()`. */
  get connected(): boolean {
    return this.state === 'connected';
  }

  /**
   * Where the connection stands; unlike {@link EventBusConnector.connected}, it follows a transport that loses its
   * connection and reconnects on its own (MQTT), see {@link ConnectionStatus}.
   */
  get status(): ConnectionStatus {
    return this.statusTracker().current.status;
  }

  /** Since when the connector has its {@link EventBusConnector.status}. */
  get statusSince(): Date {
    return this.statusTracker().current.since;
  }

  /** Call `listener` on every status change; returns a function that stops it. */
  onStatus(listener: ConnectionStatusListener): () => void {
    return this.statusTracker().listen(listener);
  }

  /**
   * @internal Where `status` comes from: by default what `connect()` and `disconnect()`
   * did; a transport that follows its connection itself returns its own tracker.
   */
  protected statusTracker(): StatusTracker {
    return this.ownStatus;
  }

  /** Connect to the event bus; resolves once connected, rejects with the transport's error. */
  async connect(): Promise<void> {
    if (this.state === 'connected') return;
    if (this.state === 'connecting') return this.pending;
    if (this.state === 'disconnecting') await this.pending;
    this.state = 'connecting';
    this.ownStatus.set('connecting');
    this.pending = (async () => {
      try {
        await this.internalConnect();
        this.state = 'connected';
        this.ownStatus.set('connected');
      } catch (error) {
        this.state = 'disconnected';
        this.ownStatus.set('disconnected');
        throw error;
      }
    })();
    return this.pending;
  }

  /** Disconnect from the event bus. */
  async disconnect(): Promise<void> {
    if (this.state === 'disconnected') return;
    if (this.state === 'disconnecting') return this.pending;
    if (this.state === 'connecting') await this.pending?.catch(() => undefined);
    this.state = 'disconnecting';
    this.pending = (async () => {
      try {
        await this.internalDisconnect();
      } finally {
        this.state = 'disconnected';
        this.ownStatus.set('disconnected');
      }
    })();
    return this.pending;
  }

  /** Transport work of `connect()`. */
  protected abstract internalConnect(): Promise<void> | void;

  /** Transport work of `disconnect()`. */
  protected abstract internalDisconnect(): Promise<void> | void;

  toString(): string {
    return `${this.constructor.name}('${this.identifier}')`;
  }

  /**
   * What `util.inspect` (and so `console.log`, and Nest's logger given an object) shows: the class,
   * `identifier`, `connected`, and `broker` and `status` when the transport has such getters
   * (strings; the MQTT ones carry no credentials). Private fields are never walked: they may hold
   * a client whose options carry a password. A transport may override this to show more.
   */
  [inspect.custom](depth: number, options: InspectOptionsStylized): string {
    const name = this.constructor.name;
    if (depth < 0) return options.stylize(`[${name}]`, 'special');
    const shown: Record<string, unknown> = {
      identifier: this.identifier,
      connected: this.connected,
    };
    for (const key of ['broker', 'status']) {
      const value = describedBy(this, key);
      if (value !== undefined) shown[key] = value;
    }
    return `${name} ${inspect(shown, { ...options, depth: 0 })}`;
  }
}

/** `connector[key]` when it is a string, else undefined; never throws (inspect must not). */
function describedBy(connector: EventBusConnector, key: string): string | undefined {
  try {
    const value: unknown = (connector as unknown as Record<string, unknown>)[key];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
