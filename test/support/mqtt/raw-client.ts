import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';

/** A plain mqtt.js client (not Busline) for tests: to publish raw bytes and capture raw bytes. */
export async function rawClient(url: string, options: IClientOptions = {}): Promise<MqttClient> {
  return connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5_000, ...options }, false);
}

/** Messages a raw client received on a filter, as topic and payload bytes. */
export interface RawCapture {
  readonly messages: { topic: string; payload: Buffer; retain: boolean }[];
  /** The payloads received on `topic`. */
  on(topic: string): Buffer[];
}

/** Subscribe `client` to `filter` (QoS 1) and keep everything that arrives. */
export async function capture(client: MqttClient, filter: string): Promise<RawCapture> {
  const messages: RawCapture['messages'] = [];
  client.on('message', (topic, payload, packet) =>
    messages.push({ topic, payload, retain: packet.retain }),
  );
  await client.subscribeAsync(filter, { qos: 1 });
  return {
    messages,
    on: (topic) => messages.filter((m) => m.topic === topic).map((m) => m.payload),
  };
}
