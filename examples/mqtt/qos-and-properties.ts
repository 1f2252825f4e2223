import { type Event, type Float64Message } from 'busline';
import { type MqttClientOptions, MqttPublisher, MqttSubscriber } from 'busline/mqtt';
import { startEmbeddedBroker } from 'busline/testing';

export async function main(): Promise<void> {
  // MQTT 5 needs a broker that speaks it: BUSLINE_MQTT_URL=mqtt://127.0.0.1:1883 (Mosquitto).
  // Without one, the embedded broker speaks MQTT 3.1.1, and mqtt.js leaves the MQTT 5 parts out.
  const external = process.env.BUSLINE_MQTT_URL;
  const broker = external ? undefined : await startEmbeddedBroker();
  const options: MqttClientOptions = {
    url: broker?.url ?? external!,
    otherClientParameters: { protocolVersion: external ? 5 : 4 },
  };
  const publisher = new MqttPublisher(options);
  const subscriber = new MqttSubscriber(options);
  await Promise.all([publisher.connect(), subscriber.connect()]);

  // QoS 1: resolves once the broker has acknowledged it (PUBACK). Retained: the broker keeps the
  // last reading for subscribers to come.
  await publisher.publish('sensors/7/temp', 21.5, {
    qos: 1,
    retain: true,
    properties: { userProperties: { site: 'lab' }, messageExpiryInterval: 60 },
  });

  // Handlers get the event; the packet (flags, MQTT 5 properties) is on the mqtt.js client.
  subscriber.mqttClient?.on('message', (_topic, _payload, packet) => {
    const site = packet.properties?.userProperties?.site ?? '(no MQTT 5 properties)';
    console.log(`retained: ${packet.retain}, site: ${site}`);
  });
  let handled!: () => void;
  const done = new Promise<void>((resolve) => (handled = resolve));
  await subscriber.subscribe(
    'sensors/#',
    (topic, event: Event<Float64Message>) => {
      console.log(`${topic} -> ${event.payload?.value}`);
      handled();
    },
    { qos: 1, rh: 1 }, // rh 1: retained messages on a new subscription only (MQTT 5)
  );
  await done;
  await subscriber.disconnect();

  // A retained message stays until replaced, expired or cleared by an empty retained message.
  await publisher.mqttClient?.publishAsync('sensors/7/temp', '', { qos: 1, retain: true });
  await publisher.disconnect();
  await broker?.close();
}
