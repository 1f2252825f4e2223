import type { IClientOptions, IClientPublishOptions, IClientSubscribeOptions } from 'mqtt';
import { InvalidArgumentError } from '../core/errors/invalid-argument.error';
import type { PublishOptions } from '../core/publisher';
import type { SubscribeOptions } from '../core/subscriber.options';

/** The MQTT port publishers and subscribers use when given a `hostname` without `port`. */
export const DEFAULT_MQTT_PORT = 1883;

/** How long `connect()` waits for the broker's CONNACK unless `connectTimeout` says otherwise. */
export const DEFAULT_CONNECT_TIMEOUT = 10_000;

/** Default `maxPayloadSize` of MQTT publishers and subscribers: 4 MiB. */
export const DEFAULT_MAX_PAYLOAD_SIZE = 4 * 1024 * 1024;

/** MQTT quality of service: 0 at most once, 1 at least once, 2 exactly once. */
export type MqttQoS = 0 | 1 | 2;

/** Where the broker is, as host name and port (plain TCP unless `otherClientParameters.protocol`). */
export interface MqttHostAddress {
  /** Host name or IP address of the broker. */
  hostname: string;
  /** TCP port of the broker (default 1883). */
  port?: number;
  url?: never;
}

/** Where the broker is, as a URL: `mqtt://`, `mqtts://`, `ws://`, `wss://` (credentials allowed). */
export interface MqttUrlAddress {
  /**
   * Broker URL, for example `mqtt://127.0.0.1:1883` or `mqtts://broker.example.com:8883`.
   *
   * It may carry a user name and password, `mqtts://user:password@host:8883`. Busline reads them
   * as RFC 3986 says: user and password are split at the first `:`, then percent-decoded as
   * UTF-8, so a password with `:`, `@`, `/`, `%`, spaces or non-ASCII letters is written
   * percent-encoded (`encodeURIComponent(password)`), e.g. `pass%3Aword` for `pass:word`.
   * `otherClientParameters.username` and `otherClientParameters.password`, when given, win over
   * the URL's, each on its own (a user name in the URL and the password in the options work).
   * Neither is ever shown: errors, logs and `broker` print the URL without its user info.
   */
  url: string;
  hostname?: never;
  port?: never;
}

/** Options that MQTT publishers and subscribers share. */
export type MqttClientOptions = (MqttHostAddress | MqttUrlAddress) & {
  /**
   * Passed to mqtt.js as they are (`username`, `password`, `clean`, `clientId`, `protocolVersion`,
   * `keepalive`, `reconnectPeriod`, `connectTimeout`, TLS `ca` / `cert` / `key`, ...). Busline sets
   * the client id to the connector's `identifier` unless `clientId` is given, `connectTimeout` to
   * 10 s unless given, and always `resubscribe: false` (the subscriber restores its subscriptions
   * itself). `username` and `password` given here win over those of `url`.
   */
  otherClientParameters?: IClientOptions;
};

/** Options of one MQTT publish. */
export interface MqttPublishOptions extends PublishOptions {
  /** Quality of service: 0 at most once (default), 1 at least once, 2 exactly once. */
  qos?: MqttQoS;
  /** Ask the broker to keep the message for future subscribers of the topic. */
  retain?: boolean;
  /** MQTT 5 publish properties (user properties, message expiry, content type, ...). */
  properties?: IClientPublishOptions['properties'];
}

/** Options of one MQTT subscription. */
export interface MqttSubscribeOptions extends SubscribeOptions {
  /** Maximum quality of service of the events delivered (default 0). */
  qos?: MqttQoS;
  /** MQTT 5 no-local: do not receive what this client itself publishes. */
  nl?: boolean;
  /** MQTT 5 retain-as-published: keep the retain flag of forwarded messages. */
  rap?: boolean;
  /** MQTT 5 retain handling: 0 send retained messages, 1 only on a new subscription, 2 never. */
  rh?: 0 | 1 | 2;
  /** MQTT 5 subscribe properties (subscription identifier, user properties). */
  properties?: IClientSubscribeOptions['properties'];
}

/** The user name and password of a broker URL, percent-decoded. */
export interface UrlCredentials {
  /** The user name (empty when the URL gives only a password). */
  readonly username: string;
  /** The password; absent when the URL gives none (or an empty one). */
  readonly password: string | undefined;
}

/** A broker address normalised for mqtt.js, and how to show it without credentials. */
export interface ResolvedAddress {
  /** The URL given, if any, without its user name and password (see `credentials`). */
  readonly url: string | undefined;
  /** Host and port, when given that way. */
  readonly host: string | undefined;
  readonly port: number | undefined;
  /** `protocol://host:port` without user name or password, for messages and logs. */
  readonly display: string;
  /** The user name and password of the URL, percent-decoded; absent when it has none. */
  readonly credentials: UrlCredentials | undefined;
}

const URL_EXPECTED = "a broker URL such as 'mqtt://host:1883' or 'mqtts://user:password@host:8883'";

/**
 * Check the address options of an MQTT publisher or subscriber; throws on a bad one. A URL is
 * parsed here (WHATWG `URL`) rather than by mqtt.js, which splits user info at its last `:`.
 * No error thrown here quotes a user name or password.
 */
export function resolveAddress(options: MqttClientOptions | undefined): ResolvedAddress {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError(
      'options',
      "an object with 'hostname' (and 'port') or 'url'",
      options,
    );
  }
  const { url, hostname, port } = options as { url?: unknown; hostname?: unknown; port?: unknown };
  if (url !== undefined) {
    if (hostname !== undefined || port !== undefined) {
      throw new InvalidArgumentError(
        'options.url',
        "given alone: a URL replaces 'hostname' and 'port'",
        shownUrl(url),
      );
    }
    if (typeof url !== 'string' || url.length === 0) {
      throw new InvalidArgumentError('options.url', URL_EXPECTED, url);
    }
    return resolveUrl(url);
  }
  if (typeof hostname !== 'string' || hostname.length === 0) {
    throw new InvalidArgumentError(
      'options.hostname',
      "a host name such as '127.0.0.1' (or give 'url' instead)",
      hostname,
    );
  }
  if (hostname.includes('@')) {
    throw new InvalidArgumentError(
      'options.hostname',
      "a host name without user name or password (give those in otherClientParameters, or use 'url')",
      `***@${hostname.slice(hostname.lastIndexOf('@') + 1)}`,
    );
  }
  const resolvedPort = port ?? DEFAULT_MQTT_PORT;
  if (
    typeof resolvedPort !== 'number' ||
    !Number.isInteger(resolvedPort) ||
    resolvedPort < 1 ||
    resolvedPort > 65_535
  ) {
    throw new InvalidArgumentError('options.port', 'a TCP port between 1 and 65535', port);
  }
  const protocol = options.otherClientParameters?.protocol ?? 'mqtt';
  const shown = hostname.includes(':') ? `[${hostname}]` : hostname;
  return {
    url: undefined,
    host: hostname,
    port: resolvedPort,
    display: `${protocol}://${shown}:${resolvedPort}`,
    credentials: undefined,
  };
}

function resolveUrl(url: string): ResolvedAddress {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidArgumentError(
      'options.url',
      `${URL_EXPECTED}, with '@', ':', '/', '%' and spaces of the user name and password percent-encoded`,
      shownUrl(url),
    );
  }
  const display = displayOf(parsed);
  if (parsed.username === '' && parsed.password === '') {
    return { url, host: undefined, port: undefined, display, credentials: undefined };
  }
  let credentials: UrlCredentials;
  try {
    // The URL parser already split user and password at the first ':' (RFC 3986) and
    // percent-encoded what needed it; what is left is to decode both as UTF-8.
    credentials = {
      username: decodeURIComponent(parsed.username),
      password: parsed.password === '' ? undefined : decodeURIComponent(parsed.password),
    };
  } catch {
    throw new InvalidArgumentError(
      'options.url',
      "a URL whose user name and password are percent-encoded UTF-8 (write a '%' sign as '%25')",
      shownUrl(url),
    );
  }
  return {
    url: withoutUserInfo(url, parsed),
    host: undefined,
    port: undefined,
    display,
    credentials,
  };
}

/** `protocol//host[:port][/path]` of a parsed URL: no user info, query or fragment. */
function displayOf(parsed: URL): string {
  return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
}

/**
 * `url` for an error message: its user info replaced by `***`, without query or fragment; only
 * its scheme when it does not parse (a password could then be anywhere in it).
 */
function shownUrl(url: unknown): unknown {
  if (typeof url !== 'string') return url;
  try {
    const parsed = new URL(url);
    const userInfo = parsed.username !== '' || parsed.password !== '' ? '***@' : '';
    return displayOf(parsed).replace('//', `//${userInfo}`);
  } catch {
    const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? '';
    return `${scheme}//<unparsable>`;
  }
}

/** `url` without its `user:password@`, otherwise as given (so mqtt.js reads the rest as before). */
function withoutUserInfo(url: string, parsed: URL): string {
  const userInfo = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#\\]*@/i.exec(url);
  if (userInfo !== null) {
    const cut = userInfo[1] + url.slice(userInfo[0].length);
    try {
      const check = new URL(cut);
      if (
        check.username === '' &&
        check.password === '' &&
        check.host === parsed.host &&
        check.pathname === parsed.pathname &&
        check.search === parsed.search
      ) {
        return cut;
      }
    } catch {
      // Fall back to the parser's own writing of the URL below.
    }
  }
  const copy = new URL(parsed.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}

/**
 * The passwords of `options` (given in `otherClientParameters` or in the URL, in every form it
 * may take in text), longest first: what must never show up in a message.
 */
export function secretsOf(options: MqttClientOptions, address: ResolvedAddress): string[] {
  const secrets = new Set<string>();
  const password: unknown = options.otherClientParameters?.password;
  if (typeof password === 'string') secrets.add(password);
  else if (Buffer.isBuffer(password)) secrets.add(password.toString('utf8'));
  const fromUrl = address.credentials?.password;
  if (fromUrl !== undefined) {
    secrets.add(fromUrl).add(encodeURIComponent(fromUrl));
    secrets.add(new URL(options.url as string).password);
  }
  secrets.delete('');
  return [...secrets].sort((a, b) => b.length - a.length);
}

/** `text` with every secret replaced by `***` (give the longest first, as `secretsOf` does). */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('***');
  return out;
}

/**
 * `qos` as given, checked to be 0, 1 or 2 (default 0); an {@link InvalidArgumentError} naming
 * `parameter` otherwise. The one QoS check: the NestJS options use it too.
 */
export function checkedQos(parameter: string, qos: unknown): MqttQoS {
  if (qos === undefined) return 0;
  if (qos !== 0 && qos !== 1 && qos !== 2) {
    throw new InvalidArgumentError(parameter, '0, 1 or 2', qos);
  }
  return qos;
}
