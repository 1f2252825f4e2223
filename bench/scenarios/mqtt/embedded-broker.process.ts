/*
 * The embedded broker (aedes) in a process of its own, as Mosquitto runs in its own: started by
 * the runner for the MQTT scenario. Prints `URL <url>` once listening; exits when stdin closes.
 */
import { startEmbeddedBroker } from '../../../lib/mqtt/embedded-broker';

async function main(): Promise<void> {
  const broker = await startEmbeddedBroker({ port: 0 });
  process.stdout.write(`URL ${broker.url}\n`);
  const stop = (): void => {
    broker.close().finally(() => process.exit(0));
  };
  process.stdin.on('end', stop).on('close', stop).resume();
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
