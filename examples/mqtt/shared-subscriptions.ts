import { MqttPublisher, MqttSubscriber } from 'busline/mqtt';
import { startEmbeddedBroker } from 'busline/testing';

export async function main(): Promise<void> {
  // Shared subscriptions need a broker that has them: BUSLINE_MQTT_URL=mqtt://127.0.0.1:1883
  // (Mosquitto). Without one, the embedded broker shows the wildcards only.
  const external = process.env.BUSLINE_MQTT_URL;
  const broker = external ? undefined : await startEmbeddedBroker();
  const url = broker?.url ?? external!;
  const publisher = new MqttPublisher({ url });
  await publisher.connect();

  // Wildcards: '+' is one level, '#' any number of them, the parent level included.
  const subscriber = new MqttSubscriber({ url });
  let lastOne!: () => void;
  const allSeen = new Promise<void>((resolve) => (lastOne = resolve));
  await subscriber.subscribe('orders/+/created', (topic) => console.log(`created: ${topic}`));
  await subscriber.subscribe('stock/#', (topic) => {
    console.log(`stock: ${topic}`);
    if (topic === 'stock/lamps/low') lastOne();
  });
  await subscriber.connect();
  for (const topic of ['orders/42/created', 'orders/42/paid', 'stock', 'stock/lamps/low']) {
    await publisher.publish(topic, undefined, { qos: 1 }); // in order, on one connection
  }
  await allSeen;
  await subscriber.disconnect();

  if (external) {
    // Two instances of a billing service split the orders: each order reaches one of them.
    const charged: string[] = [];
    let allCharged!: () => void;
    const done = new Promise<void>((resolve) => (allCharged = resolve));
    const instances: MqttSubscriber[] = [];
    for (const name of ['billing-1', 'billing-2']) {
      const instance = new MqttSubscriber({ url, otherClientParameters: { protocolVersion: 5 } });
      await instance.subscribe(
        '$share/billing/orders/+/created', // handlers get the topic published on
        (topic) => {
          charged.push(`${name} charged ${topic}`);
          if (charged.length === 4) allCharged();
        },
        { qos: 1 },
      );
      await instance.connect();
      instances.push(instance);
    }
    for (const id of [1, 2, 3, 4]) {
      await publisher.publish(`orders/${id}/created`, undefined, { qos: 1 });
    }
    await done;
    console.log(charged.sort().join('\n')); // Mosquitto hands them out in turn
    await Promise.all(instances.map((instance) => instance.disconnect()));
  }

  await publisher.disconnect();
  await broker?.close();
}
