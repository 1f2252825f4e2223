import type { IClientSubscribeOptions, MqttClient } from 'mqtt';
import { InvalidArgumentError } from '../core/errors/invalid-argument.error';
import { MqttSubscribeError } from './errors/mqtt-subscribe.error';
import { checkedQos, type MqttQoS, type MqttSubscribeOptions } from './mqtt.options';

/*
 * The broker side of an MQTT subscriber's subscriptions. Which topics the subscriber has, their
 * handlers and their state (made on the broker or not) are the core Subscriber's bookkeeping; this
 * file turns one subscription into SUBSCRIBE / UNSUBSCRIBE packets and their answers into errors.
 */

/**
 * The mqtt.js options of a SUBSCRIBE for `options` (QoS `defaultQos` unless given, no MQTT 5
 * flags by default).
 */
export function toMqttSubscribeOptions(
  options: MqttSubscribeOptions | undefined,
  defaultQos: MqttQoS = 0,
): IClientSubscribeOptions {
  if (options === undefined) return { qos: defaultQos };
  const { nl, rap, rh, properties } = options;
  const qos = options.qos === undefined ? defaultQos : checkedQos('options.qos', options.qos);
  if (rh !== undefined && rh !== 0 && rh !== 1 && rh !== 2) {
    throw new InvalidArgumentError('options.rh', '0, 1 or 2', rh);
  }
  const mqtt: IClientSubscribeOptions = { qos };
  if (nl !== undefined) mqtt.nl = nl;
  if (rap !== undefined) mqtt.rap = rap;
  if (rh !== undefined) mqtt.rh = rh;
  if (properties !== undefined) mqtt.properties = properties;
  return mqtt;
}

/**
 * Make the subscription on the broker; resolves on SUBACK. Rejects with
 * {@link MqttSubscribeError} when the broker refuses it (for example an ACL, or `$share` on a
 * broker without shared subscriptions).
 */
export async function subscribeOnBroker(
  client: MqttClient,
  topic: string,
  options: IClientSubscribeOptions,
): Promise<void> {
  try {
    const granted = await client.subscribeAsync(topic, options);
    const refused = granted.find((grant) => (grant.qos & 0x80) !== 0);
    if (refused !== undefined) {
      throw new MqttSubscribeError(topic, 'the broker refused it', refused.qos);
    }
  } catch (error) {
    if (error instanceof MqttSubscribeError) throw error;
    throw new MqttSubscribeError(
      topic,
      `${(error as Error).message ?? String(error)}; check the broker's ACLs and that it supports ` +
        'this kind of subscription',
      refusalCode(error),
      { cause: error },
    );
  }
}

/** The SUBACK failure code in an mqtt.js subscribe error, if there is one. */
function refusalCode(error: unknown): number | undefined {
  const { code, packet } = error as { code?: unknown; packet?: { granted?: unknown } };
  if (typeof code === 'number') return code;
  const granted = Array.isArray(packet?.granted) ? (packet.granted as unknown[]) : [];
  const refused = granted.find((g): g is number => typeof g === 'number' && (g & 0x80) !== 0);
  return refused;
}

/** Remove the subscription from the broker; resolves on UNSUBACK. */
export async function unsubscribeOnBroker(client: MqttClient, topic: string): Promise<void> {
  try {
    await client.unsubscribeAsync(topic);
  } catch (error) {
    throw new MqttSubscribeError(
      topic,
      `unsubscribe failed: ${(error as Error).message}`,
      undefined,
      {
        cause: error,
      },
    );
  }
}
