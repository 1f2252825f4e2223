import type { ConnectionStatus } from '../../../lib/core/connection-status';
import type { EventBusConnector } from '../../../lib/core/connector';
import { transportHealth } from '../../../lib/nest/health/transport-health';

function connector(status: ConnectionStatus, since: string, broker?: string): EventBusConnector {
  return { status, statusSince: new Date(since), broker } as unknown as EventBusConnector;
}

describe('transportHealth', () => {
  it.each([
    [
      'all connected: connected since the last one connected',
      [
        connector('connected', '2026-01-01T00:00:01Z'),
        connector('connected', '2026-01-01T00:00:03Z'),
      ],
      { status: 'connected', since: '2026-01-01T00:00:03.000Z' },
    ],
    [
      'one reconnecting: reconnecting since it lost the broker',
      [
        connector('connected', '2026-01-01T00:00:01Z'),
        connector('reconnecting', '2026-01-01T00:05:00Z'),
        connector('reconnecting', '2026-01-01T00:04:00Z'),
      ],
      { status: 'reconnecting', since: '2026-01-01T00:04:00.000Z' },
    ],
    [
      'the worst status wins: disconnected over offline over reconnecting over connecting',
      [
        connector('connecting', '2026-01-01T00:00:01Z'),
        connector('offline', '2026-01-01T00:00:02Z'),
        connector('disconnected', '2026-01-01T00:00:03Z'),
        connector('reconnecting', '2026-01-01T00:00:04Z'),
      ],
      { status: 'disconnected', since: '2026-01-01T00:00:03.000Z' },
    ],
  ])('%s', (_title, connectors, expected) => {
    expect(transportHealth(connectors)).toEqual(expected);
  });

  it('names the broker when the transport has one', () => {
    const health = transportHealth([
      connector('connected', '2026-01-01T00:00:01Z', 'mqtt://127.0.0.1:1883'),
    ]);
    expect(health.broker).toBe('mqtt://127.0.0.1:1883');
  });
});
