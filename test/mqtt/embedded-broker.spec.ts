import { createServer } from 'node:http';
import { createWebSocketStream, WebSocketServer } from 'ws';
import type { StringMessage } from '../../lib/core/messages/string.message';
import { startEmbeddedBroker } from '../../lib/mqtt/embedded-broker';
import { MqttConnectionError } from '../../lib/mqtt/errors/mqtt-connection.error';
import { MqttPublisher } from '../../lib/mqtt/mqtt.publisher';
import { MqttSubscriber } from '../../lib/mqtt/mqtt.subscriber';
import { Cleanup } from '../support/mqtt/cleanup';
import { freePort } from '../support/mqtt/free-port';
import { uniquePrefix } from '../support/mqtt/topics';
import { waitUntil } from '../support/mqtt/wait';

/* The exported embedded broker helper (aedes), used by the sample, by users' tests and by ours. */

jest.setTimeout(20_000);

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function roundTrip(url: string): Promise<string[]> {
  const topic = `${uniquePrefix('embedded')}/t`;
  const got: string[] = [];
  const subscriber = cleanup.connector(new MqttSubscriber({ url }));
  const publisher = cleanup.connector(new MqttPublisher({ url }));
  await subscriber.subscribe(topic, (_t, e) => {
    got.push((e.payload as StringMessage).value);
  });
  await Promise.all([subscriber.connect(), publisher.connect()]);
  await publisher.publish(topic, 'through the embedded broker', { qos: 1 });
  await waitUntil(() => got.length === 1, { what: 'the event' });
  return got;
}

it('listens on a free loopback port by default, or on the port asked for', async () => {
  const a = cleanup.add(await startEmbeddedBroker(), (b) => b.close());
  const b = cleanup.add(await startEmbeddedBroker(), (b) => b.close());
  expect(a.url).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
  expect(a.host).toBe('127.0.0.1');
  expect(a.port).not.toBe(b.port);
  expect(a.running).toBe(true);

  const port = await freePort();
  const chosen = cleanup.add(await startEmbeddedBroker({ port }), (b) => b.close());
  expect(chosen.url).toBe(`mqtt://127.0.0.1:${port}`);
  expect(await roundTrip(chosen.url)).toEqual(['through the embedded broker']);
});

it('fails to start on a port already in use, and closes twice safely', async () => {
  const first = await startEmbeddedBroker();
  await expect(startEmbeddedBroker({ port: first.port })).rejects.toMatchObject({
    code: 'EADDRINUSE',
  });
  await first.close();
  await first.close();
  expect(first.running).toBe(false);
});

it('keeps retained messages across stop() and start(), on the same port', async () => {
  const broker = cleanup.add(await startEmbeddedBroker(), (b) => b.close());
  const topic = `${uniquePrefix('embedded')}/retained`;
  const publisher = new MqttPublisher({ url: broker.url });
  await publisher.connect();
  await publisher.publish(topic, 'kept', { qos: 1, retain: true });
  await publisher.disconnect();

  const port = broker.port;
  await broker.stop();
  expect(broker.running).toBe(false);
  await expect(new MqttPublisher({ url: broker.url }).connect()).rejects.toBeInstanceOf(
    MqttConnectionError,
  );
  await broker.start();
  expect(broker.port).toBe(port);

  const got: string[] = [];
  const subscriber = cleanup.connector(new MqttSubscriber({ url: broker.url }));
  await subscriber.subscribe(topic, (_t, e) => {
    got.push((e.payload as StringMessage).value);
  });
  await subscriber.connect();
  await waitUntil(() => got.length === 1, { what: 'the retained event' });
  expect(got).toEqual(['kept']);
});

it('refuses a client when authenticate() throws, and logs why', async () => {
  const errors: string[] = [];
  const broker = cleanup.add(
    await startEmbeddedBroker({
      authenticate: () => {
        throw new Error('directory unreachable');
      },
      logger: { log: () => undefined, warn: () => undefined, error: (m) => errors.push(m) },
    }),
    (b) => b.close(),
  );
  const error = await new MqttPublisher({ url: broker.url }).connect().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(MqttConnectionError);
  expect((error as MqttConnectionError).reasonCode).toBe(3);
  expect(errors.join('\n')).toContain('directory unreachable');
});

it('serves MQTT over WebSocket too (ws://), with aedes handling the stream', async () => {
  const broker = cleanup.add(await startEmbeddedBroker(), (b) => b.close());
  const http = createServer();
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (socket) => broker.aedes.handle(createWebSocketStream(socket)));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  cleanup.add(http, (server) => {
    for (const client of wss.clients) client.terminate();
    return new Promise((resolve) => server.close(resolve));
  });
  const { port } = http.address() as { port: number };
  expect(await roundTrip(`ws://127.0.0.1:${port}`)).toEqual(['through the embedded broker']);
});
