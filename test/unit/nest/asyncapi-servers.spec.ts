import type { TransportModel } from '../../../lib/nest/asyncapi/app-model';
import { serverOf } from '../../../lib/nest/asyncapi/servers';

/* The AsyncAPI server object of an MQTT transport, from its options. */

function mqtt(options: TransportModel['mqtt']): TransportModel {
  return { name: 'mqtt', kind: 'mqtt', publishes: true, subscribes: true, mqtt: options };
}

it.each([
  ['mqtt://user:secret@broker:1883', { host: 'broker:1883', protocol: 'mqtt' }],
  ['mqtts://broker:8883', { host: 'broker:8883', protocol: 'secure-mqtt' }],
  ['ws://broker:8080/mqtt', { host: 'broker:8080', protocol: 'ws', pathname: '/mqtt' }],
  ['wss://broker/ws/mqtt', { host: 'broker', protocol: 'wss', pathname: '/ws/mqtt' }],
])('%s: host, protocol and the path a WebSocket broker listens on', (url, expected) => {
  const server = serverOf(mqtt({ url }), undefined);
  expect({ host: server.host, protocol: server.protocol, pathname: server.pathname }).toEqual({
    pathname: undefined,
    ...expected,
  });
  expect(JSON.stringify(server)).not.toContain('secret');
});

it('a hostname and port: host with the port, no path', () => {
  const server = serverOf(mqtt({ hostname: 'broker', port: 1884 }), undefined);
  expect(server).toMatchObject({ host: 'broker:1884', protocol: 'mqtt' });
  expect(server).not.toHaveProperty('pathname');
});
