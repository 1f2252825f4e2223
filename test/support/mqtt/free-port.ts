import { createServer, Socket } from 'node:net';
import { waitUntil } from './wait';

/** A TCP port on 127.0.0.1 that nothing listened on a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves once a TCP connection to 127.0.0.1:`port` succeeds (within `timeout` ms). */
export async function waitForPort(port: number, timeout = 10_000): Promise<void> {
  let open = false;
  const attempt = (): void => {
    const socket = new Socket();
    socket.once('connect', () => {
      open = true;
      socket.destroy();
    });
    socket.once('error', () => socket.destroy());
    socket.connect(port, '127.0.0.1');
  };
  attempt();
  let last = Date.now();
  await waitUntil(
    () => {
      if (!open && Date.now() - last >= 20) {
        last = Date.now();
        attempt();
      }
      return open;
    },
    { timeout, what: `a listener on 127.0.0.1:${port}` },
  );
}
