import { createServer, type Server } from 'node:net';
import { startCli } from './cli-process';

/*
 * `busline publish` when the broker takes the connection and then drops it without acknowledging
 * the event: the command says so and exits 1 instead of waiting forever.
 */

jest.setTimeout(30_000);

/** A broker that accepts the connection, then closes it when the PUBLISH comes. */
function droppingBroker(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.on('data', (data) => {
      const type = data[0] >> 4;
      if (type === 1) socket.write(Buffer.from([0x20, 0x02, 0x00, 0x00])); // CONNACK
      if (type === 3) socket.end(); // PUBLISH: hang up without a PUBACK
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0 });
    });
  });
}

it('publish --qos 1 reports a connection lost before the acknowledgement and exits 1', async () => {
  const { server, port } = await droppingBroker();
  const run = startCli([
    'publish',
    'orders',
    '--text',
    'hi',
    '--qos',
    '1',
    '--url',
    `mqtt://127.0.0.1:${port}`,
  ]);
  try {
    const code = await Promise.race([
      run.exit,
      new Promise<string>((resolve) =>
        setTimeout(() => resolve('still running after 10 s'), 10_000).unref(),
      ),
    ]);
    expect(code).toBe(1);
    expect(run.stderr).toContain(`the broker at mqtt://127.0.0.1:${port} did not take the event`);
  } finally {
    run.child.kill();
    await new Promise((resolve) => server.close(resolve));
  }
});
