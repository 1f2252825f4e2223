import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './free-port';

/** Whether a `mosquitto` binary can be started. */
export function mosquittoAvailable(): boolean {
  return spawnSync('mosquitto', ['-h'], { stdio: 'ignore' }).error === undefined;
}

/**
 * A private Mosquitto for tests that restart their broker: its own process on a free loopback
 * port, with persistence in a temporary directory (saved on shutdown, loaded on start), so a
 * `stop()` / `start()` is a real broker restart that keeps sessions and queued messages.
 */
export class MosquittoProcess {
  private child: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'busline-mosquitto-'));
  private stderr = '';

  private constructor(
    readonly port: number,
    persistence: boolean,
  ) {
    writeFileSync(
      join(this.dir, 'mosquitto.conf'),
      [
        `listener ${port} 127.0.0.1`,
        'allow_anonymous true',
        `persistence ${persistence}`,
        `persistence_location ${this.dir}/`,
        // Saved when it stops (SIGTERM), loaded when it starts: nothing else writes it.
        'autosave_interval 0',
        // Run as whoever runs the tests (as root Mosquitto would switch to user "mosquitto",
        // which cannot write the temporary directory).
        `user ${userInfo().username}`,
        // Tests queue more than the default 1000 QoS 1 messages for offline clients.
        'max_queued_messages 100000',
        'log_dest stderr',
        'log_type error',
        'log_type warning',
        '',
      ].join('\n'),
    );
  }

  /**
   * Start a new private Mosquitto; with `persistence: false` a restart comes back empty (no
   * sessions, no queued messages), as a broker without persistence does.
   */
  static async start({ persistence = true } = {}): Promise<MosquittoProcess> {
    const broker = new MosquittoProcess(await freePort(), persistence);
    await broker.start();
    return broker;
  }

  /** `mqtt://127.0.0.1:<port>`. */
  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  /** True while the process runs. */
  get running(): boolean {
    return this.child !== undefined;
  }

  /** Start the process (again) and wait until it accepts connections. */
  async start(): Promise<void> {
    if (this.child) return;
    const child = spawn('mosquitto', ['-c', join(this.dir, 'mosquitto.conf')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.child = child;
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) =>
        reject(new Error(`mosquitto exited with code ${code}: ${this.stderr}`)),
      ),
    );
    exited.catch(() => undefined);
    await Promise.race([waitForPort(this.port), exited]);
  }

  /** Kill the process (SIGKILL: a crash; nothing is saved) and wait for its exit. */
  async kill(): Promise<void> {
    await this.end('SIGKILL');
  }

  /**
   * Freeze the process (SIGSTOP): its sockets stay open but nothing answers, as with a hung broker
   * or a network that silently drops packets. {@link thaw} resumes it.
   */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  /** Resume a frozen process (SIGCONT). */
  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  /** Stop the process gracefully (SIGTERM: it saves its persistence file) and wait for its exit. */
  async stop(): Promise<void> {
    await this.end('SIGTERM');
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    await endProcess(child, signal);
  }

  /** Stop and delete its files. */
  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Send `signal` to `child` (SIGKILL after 5 s if it is still running) and wait for its exit; at
 * once if it has exited already.
 */
export async function endProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}
