import type { EventEmitter } from 'node:events';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
// aedes is an ES module: the published declarations (CommonJS) read its types as import() does,
// or a user's tsc with `module: node16` rejects them.
import type { Aedes, AedesOptions, AuthenticateError } from 'aedes' with {
  'resolution-mode': 'import',
};
import { consoleLogger, type BuslineLogger } from '../core/logger';

/** What an {@link EmbeddedBrokerOptions.authenticate} function is asked to check. */
export interface EmbeddedBrokerCredentials {
  /** The MQTT client id. */
  readonly clientId: string;
  /** The user name sent, if any. */
  readonly username: string | undefined;
  /** The password sent, as UTF-8 text, if any. */
  readonly password: string | undefined;
}

/** Options of {@link startEmbeddedBroker}. */
export interface EmbeddedBrokerOptions {
  /** TCP port to listen on; absent or 0: a free port, chosen by the system. */
  port?: number;
  /** Address to listen on (default `127.0.0.1`: loopback only). */
  host?: string;
  /**
   * Listen with TLS (`mqtts://`): at least `key` and `cert`; add `ca` with `requestCert: true`
   * (and `rejectUnauthorized: true`) to require client certificates.
   */
  tls?: TlsOptions;
  /**
   * Accept or refuse a connecting client (default: accept everyone). A refused client gets
   * CONNACK "bad user name or password".
   */
  authenticate?: (credentials: EmbeddedBrokerCredentials) => boolean | Promise<boolean>;
  /** Further aedes options (`persistence`, `mq`, `queueLimit`, `authorizePublish`, ...). */
  aedes?: Omit<AedesOptions, 'authenticate'>;
  /** Where to report broker errors (default: the console). */
  logger?: BuslineLogger;
}

/** A running embedded broker; see {@link startEmbeddedBroker}. */
export interface EmbeddedBroker {
  /** URL to give publishers and subscribers: `mqtt://127.0.0.1:<port>` (`mqtts://` with TLS). */
  readonly url: string;
  /** The port it listens on (kept across `stop()` / `start()`). */
  readonly port: number;
  /** The address it listens on. */
  readonly host: string;
  /** True between `start()` (or creation) and `stop()`. */
  readonly running: boolean;
  /** The aedes instance currently serving (a new one after each `start()`). */
  readonly aedes: Aedes;
  /**
   * Stop serving: clients are disconnected and the port closed. Sessions, subscriptions, queued
   * messages and retained messages are kept for `start()`, as a broker with persistence keeps
   * them across a restart.
   */
  stop(): Promise<void>;
  /** Serve again on the same port with the kept state (after `stop()`). */
  start(): Promise<void>;
  /** Stop for good (same as `stop()`; safe to call twice). */
  close(): Promise<void>;
}

/**
 * Start an MQTT 3.1.1 broker (aedes) inside this process, on loopback and a free port unless told
 * otherwise, for samples, tests and development: nothing to install.
 *
 * ```ts
 * const broker = await startEmbeddedBroker();
 * const subscriber = new MqttSubscriber({ url: broker.url });
 * // ...
 * await broker.close();
 * ```
 *
 * aedes is an ES module; it is loaded with `import()` on the first call, so a process that never
 * starts a broker never loads it. Client ids up to 1024 characters are accepted (aedes' own default
 * is 23, shorter than the UUIDs Busline uses as client ids).
 */
export async function startEmbeddedBroker(
  options: EmbeddedBrokerOptions = {},
): Promise<EmbeddedBroker> {
  const { Aedes: AedesClass } = await import('aedes');
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? consoleLogger;
  const scheme = options.tls ? 'mqtts' : 'mqtt';
  const authenticate = options.authenticate;
  let port = options.port ?? 0;
  let persistence: unknown = options.aedes?.persistence;
  let id = options.aedes?.id;
  let counter = 0;
  let aedes: Aedes | undefined;
  let server: Server | undefined;
  const sockets = new Set<Socket>();

  const aedesOptions = (): AedesOptions => ({
    maxClientsIdLength: 1024,
    ...options.aedes,
    id,
    persistence,
    ...(authenticate && {
      authenticate: (client, username, password, done) => {
        Promise.resolve()
          .then(() =>
            authenticate({ clientId: client.id, username, password: password?.toString('utf8') }),
          )
          .then(
            (ok) => (ok ? done(null, true) : done(refusal(4, 'Bad username or password'), null)),
            (error: unknown) => {
              logger.error(`embedded MQTT broker: authenticate threw: ${String(error)}`);
              done(refusal(3, 'Server unavailable'), null);
            },
          );
      },
    }),
  });

  const start = async (): Promise<void> => {
    if (server !== undefined) return;
    const broker = await AedesClass.createBroker(aedesOptions());
    (broker as EventEmitter).on('error', (error: Error) =>
      logger.error(`embedded MQTT broker: ${error.message}`),
    );
    // Keep the state for a restart, as a broker with persistence would. aedes tells its stored
    // packets apart by broker id and packet counter: a restarted broker keeps both, so what it
    // stores after the restart never collides with what it stored before.
    const internals = broker as unknown as { persistence: unknown; counter: number };
    persistence ??= internals.persistence;
    id ??= broker.id;
    internals.counter = counter;
    const next = options.tls
      ? createTlsServer(options.tls, (socket) => broker.handle(socket))
      : createTcpServer((socket) => broker.handle(socket));
    next.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    try {
      await new Promise<void>((resolve, reject) => {
        next.once('error', reject);
        next.listen(port, host, () => {
          next.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      throw error;
    }
    next.on('error', (error) => logger.error(`embedded MQTT broker: ${error.message}`));
    port = (next.address() as { port: number }).port;
    aedes = broker;
    server = next;
  };

  const stop = async (): Promise<void> => {
    const current = server;
    const broker = aedes;
    if (current === undefined || broker === undefined) return;
    server = undefined;
    counter = (broker as unknown as { counter: number }).counter;
    const closed = new Promise<void>((resolve) => current.close(() => resolve()));
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    // Clients that had not finished connecting are not known to aedes yet.
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await closed;
  };

  await start();
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    get url() {
      return `${scheme}://${shownHost}:${port}`;
    },
    get port() {
      return port;
    },
    host,
    get running() {
      return server !== undefined;
    },
    get aedes() {
      return aedes!;
    },
    stop,
    start,
    close: stop,
  };
}

function refusal(returnCode: number, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}
