import type { IPublishPacket } from 'mqtt';
import { withHeaderProperties, headersOfPacket } from '../../../lib/mqtt/mqtt.headers';

const packet = (properties: IPublishPacket['properties']): IPublishPacket => ({
  cmd: 'publish',
  topic: 't',
  payload: Buffer.alloc(0),
  qos: 0,
  dup: false,
  retain: false,
  properties,
});

describe('event headers as MQTT 5 properties', () => {
  it('puts the reply address in the response topic and correlation data, the rest in user properties', () => {
    const options = withHeaderProperties(
      { qos: 1, properties: { contentType: 'application/json', userProperties: { mine: 'x' } } },
      { 'busline-reply-to': 'r/1', 'busline-correlation-id': 'c-1', traceparent: '00-a-b-01' },
    );
    expect(options).toEqual({
      qos: 1,
      properties: {
        contentType: 'application/json',
        responseTopic: 'r/1',
        correlationData: Buffer.from('c-1'),
        userProperties: { mine: 'x', traceparent: '00-a-b-01' },
      },
    });
  });

  it.each<[string, IPublishPacket['properties'], Record<string, string> | undefined]>([
    ['no properties', undefined, undefined],
    ['properties without headers', { messageExpiryInterval: 5 }, undefined],
    [
      'the reply address',
      { responseTopic: 'r/1', correlationData: Buffer.from('c-1') },
      { 'busline-reply-to': 'r/1', 'busline-correlation-id': 'c-1' },
    ],
    [
      'user properties, the first of repeated ones',
      { userProperties: { a: '1', b: ['2', '3'] } },
      { a: '1', b: '2' },
    ],
  ])('reads %s from an inbound packet', (_name, properties, expected) => {
    expect(headersOfPacket(packet(properties))).toEqual(expected);
  });
});
