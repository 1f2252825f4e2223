import { BytesMessage, type Event, JsonMessage, StringMessage } from 'busline';
import { MqttPublisher, MqttSubscriber } from 'busline/mqtt';
import { startEmbeddedBroker } from 'busline/testing';
import { connectAsync } from 'mqtt';

/** What the sensor sends, as plain JSON: {"celsius": 21.5}. */
class Reading extends JsonMessage {
  celsius = 0;
}

export async function main(): Promise<void> {
  // An MQTT broker in this process, for the example; yours has a URL like mqtt://127.0.0.1:1883.
  const broker = await startEmbeddedBroker();
  const seen: string[] = [];
  // What cannot be read (here: JSON cut short) is reported and skipped; the rest goes on.
  const subscriber = new MqttSubscriber({
    url: broker.url,
    onError: (error) => void seen.push(`skipped: ${error.name}`),
  });
  const publisher = new MqttPublisher({ url: broker.url });
  // Devices that know nothing of Busline: plain mqtt.js clients.
  const sensor = await connectAsync(broker.url);
  const lamp = await connectAsync(broker.url);
  await Promise.all([subscriber.connect(), publisher.connect()]);

  // Plain JSON mapped onto Reading; text as a StringMessage; bytes as a BytesMessage.
  await subscriber.subscribe(
    'sensors/+/temperature',
    (topic, event: Event<Reading>) => {
      const generated = event.publisherIdentifier === '' && event.identifier.length === 36;
      seen.push(`${topic}: ${event.payload?.celsius} °C (generated identifier: ${generated})`);
    },
    { envelope: { raw: Reading }, qos: 1 },
  );
  await subscriber.subscribe(
    'sensors/+/label',
    (_topic, event: Event<StringMessage>) => void seen.push(`label: ${event.payload?.value}`),
    { envelope: { raw: 'text' }, qos: 1 },
  );
  await subscriber.subscribe(
    'sensors/+/frame',
    (_topic, event: Event<BytesMessage>) =>
      void seen.push(`frame: ${Buffer.from(event.payload!.value).toString('hex')}`),
    { envelope: { raw: 'bytes' }, qos: 1 },
  );

  await sensor.publishAsync('sensors/kitchen/temperature', '{"celsius": 21.5}', { qos: 1 });
  await sensor.publishAsync('sensors/kitchen/temperature', '{"celsius": 21.', { qos: 1 });
  await sensor.publishAsync('sensors/kitchen/label', 'Küche', { qos: 1 });
  await sensor.publishAsync('sensors/kitchen/frame', Buffer.from([0xca, 0xfe]), { qos: 1 });
  await until(() => seen.length === 4);
  for (const line of seen.sort()) console.log(line);

  // A publish without envelope: the lamp gets the payload's own JSON (or text, or bytes).
  const lampGot: string[] = [];
  lamp.on('message', (topic, payload) => void lampGot.push(`lamp got on ${topic}: ${payload}`));
  await lamp.subscribeAsync('lamps/hall/set', { qos: 1 });
  await publisher.publish('lamps/hall/set', new StringMessage('on'), { envelope: 'raw', qos: 1 });
  await publisher.publish('lamps/hall/set', new BytesMessage(Buffer.from('{"level": 80}')), {
    envelope: 'raw',
    qos: 1,
  });
  await until(() => lampGot.length === 2);
  for (const line of lampGot) console.log(line);

  await Promise.all([subscriber.disconnect(), publisher.disconnect()]);
  await Promise.all([sensor.endAsync(), lamp.endAsync()]);
  await broker.close();
}

/** Resolves once `condition()` holds; rejects after `timeout` ms. */
async function until(condition: () => boolean, timeout = 5_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`still waiting after ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
