import { createServer, type Server, type Socket } from 'node:net';
import type { BuslineLogger } from '../../lib/core/logger';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../lib/mqtt/embedded-broker';
import { MqttConnectionError } from '../../lib/mqtt/errors/mqtt-connection.error';
import { MqttPublisher } from '../../lib/mqtt/mqtt.publisher';
import { MqttSubscriber } from '../../lib/mqtt/mqtt.subscriber';
import { InvalidArgumentError } from '../../lib/core/errors/invalid-argument.error';
import { Cleanup } from '../support/mqtt/cleanup';
import { freePort } from '../support/mqtt/free-port';

/*
 * connect() resolves when the broker accepted the connection, and otherwise rejects with a clear
 * MqttConnectionError within a bounded time, never showing a password.
 */

jest.setTimeout(20_000);

const SECRET = 'pa55-w0rd-never-shown';

/** A logger that keeps every line, to check nothing secret is logged. */
function recordingLogger(): BuslineLogger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (message: string): void => {
    lines.push(message);
  };
  return { lines, log: keep, warn: keep, error: keep, debug: keep };
}

/** A TCP server that accepts connections and then does `behaviour` with each socket. */
async function tcpServer(behaviour: (socket: Socket) => void): Promise<Server & { port: number }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    behaviour(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const closeServer = server.close.bind(server);
  server.close = (callback) => {
    for (const socket of sockets) socket.destroy();
    return closeServer(callback);
  };
  return Object.assign(server, { port: (server.address() as { port: number }).port });
}

/** Connect and expect an MqttConnectionError; returns it and how long it took. */
async function failedConnect(
  connector: MqttPublisher | MqttSubscriber,
): Promise<{ error: MqttConnectionError; elapsed: number }> {
  const started = Date.now();
  const error = await connector.connect().then(
    () => {
      throw new Error('connect() resolved; expected MqttConnectionError');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MqttConnectionError);
  expect(connector.connected).toBe(false);
  expect(connector.status).toBe('disconnected');
  return { error: error as MqttConnectionError, elapsed: Date.now() - started };
}

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('construction', () => {
  it('builds outside any async context and validates its options', () => {
    const publisher = new MqttPublisher({ hostname: '127.0.0.1' });
    expect(publisher.broker).toBe('mqtt://127.0.0.1:1883');
    expect(new MqttSubscriber({ hostname: '::1', port: 1884 }).broker).toBe('mqtt://[::1]:1884');
    expect(
      new MqttPublisher({ url: `mqtts://user:${SECRET}@broker.example:8883/?x=1` }).broker,
    ).toBe('mqtts://broker.example:8883');
    expect(publisher.status).toBe('disconnected');

    const bad: unknown[] = [
      {},
      { hostname: '' },
      { hostname: 'h', port: 0 },
      { hostname: 'h', port: 70_000 },
      { url: '' },
      { url: 'mqtt://h', hostname: 'h' },
    ];
    for (const options of bad) {
      expect(() => new MqttPublisher(options as never)).toThrow(InvalidArgumentError);
      expect(() => new MqttSubscriber(options as never)).toThrow(InvalidArgumentError);
    }
    expect(() => new MqttPublisher({ hostname: 'h', maxOfflineQueue: -1 })).toThrow(
      /maxOfflineQueue/,
    );
    expect(() => new MqttSubscriber({ hostname: 'h', maxPayloadSize: -1 })).toThrow(
      /maxPayloadSize/,
    );
  });

  it('refuses bad subscribe options at subscribe(), even before connect()', async () => {
    const subscriber = new MqttSubscriber({ hostname: '127.0.0.1' });
    await expect(subscriber.subscribe('a/b', () => {}, { qos: 3 as never })).rejects.toThrow(
      /options\.qos/,
    );
    await expect(subscriber.subscribe('a/b', () => {}, { rh: 5 as never })).rejects.toThrow(
      InvalidArgumentError,
    );
    expect(subscriber.topics).toEqual([]);
  });
});

describe('connect() fails clearly and in bounded time', () => {
  it('when nothing listens on the port', async () => {
    const port = await freePort();
    const logger = recordingLogger();
    const subscriber = new MqttSubscriber({ hostname: '127.0.0.1', port, logger });
    const { error, elapsed } = await failedConnect(subscriber);
    expect(error.code).toBe('ECONNREFUSED');
    expect(error.broker).toBe(`mqtt://127.0.0.1:${port}`);
    expect(error.message).toContain(`mqtt://127.0.0.1:${port}`);
    expect(error.message).toMatch(/start the broker, or fix hostname\/port\/url/);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('when the host name does not resolve', async () => {
    const publisher = new MqttPublisher({
      url: 'mqtt://no-such-host.invalid:1883',
      otherClientParameters: { connectTimeout: 3_000 },
    });
    const { error, elapsed } = await failedConnect(publisher);
    // A resolver that cannot answer in time ends as a CONNACK time-out instead.
    expect(['ENOTFOUND', 'EAI_AGAIN', undefined]).toContain(error.code);
    expect(error.message).toContain('mqtt://no-such-host.invalid:1883');
    expect(elapsed).toBeLessThan(5_000);
  });

  it('when the listener never answers (connectTimeout)', async () => {
    const silent = cleanup.add(await tcpServer(() => undefined), (s) => s.close());
    const publisher = new MqttPublisher({
      hostname: '127.0.0.1',
      port: silent.port,
      otherClientParameters: { connectTimeout: 300 },
    });
    const { error, elapsed } = await failedConnect(publisher);
    expect(error.reason).toBe('connack timeout');
    expect(error.message).toMatch(/No CONNACK came within 300 ms \(connectTimeout\)/);
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(3_000);
  });

  it('when the listener hangs up before its CONNACK', async () => {
    const rude = cleanup.add(
      await tcpServer((socket) => socket.once('data', () => socket.destroy())),
      (s) => s.close(),
    );
    const subscriber = new MqttSubscriber({ hostname: '127.0.0.1', port: rude.port });
    const { error, elapsed } = await failedConnect(subscriber);
    expect(error).toBeInstanceOf(MqttConnectionError);
    expect(elapsed).toBeLessThan(5_000);
  });

  describe('against a broker that checks credentials', () => {
    let broker: EmbeddedBroker;
    beforeAll(async () => {
      broker = await startEmbeddedBroker({
        authenticate: ({ username, password }) => username === 'alice' && password === SECRET,
      });
    });
    afterAll(() => broker.close());

    it('refuses bad credentials with CONNACK code 4, without showing the password', async () => {
      const logger = recordingLogger();
      const wrong = `${SECRET}-wrong`;
      const publisher = new MqttPublisher({
        url: `mqtt://alice:${encodeURIComponent(wrong)}@127.0.0.1:${broker.port}`,
        logger,
      });
      const subscriber = new MqttSubscriber({
        url: broker.url,
        logger,
        otherClientParameters: { username: 'alice', password: wrong },
      });
      for (const connector of [publisher, subscriber]) {
        const { error, elapsed } = await failedConnect(connector);
        expect(error.reasonCode).toBe(4);
        expect(error.message).toMatch(/refused the credentials: check username and password/);
        expect(elapsed).toBeLessThan(5_000);
        const everything = [
          error.message,
          error.stack,
          String(error.cause),
          JSON.stringify(error),
          error.broker,
          ...logger.lines,
        ].join('\n');
        expect(everything).not.toContain(wrong);
        expect(everything).not.toContain(SECRET);
      }
    });

    it('connects with the right ones, and can connect after a failed attempt', async () => {
      const publisher = new MqttPublisher({
        url: broker.url,
        otherClientParameters: { username: 'alice', password: 'nope' },
      });
      await failedConnect(publisher);
      const good = cleanup.connector(
        new MqttPublisher({
          url: broker.url,
          otherClientParameters: { username: 'alice', password: SECRET },
        }),
      );
      const statuses: string[] = [];
      good.onStatus((change) => statuses.push(change.status));
      await good.connect();
      expect(good.status).toBe('connected');
      expect(statuses).toEqual(['connecting', 'connected']);
    });
  });
});

describe("mqtt.js' own trace", () => {
  let broker: EmbeddedBroker;
  beforeAll(async () => {
    broker = await startEmbeddedBroker();
  });
  afterAll(() => broker.close());

  const debugBefore = process.env.DEBUG;
  afterEach(() => {
    if (debugBefore === undefined) delete process.env.DEBUG;
    else process.env.DEBUG = debugBefore;
  });

  /** The `debug` namespace of the client's logger: mqtt.js' own is 'mqttjs:client'. */
  function namespaceOf(connector: MqttPublisher | MqttSubscriber): unknown {
    return (connector.mqttClient?.log as { namespace?: string } | undefined)?.namespace;
  }

  it('goes through the debug package when DEBUG is set (DEBUG=mqttjs* traces the clients)', async () => {
    process.env.DEBUG = 'mqttjs*';
    const publisher = cleanup.connector(new MqttPublisher({ url: broker.url }));
    const subscriber = cleanup.connector(new MqttSubscriber({ url: broker.url }));
    await Promise.all([publisher.connect(), subscriber.connect()]);
    expect(namespaceOf(publisher)).toBe('mqttjs:client');
    expect(namespaceOf(subscriber)).toBe('mqttjs:client');
  });

  it('is not built when DEBUG is unset, and a log of otherClientParameters wins', async () => {
    delete process.env.DEBUG;
    const quiet = cleanup.connector(new MqttPublisher({ url: broker.url }));
    const lines: string[] = [];
    const traced = cleanup.connector(
      new MqttSubscriber({
        url: broker.url,
        otherClientParameters: { log: (...args: unknown[]) => lines.push(String(args[0])) },
      }),
    );
    await Promise.all([quiet.connect(), traced.connect()]);
    expect(namespaceOf(quiet)).toBeUndefined();
    await traced.subscribe('trace/me', () => {});
    expect(lines.some((line) => line.startsWith('subscribe'))).toBe(true);
  });
});
