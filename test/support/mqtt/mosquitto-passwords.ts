import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './free-port';
import { endProcess } from './mosquitto-process';

/** Whether both `mosquitto` and `mosquitto_passwd` can be run. */
export function passwordMosquittoAvailable(): boolean {
  return ['mosquitto', 'mosquitto_passwd'].every(
    (binary) => spawnSync(binary, ['-h'], { stdio: 'ignore' }).error === undefined,
  );
}

/**
 * A private Mosquitto that refuses anonymous clients and checks user names and passwords against
 * a password file made with `mosquitto_passwd`, on a free loopback port, for credential tests.
 * Everything lives in a temporary directory deleted by {@link close}.
 */
export class PasswordMosquitto {
  private stderr = '';

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly child: ChildProcess,
  ) {
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  /** Start a Mosquitto that accepts exactly `users` (user name to password). */
  static async start(users: Readonly<Record<string, string>>): Promise<PasswordMosquitto> {
    const dir = mkdtempSync(join(tmpdir(), 'busline-mosquitto-auth-'));
    try {
      const passwords = join(dir, 'passwords');
      writeFileSync(passwords, '');
      chmodSync(passwords, 0o600);
      for (const [username, password] of Object.entries(users)) {
        // -b takes the password from the command line; it is hashed into the file.
        execFileSync('mosquitto_passwd', ['-b', passwords, username, password], { stdio: 'pipe' });
      }
      const port = await freePort();
      const config = join(dir, 'mosquitto.conf');
      writeFileSync(
        config,
        [
          `listener ${port} 127.0.0.1`,
          'allow_anonymous false',
          `password_file ${passwords}`,
          // As root Mosquitto would switch to user "mosquitto", which cannot read the directory.
          `user ${userInfo().username}`,
          'log_dest stderr',
          'log_type error',
          '',
        ].join('\n'),
      );
      const child = spawn('mosquitto', ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
      const broker = new PasswordMosquitto(port, dir, child);
      const exited = new Promise<never>((_, reject) =>
        child.once('exit', (code) =>
          reject(new Error(`mosquitto exited with code ${code}: ${broker.stderr}`)),
        ),
      );
      exited.catch(() => undefined);
      try {
        await Promise.race([waitForPort(port), exited]);
      } catch (error) {
        await broker.close();
        throw error;
      }
      return broker;
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** `mqtt://127.0.0.1:<port>`, without credentials. */
  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  /** Stop the process (SIGTERM, then SIGKILL after 5 s) and delete its files. */
  async close(): Promise<void> {
    await endProcess(this.child, 'SIGTERM');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
