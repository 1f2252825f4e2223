import { ReconnectFailures } from '../../../lib/mqtt/mqtt.reconnect-failures';

describe('ReconnectFailures', () => {
  function setup(interval = 30_000) {
    let now = 1_000_000;
    const lines: string[] = [];
    const failures = new ReconnectFailures(
      { first: (m) => lines.push(`debug ${m}`), summary: (m) => lines.push(`warn ${m}`) },
      interval,
      () => now,
    );
    return { failures, lines, advance: (ms: number) => (now += ms) };
  }

  it('tells the first failure, then one summary per interval, however often mqtt.js retries', () => {
    const { failures, lines, advance } = setup();
    // An outage of 95 s with a retry every second: 95 failures.
    for (let i = 0; i < 95; i++) {
      failures.failed('mqtt://127.0.0.1:1883: connect ECONNREFUSED');
      advance(1_000);
    }
    expect(lines).toEqual([
      'debug reconnection failed: mqtt://127.0.0.1:1883: connect ECONNREFUSED',
      'warn still reconnecting: 31 attempts failed in 30 s (last: mqtt://127.0.0.1:1883: connect ECONNREFUSED)',
      'warn still reconnecting: 61 attempts failed in 60 s (last: mqtt://127.0.0.1:1883: connect ECONNREFUSED)',
      'warn still reconnecting: 91 attempts failed in 90 s (last: mqtt://127.0.0.1:1883: connect ECONNREFUSED)',
    ]);
    expect(failures.reset()).toBe(95);
  });

  it('starts over after a reconnection', () => {
    const { failures, lines, advance } = setup(10_000);
    failures.failed('a');
    advance(20_000);
    expect(failures.reset()).toBe(1);
    failures.failed('b');
    expect(lines).toEqual(['debug reconnection failed: a', 'debug reconnection failed: b']);
  });
});
