import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throw-away PKI for TLS tests, generated with the openssl CLI into a temporary directory that
 * is deleted at once: a CA, a server certificate for 127.0.0.1 / localhost, and a client
 * certificate, all signed by the CA. Nothing of it is ever committed.
 */
export interface TestPki {
  readonly ca: Buffer;
  readonly serverKey: Buffer;
  readonly serverCert: Buffer;
  readonly clientKey: Buffer;
  readonly clientCert: Buffer;
  /** A second CA that signed nothing here: trusting it must fail the handshake. */
  readonly otherCa: Buffer;
}

/** Whether the openssl CLI is there (the TLS tests skip with this reason when it is not). */
export function opensslAvailable(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Generate a {@link TestPki} (P-256 keys: fast). */
export function generateTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'busline-pki-'));
  const path = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'pipe' });
  };
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    for (const ca of ['ca', 'other-ca']) {
      openssl(
        'req',
        '-x509',
        ...ecKey,
        '-keyout',
        path(`${ca}.key`),
        '-out',
        path(`${ca}.crt`),
        '-days',
        '1',
        '-subj',
        `/CN=Busline test ${ca}`,
      );
    }
    writeFileSync(
      path('server.ext'),
      'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
    );
    writeFileSync(path('client.ext'), 'extendedKeyUsage=clientAuth\n');
    for (const [name, cn] of [
      ['server', 'localhost'],
      ['client', 'busline-test-client'],
    ]) {
      openssl(
        'req',
        ...ecKey,
        '-keyout',
        path(`${name}.key`),
        '-out',
        path(`${name}.csr`),
        '-subj',
        `/CN=${cn}`,
      );
      openssl(
        'x509',
        '-req',
        '-in',
        path(`${name}.csr`),
        '-CA',
        path('ca.crt'),
        '-CAkey',
        path('ca.key'),
        '-CAcreateserial',
        '-out',
        path(`${name}.crt`),
        '-days',
        '1',
        '-extfile',
        path(`${name}.ext`),
      );
    }
    return {
      ca: readFileSync(path('ca.crt')),
      serverKey: readFileSync(path('server.key')),
      serverCert: readFileSync(path('server.crt')),
      clientKey: readFileSync(path('client.key')),
      clientCert: readFileSync(path('client.crt')),
      otherCa: readFileSync(path('other-ca.crt')),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
