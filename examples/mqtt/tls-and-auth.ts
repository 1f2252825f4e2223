import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Event, type StringMessage } from 'busline';
import { MqttConnectionError, MqttPublisher, MqttSubscriber } from 'busline/mqtt';
import { startEmbeddedBroker } from 'busline/testing';
import { makeThrowawayCertificates } from './support/certificates';

export async function main(): Promise<void> {
  // For the example: certificates made now, and a broker that asks for client certificates and
  // checks user names and passwords.
  const certificates = makeThrowawayCertificates();
  const file = (name: string): Buffer => readFileSync(join(certificates.dir, name));
  const broker = await startEmbeddedBroker({
    tls: {
      key: file('server.key'),
      cert: file('server.crt'),
      ca: file('ca.crt'),
      requestCert: true,
      rejectUnauthorized: true,
    },
    authenticate: ({ username, password }) =>
      username === 'svc-orders' && password === 'c0rrect h0rse',
  });

  const tls = {
    ca: file('ca.crt'), // trust the broker's CA
    cert: file('client.crt'), // client certificate, when the broker asks for one
    key: file('client.key'),
    username: 'svc-orders',
    password: 'c0rrect h0rse', // say, process.env.MQTT_PASSWORD
  };
  certificates.remove(); // all read
  const subscriber = new MqttSubscriber({
    url: broker.url, // mqtts://127.0.0.1:<port>
    otherClientParameters: tls,
  });
  const publisher = new MqttPublisher({
    hostname: 'localhost', // the name the broker certificate is for
    port: broker.port,
    otherClientParameters: { protocol: 'mqtts', ...tls },
  });

  let received!: (text: string) => void;
  const greeting = new Promise<string>((resolve) => (received = resolve));
  await subscriber.subscribe('greetings', (_topic, event: Event<StringMessage>) =>
    received(event.payload!.value),
  );
  await Promise.all([subscriber.connect(), publisher.connect()]);
  await publisher.publish('greetings', 'hello over TLS', { qos: 1 });
  console.log(await greeting); // hello over TLS

  // A wrong password: connect() says why, without the password.
  const intruder = new MqttPublisher({
    url: broker.url,
    otherClientParameters: { ...tls, password: 'Tr0ub4dor&3' },
  });
  try {
    await intruder.connect();
  } catch (error) {
    if (!(error instanceof MqttConnectionError)) throw error;
    console.log(`refused, reason code ${error.reasonCode}: ${error.hint}`);
    console.log(`password in the message: ${error.message.includes('Tr0ub4dor&3')}`); // false
  }

  await Promise.all([subscriber.disconnect(), publisher.disconnect()]);
  await broker.close();
}
