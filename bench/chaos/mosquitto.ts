/*
 * A private Mosquitto for the chaos benchmark: its own process on a free loopback port, started,
 * killed (SIGKILL) and stopped (SIGTERM) by its PID only. No persistence (Mosquitto's default), so a
 * restart comes back empty: no sessions, no queued messages, no subscriptions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** What the benchmark sets in the broker's configuration; everything else is Mosquitto's default. */
export interface MosquittoSettings {
  /**
   * `max_queued_messages` (Mosquitto's default: 1,000 per client, above the in-flight window; past
   * it the broker drops what it should forward to that client, QoS 0, 1 and 2 alike).
   */
  maxQueuedMessages?: number;
  /**
   * `sys_interval` in seconds (default 10): how often `$SYS/broker/publish/messages/dropped`, the
   * broker's own count of dropped messages, is updated.
   */
  sysInterval?: number;
}

/** The PIDs of the brokers started by this process, killed if it exits with them still running. */
const running = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of running) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

/** A free TCP port on 127.0.0.1 (the kernel's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true)).once('error', () => done(false));
  });
}

/** Keeps the last lines a broker wrote, and counts those that match a pattern. */
class LogTail {
  private readonly lines: string[] = [];
  private partial = '';
  /** Lines that said the broker dropped outgoing messages for a client. */
  dropWarnings = 0;

  add(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) {
      if (/dropped/i.test(line)) this.dropWarnings++;
      this.lines.push(line);
      if (this.lines.length > 200) this.lines.shift();
    }
  }

  last(count: number): string[] {
    return this.lines.slice(-count);
  }
}

/** A Mosquitto process of the benchmark's own; see the file comment. */
export class PrivateMosquitto {
  private child: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'busline-chaos-mosquitto-'));
  private readonly config: string;
  /** What the broker logged (Mosquitto's default log types, to stderr). */
  readonly log = new LogTail();
  /** How many times the process was started. */
  starts = 0;

  private constructor(
    /** The loopback port, the same across restarts. */
    readonly port: number,
    /** The configuration lines the benchmark sets (for the report). */
    readonly settings: readonly string[],
  ) {
    this.config = join(this.dir, 'mosquitto.conf');
    writeFileSync(this.config, [...settings, ''].join('\n'));
  }

  /** Make the configuration on a free port and start the broker. */
  static async start(settings: MosquittoSettings = {}): Promise<PrivateMosquitto> {
    const lines = [
      `listener ${await freePort()} 127.0.0.1`,
      // Mosquitto 2 refuses anonymous clients unless told otherwise.
      'allow_anonymous true',
      // Started as root, Mosquitto switches to the user "mosquitto" unless told which user to be.
      `user ${userInfo().username}`,
    ];
    if (settings.maxQueuedMessages !== undefined) {
      lines.push(`max_queued_messages ${settings.maxQueuedMessages}`);
    }
    if (settings.sysInterval !== undefined) lines.push(`sys_interval ${settings.sysInterval}`);
    const port = Number(/listener (\d+)/.exec(lines[0])?.[1]);
    const broker = new PrivateMosquitto(port, lines);
    await broker.start();
    return broker;
  }

  /** `mqtt://127.0.0.1:<port>`. */
  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  /** The PID of the running process, if any. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Start the process (it comes back empty) and wait, at most 10 s, until it accepts connections. */
  async start(): Promise<void> {
    if (this.child !== undefined) return;
    installExitHook();
    const child = spawn('mosquitto', ['-c', this.config], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.log.add(chunk));
    const pid = child.pid;
    if (pid === undefined) {
      throw new Error(`mosquitto did not start: ${String(child.exitCode)} (is it installed?)`);
    }
    running.add(pid);
    this.child = child;
    this.starts++;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    exited.then(() => running.delete(pid));
    const giveUp = Date.now() + 10_000;
    while (!(await accepts(this.port))) {
      if (child.exitCode !== null || Date.now() > giveUp) {
        this.child = undefined;
        throw new Error(
          `mosquitto (pid ${pid}) did not listen on 127.0.0.1:${this.port}:\n` +
            this.log.last(10).join('\n'),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** SIGKILL the process by its PID and wait (at most 5 s) until it is gone. */
  kill(): Promise<void> {
    return this.signal('SIGKILL');
  }

  /** SIGTERM the process by its PID and wait for its exit (SIGKILL after 5 s). */
  stop(): Promise<void> {
    return this.signal('SIGTERM');
  }

  /** Stop the process and delete its directory. */
  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async signal(signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
    const child = this.child;
    this.child = undefined;
    const pid = child?.pid;
    if (child === undefined || pid === undefined || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(pid, signal);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), 5_000);
    });
    if ((await Promise.race([exited, late])) === 'late') {
      process.kill(pid, 'SIGKILL');
      await exited;
    }
    clearTimeout(timer);
  }
}
