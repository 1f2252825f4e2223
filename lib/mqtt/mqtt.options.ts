import type { IClientOptions, IClientPublishOptions, IClientSubscribeOptions } from 'mqtt';
import { InvalidArgumentError } from '../core/errors/invalid-argument.error';
import type { PublishOptions } from '../core/publisher';
import type { SubscribeOptions } from '../core/subscriber';

/** The MQTT port publishers and subscribers use when given a `hostname` without `port`. */
export const DEFAULT_MQTT_PORT = 1883;

/** How long `connect()` waits for the broker's CONNACK unless `connectTimeout` says otherwise. */
export const DEFAULT_CONNECT_TIMEOUT = 10_000;

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
  /** Broker URL, for example `mqtt://127.0.0.1:1883` or `mqtts://broker.example.com:8883`. */
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
   * itself).
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

/** A broker address normalised for mqtt.js, and how to show it without credentials. */
export interface ResolvedAddress {
  /** The URL given, if any. */
  readonly url: string | undefined;
  /** Host and port, when given that way. */
  readonly host: string | undefined;
  readonly port: number | undefined;
  /** `protocol://host:port` without user name or password, for messages and logs. */
  readonly display: string;
}

/** Check the address options of an MQTT publisher or subscriber; throws on a bad one. */
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
        url,
      );
    }
    if (typeof url !== 'string' || url.length === 0) {
      throw new InvalidArgumentError('options.url', "a broker URL such as 'mqtt://host:1883'", url);
    }
    return { url, host: undefined, port: undefined, display: displayUrl(url) };
  }
  if (typeof hostname !== 'string' || hostname.length === 0) {
    throw new InvalidArgumentError(
      'options.hostname',
      "a host name such as '127.0.0.1' (or give 'url' instead)",
      hostname,
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
  };
}

/** `url` without user name, password, query or fragment. */
function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    // Not a URL the WHATWG parser reads: show the scheme only, never what could be a password.
    const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? 'an unparsable URL';
    return `${scheme}//<unparsable>`;
  }
}

/** The password of `options`, if any: what must never show up in a message. */
export function secretsOf(options: MqttClientOptions): string[] {
  const secrets: string[] = [];
  const password = options.otherClientParameters?.password;
  if (password !== undefined && password.length > 0) secrets.push(password.toString());
  if (options.url !== undefined) {
    try {
      const parsed = new URL(options.url);
      if (parsed.password) {
        secrets.push(parsed.password, decodeURIComponent(parsed.password));
      }
    } catch {
      // An unparsable URL is never shown, see displayUrl().
    }
  }
  return secrets.filter((s) => s.length > 0);
}

/** `text` with every secret replaced by `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('***');
  return out;
}

/** `qos` as given, checked to be 0, 1 or 2 (default 0); `parameter` names it in the error. */
export function checkedQos(qos: unknown, parameter: string): MqttQoS {
  if (qos === undefined) return 0;
  if (qos !== 0 && qos !== 1 && qos !== 2) {
    throw new InvalidArgumentError(parameter, '0, 1 or 2', qos);
  }
  return qos;
}
