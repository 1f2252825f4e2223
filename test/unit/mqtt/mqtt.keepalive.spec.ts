import type { MqttClient } from 'mqtt';
import { keepAliveWhileHolding } from '../../../lib/mqtt/mqtt.keepalive';

/** The part of an mqtt.js client the keepalive logic touches, recording what it is asked. */
function fakeClient(keepalive: number): { client: MqttClient; calls: string[] } {
  const calls: string[] = [];
  const client = {
    keepalive,
    sendPing: () => calls.push('ping'),
    reschedulePing: (force?: boolean) => calls.push(`reschedule(${force === true})`),
    onKeepaliveTimeout: () => calls.push('close'),
  } as unknown as MqttClient;
  return { client, calls };
}

describe('keepAliveWhileHolding', () => {
  let now = 1_000_000;
  beforeEach(() => {
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  it('closes on a keepalive timeout when reading is not held back', () => {
    const { client, calls } = fakeClient(10);
    keepAliveWhileHolding(client, () => false);
    client.onKeepaliveTimeout();
    expect(calls).toEqual(['close']);
  });

  it('pings again instead of closing while reading is held back', () => {
    const { client, calls } = fakeClient(10);
    keepAliveWhileHolding(client, () => true);
    client.onKeepaliveTimeout();
    expect(calls).toEqual(['ping', 'reschedule(true)']);
  });

  it('answers a PINGRESP read late with a PINGREQ at once, so the broker never waits 1.5 intervals', () => {
    const { client, calls } = fakeClient(10);
    keepAliveWhileHolding(client, () => false);
    client.sendPing();
    now += 4_000; // read in time: nothing more
    client.reschedulePing(true);
    expect(calls).toEqual(['ping', 'reschedule(true)']);
    client.sendPing();
    now += 6_000; // read late, behind held-back messages
    client.reschedulePing(true);
    expect(calls).toEqual(['ping', 'reschedule(true)', 'ping', 'reschedule(true)', 'ping']);
    // Acknowledgements re-arm without force: never a ping of their own.
    now += 6_000;
    client.reschedulePing(false);
    expect(calls.at(-1)).toBe('reschedule(false)');
  });
});
