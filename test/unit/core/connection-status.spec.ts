import { AsyncLocalEventBus } from '../../../lib/local/async-local-event-bus';
import { LocalPublisher } from '../../../lib/local/local.publisher';
import { LocalSubscriber } from '../../../lib/local/local.subscriber';
import { PubSubClient } from '../../../lib/core/pubsub-client';
import type { ConnectorStatusChange } from '../../../lib/core/client-status';
import { StatusTracker } from '../../../lib/core/connection-status';
import { EventBusConnector } from '../../../lib/core/connector';

const quiet = { log: () => undefined, warn: () => undefined, error: jest.fn() };

class Refused extends EventBusConnector {
  protected internalConnect(): never {
    throw new Error('refused');
  }
  protected internalDisconnect(): void {}
}

describe('connection status', () => {
  it('follows connect() and disconnect(), with the time of each change', async () => {
    const publisher = new LocalPublisher({ eventbus: new AsyncLocalEventBus() });
    const seen: string[] = [];
    publisher.onStatus((change) => seen.push(change.status));
    expect(publisher.status).toBe('disconnected');
    const before = Date.now();
    await publisher.connect();
    expect(publisher.status).toBe('connected');
    expect(publisher.statusSince.getTime()).toBeGreaterThanOrEqual(before);
    await publisher.disconnect();
    expect(seen).toEqual(['connecting', 'connected', 'disconnected']);
  });

  it('goes back to disconnected when connect() fails', async () => {
    const connector = new Refused();
    const seen: string[] = [];
    connector.onStatus((change) => seen.push(change.status));
    await expect(connector.connect()).rejects.toThrow('refused');
    expect(connector.status).toBe('disconnected');
    expect(seen).toEqual(['connecting', 'disconnected']);
  });

  it('stops telling a listener once it unsubscribed, and a throwing listener does not silence the others', () => {
    const tracker = new StatusTracker(() => 'Owner', quiet);
    const heard: string[] = [];
    tracker.listen(() => {
      throw new Error('listener bug');
    });
    const stop = tracker.listen((change) => heard.push(change.status));
    tracker.set('connecting');
    tracker.set('connecting'); // no change, not told
    tracker.set('connected');
    stop();
    tracker.set('reconnecting');
    expect(heard).toEqual(['connecting', 'connected']);
    expect(tracker.current.status).toBe('reconnecting');
    expect(quiet.error).toHaveBeenCalledWith(
      expect.stringContaining('Owner: a status listener threw'),
    );
  });

  it('a client lists every publisher and subscriber, and streams their changes', async () => {
    const eventbus = new AsyncLocalEventBus();
    const publisher = new LocalPublisher({ eventbus });
    const subscriber = new LocalSubscriber({ eventbus });
    const client = new PubSubClient([publisher], [subscriber]);
    const changes: ConnectorStatusChange[] = [];
    const stop = client.onStatus((change) => changes.push(change));
    await client.connect();
    expect(client.statuses().map((s) => [s.role, s.connector, s.status])).toEqual([
      ['publisher', publisher, 'connected'],
      ['subscriber', subscriber, 'connected'],
    ]);
    stop();
    await client.disconnect();
    expect(changes.map((c) => `${c.role} ${c.status}`).sort()).toEqual([
      'publisher connected',
      'publisher connecting',
      'subscriber connected',
      'subscriber connecting',
    ]);
    expect(client.statuses().every((s) => s.status === 'disconnected')).toBe(true);
  });
});
