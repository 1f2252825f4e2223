import type { IPublishPacket } from 'mqtt';
import { Event, type EventHeaders } from '../core/event';
import { CORRELATION_ID_HEADER, REPLY_TO_HEADER } from '../core/event-headers';
import type { MqttPublishOptions } from './mqtt.options';

/*
 * An event's headers over MQTT 5, in the packet's properties instead of the envelope: the reply
 * address in MQTT's own response topic and correlation data, every other header as a user
 * property. Over MQTT 3.1.1 they stay in the envelope.
 */

/** @internal `options` with `headers` added to their MQTT 5 properties (user's own ones kept). */
export function withHeaderProperties(
  options: MqttPublishOptions | undefined,
  headers: EventHeaders,
): MqttPublishOptions {
  const properties = { ...options?.properties };
  const userProperties: Record<string, string | string[]> = { ...properties.userProperties };
  for (const name in headers) {
    const value = headers[name];
    if (name === REPLY_TO_HEADER) properties.responseTopic = value;
    else if (name === CORRELATION_ID_HEADER) properties.correlationData = Buffer.from(value);
    else userProperties[name] = value;
  }
  if (Object.keys(userProperties).length > 0) properties.userProperties = userProperties;
  return { ...options, properties };
}

/** @internal The same event without headers: what the envelope carries when properties do. */
export function withoutHeaders(event: Event): Event {
  return new Event({
    publisherIdentifier: event.publisherIdentifier,
    payload: event.payload,
    identifier: event.identifier,
    timestamp: event.timestamp,
  });
}

/**
 * @internal The headers an inbound MQTT 5 packet carries in its properties, or `undefined` when
 * it carries none. A user property given several times keeps its first value; correlation data
 * is read as UTF-8 text.
 */
export function headersOfPacket(packet: IPublishPacket): EventHeaders | undefined {
  const properties = packet.properties;
  if (properties === undefined) return undefined;
  const { responseTopic, correlationData, userProperties } = properties;
  if (responseTopic === undefined && correlationData === undefined && !userProperties) {
    return undefined;
  }
  const headers: Record<string, string> = {};
  for (const name in userProperties) {
    const value = userProperties[name];
    headers[name] = Array.isArray(value) ? value[0] : value;
  }
  if (responseTopic !== undefined) headers[REPLY_TO_HEADER] = responseTopic;
  if (correlationData !== undefined) {
    headers[CORRELATION_ID_HEADER] = Buffer.from(correlationData).toString('utf8');
  }
  return headers;
}
