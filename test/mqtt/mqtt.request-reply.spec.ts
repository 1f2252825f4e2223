import type { IClientOptions, IPublishPacket, MqttClient } from 'mqtt';
import { PubSubClient } from '../../lib/core/pubsub-client';
import { MqttPublisher } from '../../lib/mqtt/mqtt.publisher';
import { MqttSubscriber } from '../../lib/mqtt/mqtt.subscriber';
import { rawClient } from '../support/mqtt/raw-client';
import {
  announceSkip,
  BROKER_KIND,
  itIf,
  MQTT5_AVAILABLE,
  MQTT5_SKIP_REASON,
  useTestBroker,
} from '../support/mqtt/test-broker';
import { uniquePrefix } from '../support/mqtt/topics';
import { describeRequestReply } from '../support/request-reply.cases';
import { waitFor } from '../support/wait-for';

/*
 * Request/reply over MQTT. MQTT 3.1.1 (the embedded broker, and Mosquitto) carries the reply
 * address in the envelope's `headers` member; MQTT 5 (Mosquitto) in the response topic and
 * correlation data properties, and tells a QoS 1 request that nobody is subscribed.
 */

jest.setTimeout(30_000);

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
const FAST: IClientOptions = { reconnectPeriod: 50, connectTimeout: 5_000 };
const V5: IClientOptions = { ...FAST, protocolVersion: 5 };

const broker = useTestBroker();
let prefix: string;
beforeEach(() => {
  prefix = uniquePrefix('reqreply');
});

async function mqttClient(otherClientParameters: IClientOptions): Promise<PubSubClient> {
  const client = new PubSubClient(
    [new MqttPublisher({ url: broker.url, logger: quiet, otherClientParameters })],
    [new MqttSubscriber({ url: broker.url, logger: quiet, otherClientParameters })],
    { replyTopic: `${prefix}/replies/${Math.random().toString(36).slice(2)}` },
  );
  await client.connect();
  return client;
}

describeRequestReply({
  name: 'MQTT 3.1.1 (envelope-carried reply address)',
  client: () => mqttClient(FAST),
  topic: (name) => `${prefix}/${name}`,
  requestOptions: { qos: 1 },
  subscribeOptions: { qos: 1 },
  noResponder: 'MQTT 3.1.1 has no "no matching subscribers" acknowledgement',
  sharedSubscriptions:
    BROKER_KIND === 'external' || 'aedes has no shared subscriptions ($share); run with Mosquitto',
});

if (MQTT5_AVAILABLE) {
  describeRequestReply({
    name: 'MQTT 5 (response topic and correlation data)',
    client: () => mqttClient(V5),
    topic: (name) => `${prefix}/${name}`,
    requestOptions: { qos: 1 },
    subscribeOptions: { qos: 1 },
    noResponder: true,
    sharedSubscriptions: true,
  });
} else {
  announceSkip('MQTT 5 request/reply', MQTT5_SKIP_REASON);
}

describe('request/reply on the wire', () => {
  let raw: MqttClient | undefined;
  const clients: PubSubClient[] = [];
  afterEach(async () => {
    await raw?.endAsync();
    raw = undefined;
    await Promise.all(clients.splice(0).map((c) => c.disconnect()));
  });

  /** A request on `topic` as a raw client sees it, and the reply that came back. */
  async function observe(options: IClientOptions) {
    raw = await rawClient(broker.url, options);
    const packets: IPublishPacket[] = [];
    raw.on('message', (_topic, _payload, packet) => packets.push(packet));
    const topic = `${prefix}/observed`;
    await raw.subscribeAsync(topic, { qos: 1 });
    const [requester, responder] = await Promise.all([mqttClient(options), mqttClient(options)]);
    clients.push(requester, responder);
    await responder.subscribe(topic, () => 'answer', { qos: 1 });
    const reply = await requester.request(topic, 'question', { qos: 1, timeout: 10_000 });
    await waitFor(() => packets.length === 1, 5_000, 'the raw client saw the request');
    const envelope = JSON.parse(packets[0].payload.toString()) as Record<string, unknown>;
    return { packet: packets[0], envelope, reply, requester };
  }

  it('MQTT 3.1.1: the reply address travels in the envelope, after the six Python members', async () => {
    const { envelope, reply, requester } = await observe(FAST);
    expect(Object.keys(envelope)).toEqual([
      'identifier',
      'publisher_identifier',
      'serialized_payload',
      'payload_format_type',
      'message_type',
      'timestamp',
      'headers',
    ]);
    const headers = envelope.headers as Record<string, string>;
    expect(headers['busline-reply-to']).toBe(requester.replyTopic);
    expect(headers['busline-correlation-id']).toEqual(expect.any(String));
    expect(reply.headers['busline-correlation-id']).toBe(headers['busline-correlation-id']);
  });

  itIf(MQTT5_AVAILABLE, MQTT5_SKIP_REASON)(
    'MQTT 5: the reply address travels in the response topic and correlation data, not the envelope',
    async () => {
      const { packet, envelope, reply, requester } = await observe(V5);
      expect(envelope).not.toHaveProperty('headers');
      expect(packet.properties?.responseTopic).toBe(requester.replyTopic);
      const correlation = Buffer.from(packet.properties!.correlationData!).toString();
      expect(reply.headers['busline-correlation-id']).toBe(correlation);
    },
  );
});
