import { createServer as createHttpServer, type Server } from 'node:http';
import { inspect } from 'node:util';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { InvalidArgumentError } from '../../lib/core/errors/invalid-argument.error';
import type { BuslineLogger } from '../../lib/core/logger';
import type { StringMessage } from '../../lib/core/messages/string.message';
import { LocalPublisher } from '../../lib/local/local.publisher';
import {
  startEmbeddedBroker,
  type EmbeddedBroker,
  type EmbeddedBrokerCredentials,
} from '../../lib/mqtt/embedded-broker';
import { MqttConnectionError } from '../../lib/mqtt/errors/mqtt-connection.error';
import type { MqttClientOptions } from '../../lib/mqtt/mqtt.options';
import { MqttPublisher } from '../../lib/mqtt/mqtt.publisher';
import { MqttSubscriber } from '../../lib/mqtt/mqtt.subscriber';
import { Cleanup } from '../support/mqtt/cleanup';
import { freePort } from '../support/mqtt/free-port';
import { PasswordMosquitto, passwordMosquittoAvailable } from '../support/mqtt/mosquitto-passwords';
import { EXTERNAL_BROKER_URL, itIf } from '../support/mqtt/test-broker';
import { generateTestPki, opensslAvailable } from '../support/mqtt/tls-certs';
import { uniquePrefix } from '../support/mqtt/topics';
import { waitUntil } from '../support/mqtt/wait';

/*
 * Credentials never show up anywhere a user or an operator can read: not in an error (message,
 * stack, cause chain, util.inspect), not in a log line, not in util.inspect of a publisher or a
 * subscriber, connected or not. Secrets are planted in every form the options take, and every
 * error the tests can provoke is searched for them. And a password given in a URL is
 * percent-decoded and split from the user name as RFC 3986 says (at the first ':').
 */

jest.setTimeout(30_000);

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

// --- planted secrets --------------------------------------------------------------------------

/** Every token planted in a credential; none may be found in anything the tests read. */
const PLANTED: string[] = [];
/** The tokens planted in passwords only. */
const PASSWORDS: string[] = [];

/**
 * A password made of distinctive tokens around the characters a URL reserves (':' '@' '/' '%'),
 * a space and a non-ASCII letter. Each token is searched for separately, so a password cut in
 * two (part of it sent as the user name, say) is caught as well as a whole one.
 */
function password(tag: string): string {
  const tokens = ['One', 'Two', 'Three', 'Four', 'Five', 'Six'].map((n) => `${tag}${n}`);
  PLANTED.push(...tokens);
  PASSWORDS.push(...tokens);
  return `${tokens[0]}:${tokens[1]}@${tokens[2]}/${tokens[3]}%${tokens[4]} \u00fc${tokens[5]}`;
}

/** A single-token secret (for URLs that must stay parsable with it unencoded). */
function token(tag: string): string {
  PLANTED.push(tag);
  PASSWORDS.push(tag);
  return tag;
}

/** A user name, also kept out of every message (user info is never shown). */
function user(tag: string): string {
  PLANTED.push(tag);
  return tag;
}

const enc = encodeURIComponent;

/** How a token would look in util.inspect of a Buffer (`<Buffer 41 42 ...>`). */
const hexOf = (text: string): string =>
  Buffer.from(text)
    .toString('hex')
    .replace(/(..)(?!$)/g, '$1 ');

/** Expect `text` (what `what` printed) to contain no planted token, in text or Buffer form. */
function expectClean(what: string, text: string, tokens: readonly string[] = PLANTED): void {
  const leaked = tokens.filter((t) => text.includes(t) || text.includes(hexOf(t)));
  expect({ what, leaked }).toEqual({ what, leaked: [] });
}

/** Everything an error shows: message, stack, own fields, util.inspect, along the cause chain. */
function everythingAbout(error: unknown): string {
  const parts = [inspect(error, { depth: Infinity, showHidden: true })];
  const seen = new Set<unknown>();
  for (
    let current: unknown = error;
    current !== undefined && current !== null && !seen.has(current);
    current = (current as { cause?: unknown }).cause
  ) {
    seen.add(current);
    if (current instanceof Error) {
      parts.push(current.message, current.stack ?? '', String(current), JSON.stringify(current));
      for (const value of Object.values(current)) parts.push(String(value));
    } else {
      parts.push(inspect(current, { depth: Infinity }));
    }
  }
  return parts.join('\n');
}

/** `JSON.stringify(value)`, without throwing on a Buffer password or a cycle. */
function jsonOf(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch (error) {
    return String(error);
  }
}

/** What a connector shows when inspected, as deep as util.inspect goes. */
const inspected = (connector: MqttPublisher | MqttSubscriber): string =>
  inspect(connector, { depth: Infinity, showHidden: true });

/** A logger that keeps every call, whatever its arguments. */
function recordingLogger(): BuslineLogger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (...args: unknown[]): void => {
    lines.push(args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 10 }))).join(' '));
  };
  return { lines, log: keep, warn: keep, error: keep, debug: keep };
}

type Connector = MqttPublisher | MqttSubscriber;
type Make = (options: MqttClientOptions & { logger: BuslineLogger }) => Connector;
const KINDS: [string, Make][] = [
  ['MqttPublisher', (options) => new MqttPublisher(options)],
  ['MqttSubscriber', (options) => new MqttSubscriber(options)],
];

/** `connect()` must fail: returns the error. */
async function refused(connector: Connector): Promise<unknown> {
  return connector.connect().then(
    () => new Error(`${String(connector)} connected; expected a failure`),
    (error: unknown) => error,
  );
}

/** A WebSocket listener (ws://) in front of `broker`, as a broker with a ws listener has. */
async function webSocketFront(
  broker: EmbeddedBroker,
): Promise<{ port: number; close(): Promise<void> }> {
  const http: Server = createHttpServer();
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (socket) => broker.aedes.handle(createWebSocketStream(socket)));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    port: (http.address() as { port: number }).port,
    close: () => {
      for (const client of wss.clients) client.terminate();
      return new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

// --- a broker that checks credentials ---------------------------------------------------------

const alice = user('uAlice5b1');
const bob = user('uBob9c2');
const carol = user('uCarol3d7');
const odd = user('uSvc@Ord#8e'); // reserved characters in the user name too
const RIGHT: Record<string, string> = {
  [alice]: password('pwAliceOk'),
  [bob]: token('pwBobOk4f2'),
  [carol]: 'pass:word', // the example of the issue: one ':' and nothing else special
  [odd]: password('pwOddOk'),
};

let broker: EmbeddedBroker;
let ws: { port: number; close(): Promise<void> };
const seen: EmbeddedBrokerCredentials[] = [];

beforeAll(async () => {
  broker = await startEmbeddedBroker({
    authenticate: (credentials) => {
      seen.push(credentials);
      const expected = credentials.username === undefined ? undefined : RIGHT[credentials.username];
      return expected !== undefined && credentials.password === expected;
    },
  });
  ws = await webSocketFront(broker);
});
afterAll(async () => {
  await ws?.close();
  await broker?.close();
});

/** Connect a publisher and a subscriber with `options` and check one event goes through. */
async function roundTrip(options: MqttClientOptions): Promise<void> {
  const topic = `${uniquePrefix('credentials')}/hello`;
  const received: string[] = [];
  const subscriber = cleanup.connector(new MqttSubscriber(options));
  const publisher = cleanup.connector(new MqttPublisher(options));
  await subscriber.subscribe(topic, (_t, event) =>
    received.push((event.payload as StringMessage).value),
  );
  await Promise.all([subscriber.connect(), publisher.connect()]);
  await publisher.publish(topic, 'logged in', { qos: 1 });
  await waitUntil(() => received.length === 1, { what: 'the event' });
}

// --- errors from bad options ------------------------------------------------------------------

describe('an error about bad options never shows a credential', () => {
  const cases: [string, unknown, RegExp][] = [
    [
      'a url with a port (the case of the issue)',
      { url: `mqtts://${user('uDave1a9')}:${token('pwDaveLeak77')}@broker.example`, port: 1 },
      /options\.url/,
    ],
    [
      'a url with a hostname, password percent-encoded',
      { url: `mqtt://${user('uErin2b8')}:${enc(password('pwErin'))}@h:1883`, hostname: 'h' },
      /options\.url/,
    ],
    [
      "a ws:// url with a port, password with ':' left as it is",
      { url: `ws://${user('uFay3c7')}:${token('pwFayA')}:${token('pwFayB')}@h:80/mqtt`, port: 80 },
      /options\.url/,
    ],
    [
      "an unparsable url: '/' not percent-encoded in the password",
      { url: `mqtt://${user('uGus4d6')}:${token('pwGusA')}/${token('pwGusB')}@h:1883` },
      /options\.url/,
    ],
    [
      'an unparsable url: port out of range',
      { url: `mqtts://${user('uHal5e5')}:${token('pwHal99')}@h:99999` },
      /options\.url/,
    ],
    [
      'an unparsable url: a space in the host',
      { url: `mqtt://${user('uIda6f4')}:${token('pwIda42')}@bro ker:1883` },
      /options\.url/,
    ],
    [
      "a password with a '%' that starts no percent-encoded byte",
      { url: `mqtt://${user('uJon7a3')}:${token('pwJonA')}%zz${token('pwJonB')}@h:1883` },
      /options\.url/,
    ],
    [
      'a password whose percent-encoded bytes are not UTF-8',
      { url: `mqtt://${user('uKim8b2')}:${token('pwKimA')}%C3%28${token('pwKimB')}@h` },
      /options\.url/,
    ],
    [
      'user name and password in hostname',
      { hostname: `${user('uLou9c1')}:${token('pwLou31')}@h`, port: 1883 },
      /options\.hostname/,
    ],
  ];

  it.each(cases)('%s', (_what, options, parameter) => {
    for (const [kind, make] of KINDS) {
      const logger = recordingLogger();
      let error: unknown;
      try {
        make({ ...(options as MqttClientOptions), logger });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as Error).message).toMatch(parameter);
      expectClean(`${kind}: the error`, everythingAbout(error));
      expectClean(`${kind}: the log`, logger.lines.join('\n'));
    }
  });

  it('says which broker without its user info', () => {
    const publisher = new MqttPublisher({
      url: `mqtts://${alice}:${enc(RIGHT[alice])}@broker.example:8883/?x=1`,
    });
    expect(publisher.broker).toBe('mqtts://broker.example:8883');
    expectClean('broker', publisher.broker);
  });
});

// --- errors from connecting -------------------------------------------------------------------

/** Options that carry credentials, in every form, for a broker on `port` (and ws on `wsPort`). */
type Form = [string, (port: number, wsPort: number) => MqttClientOptions];

/** The right credentials, in every form. */
const rightForms: Form[] = [
  [
    'otherClientParameters, password as a string',
    (port) => ({
      url: `mqtt://127.0.0.1:${port}`,
      otherClientParameters: { username: alice, password: RIGHT[alice] },
    }),
  ],
  [
    'otherClientParameters, password as a Buffer',
    (port) => ({
      hostname: '127.0.0.1',
      port,
      otherClientParameters: { username: odd, password: Buffer.from(RIGHT[odd]) },
    }),
  ],
  [
    'mqtt:// url, percent-encoded',
    (port) => ({ url: `mqtt://${enc(alice)}:${enc(RIGHT[alice])}@127.0.0.1:${port}` }),
  ],
  [
    'mqtt:// url, reserved characters in the user name too',
    (port) => ({ url: `mqtt://${enc(odd)}:${enc(RIGHT[odd])}@127.0.0.1:${port}` }),
  ],
  [
    'ws:// url, percent-encoded',
    (_port, wsPort) => ({ url: `ws://${enc(alice)}:${enc(RIGHT[alice])}@127.0.0.1:${wsPort}` }),
  ],
];

/** Wrong credentials, in every form: each a different planted secret. */
const wrongForms: Form[] = [
  [
    'otherClientParameters, password as a string',
    (port) => ({
      url: `mqtt://127.0.0.1:${port}`,
      otherClientParameters: { username: alice, password: password('pwWrongStr') },
    }),
  ],
  [
    'otherClientParameters, password as a Buffer',
    (port) => ({
      hostname: '127.0.0.1',
      port,
      otherClientParameters: { username: alice, password: Buffer.from(password('pwWrongBuf')) },
    }),
  ],
  [
    'mqtt:// url, percent-encoded',
    (port) => ({ url: `mqtt://${alice}:${enc(password('pwWrongMqtt'))}@127.0.0.1:${port}` }),
  ],
  [
    "mqtt:// url, ':' and non-ASCII as they are",
    (port) => ({
      url: `mqtt://${alice}:${token('pwWrongRawA')}:\u00e9${token('pwWrongRawB')}@127.0.0.1:${port}`,
    }),
  ],
  [
    'ws:// url, percent-encoded',
    (_port, wsPort) => ({ url: `ws://${alice}:${enc(password('pwWrongWs'))}@127.0.0.1:${wsPort}` }),
  ],
];

describe('a refused or failed connection never shows a credential', () => {
  it.each(wrongForms)('wrong password: %s', async (_what, form) => {
    for (const [kind, make] of KINDS) {
      const logger = recordingLogger();
      const connector = cleanup.connector(make({ ...form(broker.port, ws.port), logger }));
      expectClean(`${kind} before connect()`, inspected(connector));
      const error = await refused(connector);
      expect(error).toBeInstanceOf(MqttConnectionError);
      expect((error as MqttConnectionError).reasonCode).toBe(4);
      expectClean(`${kind}: the error`, everythingAbout(error));
      expectClean(`${kind} after the failure`, inspected(connector));
      expectClean(`${kind}: the log`, logger.lines.join('\n'));
    }
  });

  it('nothing listening on the port (mqtt://, mqtts://, ws://, hostname and port)', async () => {
    const port = await freePort();
    const forms: MqttClientOptions[] = [
      { url: `mqtt://${alice}:${enc(password('pwNoneMqtt'))}@127.0.0.1:${port}` },
      { url: `mqtts://${alice}:${enc(password('pwNoneMqtts'))}@127.0.0.1:${port}` },
      { url: `ws://${alice}:${enc(password('pwNoneWs'))}@127.0.0.1:${port}/mqtt` },
      {
        hostname: '127.0.0.1',
        port,
        otherClientParameters: { username: alice, password: Buffer.from(password('pwNoneBuf')) },
      },
    ];
    for (const options of forms) {
      for (const [kind, make] of KINDS) {
        const logger = recordingLogger();
        const connector = cleanup.connector(make({ ...options, logger }));
        const error = await refused(connector);
        expect(error).toBeInstanceOf(MqttConnectionError);
        expect((error as MqttConnectionError).code).toBe('ECONNREFUSED');
        expectClean(`${kind}: the error`, everythingAbout(error));
        expectClean(`${kind} after the failure`, inspected(connector));
        expectClean(`${kind}: the log`, logger.lines.join('\n'));
      }
    }
  });

  itIf(opensslAvailable(), 'the openssl CLI is needed to make a test certificate')(
    'TLS against a plain listener, and plain text against a TLS listener',
    async () => {
      const pki = generateTestPki();
      const tlsBroker = cleanup.add(
        await startEmbeddedBroker({ tls: { key: pki.serverKey, cert: pki.serverCert } }),
        (b) => b.close(),
      );
      const forms: MqttClientOptions[] = [
        {
          url: `mqtts://${alice}:${enc(password('pwTlsToPlain'))}@127.0.0.1:${broker.port}`,
          otherClientParameters: { ca: pki.ca, connectTimeout: 3_000 },
        },
        {
          url: `mqtt://${alice}:${enc(password('pwPlainToTls'))}@127.0.0.1:${tlsBroker.port}`,
          otherClientParameters: { connectTimeout: 3_000 },
        },
      ];
      for (const options of forms) {
        for (const [kind, make] of KINDS) {
          const logger = recordingLogger();
          const connector = cleanup.connector(make({ ...options, logger }));
          const error = await refused(connector);
          expect(error).toBeInstanceOf(MqttConnectionError);
          expectClean(`${kind}: the error`, everythingAbout(error));
          expectClean(`${kind} after the failure`, inspected(connector));
          expectClean(`${kind}: the log`, logger.lines.join('\n'));
        }
      }
    },
  );
});

// --- connected, and across a reconnection -----------------------------------------------------

describe('a connected publisher or subscriber never shows a credential', () => {
  it.each(rightForms)('inspected while connected: %s', async (_what, form) => {
    for (const [kind, make] of KINDS) {
      const logger = recordingLogger();
      const connector = cleanup.connector(make({ ...form(broker.port, ws.port), logger }));
      await connector.connect();
      const shown = inspected(connector);
      expectClean(`${kind} connected`, shown);
      expect(shown).toContain(kind);
      expect(shown).toContain(connector.identifier);
      expect(shown).toContain(connector.broker);
      expect(shown).toContain("status: 'connected'");
      // The mqtt.js client itself, reachable through `mqttClient`, shows its user name but not
      // its password (unless asked for hidden properties).
      expectClean(`${kind}.mqttClient`, inspect(connector.mqttClient, { depth: 6 }), PASSWORDS);
      expectClean(`${kind}.mqttClient as JSON`, jsonOf(connector.mqttClient?.options), PASSWORDS);
      expectClean(`${kind}: the log`, logger.lines.join('\n'));
    }
  });

  it('nor in the log or when inspected while it reconnects', async () => {
    const own = cleanup.add(
      await startEmbeddedBroker({
        authenticate: ({ username, password }) =>
          username !== undefined && RIGHT[username] === password,
      }),
      (b) => b.close(),
    );
    const logger = recordingLogger();
    const connectors: Connector[] = [];
    for (const [, form] of rightForms.filter(([what]) => !what.startsWith('ws'))) {
      const options = form(own.port, 0);
      for (const [, make] of KINDS) {
        connectors.push(
          cleanup.connector(
            make({
              ...options,
              otherClientParameters: { ...options.otherClientParameters, reconnectPeriod: 50 },
              logger,
            }),
          ),
        );
      }
    }
    const topic = `${uniquePrefix('credentials')}/back`;
    const received: string[] = [];
    const subscriber = connectors.find((c) => c instanceof MqttSubscriber) as MqttSubscriber;
    await subscriber.subscribe(topic, (_t, event) =>
      received.push((event.payload as StringMessage).value),
    );
    await Promise.all(connectors.map((c) => c.connect()));

    await own.stop();
    await waitUntil(() => connectors.every((c) => c.status === 'reconnecting'), {
      what: 'every connector to notice the broker is gone',
    });
    // Each connector tells of its first failed attempt (later ones are summarised every 30 s).
    await waitUntil(
      () => logger.lines.filter((l) => /reconnection failed: /.test(l)).length >= connectors.length,
      { what: 'failed reconnection attempts to be logged' },
    );
    for (const connector of connectors) {
      expectClean(`${String(connector)} reconnecting`, inspected(connector));
    }
    await own.start();
    await waitUntil(() => connectors.every((c) => c.status === 'connected'), {
      what: 'every connector to reconnect',
    });
    const publisher = connectors.find((c) => c instanceof MqttPublisher) as MqttPublisher;
    await waitUntil(() => subscriber.status === 'connected', { what: 'the subscriber' });
    await publisher.publish(topic, 'after the restart', { qos: 1 });
    await waitUntil(() => received.length === 1, { what: 'the event after the restart' });

    const log = logger.lines.join('\n');
    expect(log).toMatch(/lost the connection/);
    expect(log).toMatch(/reconnected to/);
    expectClean('the log', log);
    for (const connector of connectors) {
      expectClean(`${String(connector)} reconnected`, inspected(connector));
    }
  });

  it('shows class, identifier, connection state, broker and status, and nothing else', async () => {
    const publisher = new MqttPublisher({
      identifier: 'orders-out',
      url: `mqtt://${bob}:${RIGHT[bob]}@127.0.0.1:${broker.port}`,
    });
    expect(inspect(publisher, { breakLength: Infinity })).toBe(
      `MqttPublisher { identifier: 'orders-out', connected: false, ` +
        `broker: 'mqtt://127.0.0.1:${broker.port}', status: 'disconnected' }`,
    );
    // A connector without broker (the local transport) shows the rest.
    expect(inspect(new LocalPublisher({ identifier: 'local-out' }))).toBe(
      "LocalPublisher { identifier: 'local-out', connected: false, status: 'disconnected' }",
    );
  });
});

// --- logging in with reserved characters in the URL --------------------------------------------

describe('credentials in a URL are percent-decoded and split at the first colon', () => {
  const credentialsSeen = (): EmbeddedBrokerCredentials[] => seen.splice(0, seen.length);

  it("logs in with a password containing ':' '@' '/' '%', a space and non-ASCII", async () => {
    credentialsSeen();
    await roundTrip({ url: `mqtt://${enc(alice)}:${enc(RIGHT[alice])}@127.0.0.1:${broker.port}` });
    await roundTrip({ url: `mqtt://${enc(odd)}:${enc(RIGHT[odd])}@127.0.0.1:${broker.port}` });
    const got = credentialsSeen();
    expect(got.map(({ username, password }) => ({ username, password }))).toEqual([
      ...[1, 2].map(() => ({ username: alice, password: RIGHT[alice] })),
      ...[1, 2].map(() => ({ username: odd, password: RIGHT[odd] })),
    ]);
  });

  it("logs in with 'pass:word' whether the ':' is percent-encoded or not", async () => {
    await roundTrip({ url: `mqtt://${carol}:pass%3Aword@127.0.0.1:${broker.port}` });
    await roundTrip({ url: `mqtt://${carol}:pass:word@127.0.0.1:${broker.port}` });
    // and the same password in otherClientParameters, as before
    await roundTrip({
      url: broker.url,
      otherClientParameters: { username: carol, password: 'pass:word' },
    });
  });

  it('logs in over ws:// the same way', async () => {
    await roundTrip({ url: `ws://${enc(odd)}:${enc(RIGHT[odd])}@127.0.0.1:${ws.port}/mqtt` });
  });

  it('lets otherClientParameters.username and .password win over the URL', async () => {
    const wrongInUrl = `mqtt://${bob}:${enc(password('pwUrlLoses'))}@127.0.0.1:${broker.port}`;
    await roundTrip({
      url: wrongInUrl,
      otherClientParameters: { username: alice, password: RIGHT[alice] },
    });
    // One field each: the user name from the URL, the password from the options.
    await roundTrip({
      url: `mqtt://${carol}@127.0.0.1:${broker.port}`,
      otherClientParameters: { password: 'pass:word' },
    });
    const wrongInOptions = cleanup.connector(
      new MqttPublisher({
        url: `mqtt://${bob}:${RIGHT[bob]}@127.0.0.1:${broker.port}`,
        otherClientParameters: { password: password('pwOptionLoses') },
      }),
    );
    const error = await refused(wrongInOptions);
    expect((error as MqttConnectionError).reasonCode).toBe(4);
  });

  itIf(
    EXTERNAL_BROKER_URL !== undefined && passwordMosquittoAvailable(),
    'runs with BUSLINE_MQTT_URL set and mosquitto + mosquitto_passwd installed',
  )('logs in to a Mosquitto that checks passwords, and leaks nothing when refused', async () => {
    const mosquitto = cleanup.add(
      await PasswordMosquitto.start({ [carol]: 'pass:word', [odd]: RIGHT[odd] }),
      (m) => m.close(),
    );
    await roundTrip({ url: `mqtt://${carol}:pass%3Aword@127.0.0.1:${mosquitto.port}` });
    await roundTrip({ url: `mqtt://${enc(odd)}:${enc(RIGHT[odd])}@127.0.0.1:${mosquitto.port}` });
    await roundTrip({
      url: `mqtt://${enc(odd)}:${enc(RIGHT[odd])}@127.0.0.1:${mosquitto.port}`,
      otherClientParameters: { protocolVersion: 5 },
    });
    for (const protocolVersion of [4, 5] as const) {
      for (const [kind, make] of KINDS) {
        const logger = recordingLogger();
        const connector = cleanup.connector(
          make({
            url: `mqtt://${enc(odd)}:${enc(password(`pwMosq${protocolVersion}`))}@127.0.0.1:${mosquitto.port}`,
            otherClientParameters: { protocolVersion },
            logger,
          }),
        );
        const error = await refused(connector);
        expect(error).toBeInstanceOf(MqttConnectionError);
        expect([4, 5, 134, 135]).toContain((error as MqttConnectionError).reasonCode);
        expectClean(`${kind}: the error`, everythingAbout(error));
        expectClean(`${kind} after the failure`, inspected(connector));
        expectClean(`${kind}: the log`, logger.lines.join('\n'));
      }
    }
  });
});
