import { inspect, type InspectOptionsStylized } from 'node:util';
import { connect, type IClientOptions, type IConnackPacket, type MqttClient } from 'mqtt';
import {
  StatusTracker,
  type ConnectionStatus,
  type ConnectionStatusChange,
  type ConnectionStatusListener,
} from '../core/connection-status';
import type { BuslineLogger } from '../core/logger';
import { MqttConnectionError } from './errors/mqtt-connection.error';
import { hintFor } from './mqtt.connection-hints';
import { ReconnectFailures } from './mqtt.reconnect-failures';
import {
  DEFAULT_CONNECT_TIMEOUT,
  redact,
  resolveAddress,
  secretsOf,
  type MqttClientOptions,
  type ResolvedAddress,
} from './mqtt.options';

/** Where an MQTT publisher or subscriber stands with its broker (see `ConnectionStatus` in `busline`). */
export type MqttConnectionStatus = ConnectionStatus;

/** What comes with a status change of an MQTT publisher or subscriber. */
export type MqttStatusChange = ConnectionStatusChange;

/** Called on every status change; see {@link MqttConnectionStatus}. */
export type MqttStatusListener = ConnectionStatusListener;

/** What a publisher or subscriber plugs into its connection. */
export interface MqttConnectionHooks {
  /** mqtt.js options to give each new client unless `otherClientParameters` sets them. */
  clientDefaults?(): IClientOptions;
  /** Called with each new mqtt.js client before it connects (e.g. to install `handleMessage`). */
  configure?(client: MqttClient): void;
  /** Called after every reconnection (not the first connection). */
  reconnected?(sessionPresent: boolean): void;
}

/**
 * The mqtt.js client of one MQTT publisher or subscriber: makes it, connects it (resolving on
 * CONNACK, failing with a clear {@link MqttConnectionError} within `connectTimeout`), follows its
 * status through reconnections, and ends it.
 */
export class MqttConnection {
  /** The broker, without credentials, for messages. */
  readonly broker: string;
  private readonly address: ResolvedAddress;
  private readonly secrets: string[];
  private client: MqttClient | undefined;
  /** @internal The status, which the publisher or subscriber shows as its own. */
  readonly tracker: StatusTracker;
  private lastError: Error | undefined;
  private readonly failures: ReconnectFailures;

  constructor(
    private readonly owner: string,
    private readonly options: MqttClientOptions,
    private readonly logger: BuslineLogger,
    private readonly hooks: MqttConnectionHooks = {},
  ) {
    this.address = resolveAddress(options);
    this.broker = this.address.display;
    this.secrets = secretsOf(options, this.address);
    this.tracker = new StatusTracker(() => owner, logger);
    this.failures = new ReconnectFailures({
      first: (message) => logger.debug?.(`${owner}: ${message}`),
      summary: (message) => logger.warn(`${owner}: ${message}`),
    });
  }

  /**
   * What `util.inspect` (and so `console.log`) shows: owner, broker without credentials, status.
   * Never the options nor the mqtt.js client, whose options hold the password.
   */
  [inspect.custom](depth: number, options: InspectOptionsStylized): string {
    const name = this.constructor.name;
    if (depth < 0) return options.stylize(`[${name}]`, 'special');
    return `${name} ${inspect(this.toJSON(), { ...options, depth: 0 })}`;
  }

  /** What `JSON.stringify` writes: the same as `util.inspect` shows. */
  toJSON(): { owner: string; broker: string; status: MqttConnectionStatus } {
    return { owner: this.owner, broker: this.broker, status: this.status };
  }

  /** The current status. */
  get status(): MqttConnectionStatus {
    return this.tracker.current.status;
  }

  /** The mqtt.js client between `open()` and `close()`. */
  get mqttClient(): MqttClient | undefined {
    return this.client;
  }

  /** Call `listener` on every status change; returns a function that stops it. */
  onStatus(listener: MqttStatusListener): () => void {
    return this.tracker.listen(listener);
  }

  /**
   * Make a client and connect it. Resolves once the broker accepted the connection; rejects with
   * {@link MqttConnectionError} when it cannot (refused, unknown host, bad credentials, TLS, no
   * CONNACK within `connectTimeout`), having ended the client.
   */
  open(defaultClientId: string): Promise<MqttClient> {
    const user = this.options.otherClientParameters ?? {};
    const timeout = user.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT;
    const { url, host, port, credentials } = this.address;
    const clientOptions: IClientOptions = {
      // A broker that refuses us after a reconnection (say, while it restarts) may accept us on
      // the next try; the first connection never retries (see fail below).
      reconnectOnConnackError: true,
      ...quietLog(),
      ...this.hooks.clientDefaults?.(),
      ...user,
      clientId: user.clientId ?? defaultClientId,
      connectTimeout: timeout,
      resubscribe: false,
      manualConnect: true,
    };
    // The URL's user name and password, decoded by resolveAddress (mqtt.js gets the URL without
    // them, as it would split them at the wrong ':'), unless otherClientParameters has its own.
    if (credentials !== undefined) {
      if (user.username === undefined) clientOptions.username = credentials.username;
      if (user.password === undefined && credentials.password !== undefined) {
        clientOptions.password = credentials.password;
      }
    }
    const client =
      url !== undefined
        ? connect(url, clientOptions)
        : connect({ ...clientOptions, host, hostname: host, port });
    // mqtt.js reads the password from its options on every (re)connection; keep it out of what
    // util.inspect and JSON.stringify show of the client users reach through `mqttClient`.
    if (client.options.password !== undefined) {
      Object.defineProperty(client.options, 'password', { enumerable: false });
    }
    this.client = client;
    this.hooks.configure?.(client);
    this.setStatus({ status: 'connecting' });

    return new Promise<MqttClient>((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        client.removeListener('connect', onConnect);
        client.removeListener('error', onError);
        client.removeListener('close', onClose);
      };
      const fail = (cause: Error | undefined): void => {
        cleanup();
        if (this.client === client) this.client = undefined;
        // With manualConnect, mqtt.js clears `disconnecting` once end() is done, so the socket's
        // later 'close' would schedule reconnections forever: forbid them first.
        client.options.reconnectPeriod = 0;
        client.end(true);
        this.setStatus({ status: 'disconnected' });
        reject(this.connectionError(cause, timeout));
      };
      const onConnect = (packet: IConnackPacket): void => {
        cleanup();
        this.follow(client);
        this.setStatus({ status: 'connected', sessionPresent: packet.sessionPresent });
        resolve(client);
      };
      const onError = (error: Error): void => fail(error);
      // A connection closed without an error event: the broker hung up before its CONNACK.
      const onClose = (): void => fail(undefined);
      // mqtt.js enforces connectTimeout itself; this only guards against a client that never
      // reports anything at all.
      const timer = setTimeout(() => fail(new Error('connack timeout')), timeout + 1_000);
      client.on('connect', onConnect);
      client.on('error', onError);
      client.on('close', onClose);
      client.connect();
    });
  }

  /**
   * End the client: a clean DISCONNECT when connected and nothing is in flight (or `force` is
   * false and in-flight packets are acknowledged), else close the socket. Always resolves.
   */
  async close(force: boolean): Promise<void> {
    const client = this.client;
    if (client === undefined) return;
    this.client = undefined;
    // What went wrong before the close is no cause of what happens after the next open().
    this.lastError = undefined;
    this.failures.reset();
    this.setStatus({ status: 'disconnected' });
    // As in open(): with manualConnect a 'close' after end() would otherwise schedule reconnections.
    client.options.reconnectPeriod = 0;
    await new Promise<void>((resolve) => {
      // mqtt.js ends at once when not connected; this covers a socket that never closes.
      const timer = setTimeout(() => {
        client.stream?.destroy();
        resolve();
      }, 2_000);
      timer.unref?.();
      client.end(force || !client.connected, {}, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    client.removeListener('connect', this.onConnect);
    client.removeListener('close', this.onClose);
    client.removeListener('error', this.onError);
  }

  private follow(client: MqttClient): void {
    client.on('connect', this.onConnect);
    client.on('close', this.onClose);
    client.on('error', this.onError);
  }

  private readonly onConnect = (packet: IConnackPacket): void => {
    if (this.client === undefined) return;
    const cause = this.lastError;
    this.lastError = undefined;
    const failed = this.failures.reset();
    this.logger.log(
      `${this.owner}: reconnected to ${this.broker}` +
        (cause ? ` after: ${cause.message}` : '') +
        (failed > 1 ? ` (${failed} attempts had failed)` : '') +
        (packet.sessionPresent ? ' (session resumed)' : ''),
    );
    this.setStatus({ status: 'connected', sessionPresent: packet.sessionPresent });
    this.hooks.reconnected?.(packet.sessionPresent === true);
  };

  private readonly onClose = (): void => {
    if (this.client === undefined || this.status !== 'connected') return;
    const retry = (this.client.options.reconnectPeriod ?? 1_000) > 0;
    const cause = this.lastError;
    this.logger.warn(
      `${this.owner}: lost the connection to ${this.broker}` +
        (cause ? ` (${cause.message})` : '') +
        (retry ? '; reconnecting' : '; reconnectPeriod is 0, so it stays offline'),
    );
    this.setStatus({ status: retry ? 'reconnecting' : 'offline', cause });
  };

  private readonly onError = (error: Error): void => {
    const safe = new Error(redact(error.message, this.secrets));
    this.lastError = safe;
    if (this.status !== 'connected') {
      this.failures.failed(`${this.broker}: ${safe.message}`);
    }
  };

  private setStatus({ status, ...details }: Omit<MqttStatusChange, 'since'>): void {
    this.tracker.set(status, details);
  }

  private connectionError(cause: Error | undefined, timeout: number): MqttConnectionError {
    const raw = cause as (Error & { code?: string | number }) | undefined;
    const message = raw ? redact(raw.message, this.secrets) : 'the broker closed the connection';
    const code = typeof raw?.code === 'string' ? raw.code : undefined;
    const reasonCode = typeof raw?.code === 'number' ? raw.code : undefined;
    const safeCause = raw ? Object.assign(new Error(message), { code: raw.code }) : undefined;
    return new MqttConnectionError(
      this.broker,
      message,
      hintFor(message, code, reasonCode, timeout),
      reasonCode,
      code,
      { cause: safeCause },
    );
  }
}

/**
 * mqtt.js logs each step of every packet through the `debug` package, which costs a check per call
 * even when nothing is printed: 4% of the CPU a QoS 1 100 B message costs, sender and receiver
 * together (issue 14). Unless `DEBUG` is set (then `DEBUG=mqttjs* node app.js` still traces the
 * clients), they get a logger that does nothing; `otherClientParameters.log` wins over both.
 */
function quietLog(): IClientOptions {
  return process.env.DEBUG ? {} : { log: noLog };
}

function noLog(): void {}
