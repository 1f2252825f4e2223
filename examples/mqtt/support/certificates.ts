import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Throw-away certificates for the TLS example, made with the openssl CLI in a temporary directory:
 * `ca.crt`, `server.crt` / `server.key` (for 127.0.0.1 and localhost) and `client.crt` /
 * `client.key`, both signed by the CA. Your broker and clients have their own.
 */
export interface ThrowawayCertificates {
  /** The directory holding the files. */
  readonly dir: string;
  /** Delete the directory. */
  remove(): void;
}

/** Whether the openssl CLI is installed. */
export function opensslAvailable(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Make a CA, and a server and a client certificate it signed (P-256 keys, valid for a day). */
export function makeThrowawayCertificates(): ThrowawayCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'busline-example-certs-'));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  const openssl = (command: string): void => {
    execFileSync('openssl', command.split(' '), { cwd: dir, stdio: 'pipe' });
  };
  const newKey = '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes';
  try {
    openssl(`req -x509 ${newKey} -keyout ca.key -out ca.crt -days 1 -subj /CN=example-ca`);
    writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
    for (const name of ['server', 'client']) {
      openssl(`req ${newKey} -keyout ${name}.key -out ${name}.csr -subj /CN=example-${name}`);
      openssl(
        `x509 -req -in ${name}.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 ` +
          `-out ${name}.crt -extfile ${name}.ext`,
      );
    }
    return { dir, remove };
  } catch (error) {
    remove();
    throw error;
  }
}
