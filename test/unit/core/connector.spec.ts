import { EventBusConnector } from '../../../lib/core/connector';
import { deferred } from '../../support/deferred';

class Connector extends EventBusConnector {
  readonly calls: string[] = [];
  connectResult: () => Promise<void> | void = () => undefined;
  disconnectResult: () => Promise<void> | void = () => undefined;

  protected internalConnect(): Promise<void> | void {
    this.calls.push('connect');
    return this.connectResult();
  }

  protected internalDisconnect(): Promise<void> | void {
    this.calls.push('disconnect');
    return this.disconnectResult();
  }
}

describe('EventBusConnector', () => {
  it('has the identifier given, or a random UUID', () => {
    expect(new Connector({ identifier: 'me' }).identifier).toBe('me');
    expect(new Connector().identifier).not.toBe(new Connector().identifier);
  });

  it('a failed connect() rejects with the transport error, stays disconnected, and can be retried', async () => {
    const connector = new Connector();
    connector.connectResult = () => Promise.reject(new Error('refused'));
    await expect(connector.connect()).rejects.toThrow('refused');
    expect(connector.connected).toBe(false);
    connector.connectResult = () => undefined;
    await connector.connect();
    expect(connector.connected).toBe(true);
    expect(connector.calls).toEqual(['connect', 'connect']);
  });

  it('disconnect() while connecting waits for the attempt, then disconnects', async () => {
    const connector = new Connector();
    const gate = deferred();
    connector.connectResult = () => gate.promise;
    const connecting = connector.connect();
    const disconnecting = connector.disconnect();
    gate.resolve();
    await connecting;
    await disconnecting;
    expect(connector.connected).toBe(false);
    expect(connector.calls).toEqual(['connect', 'disconnect']);
  });

  it('connect() while disconnecting waits for it, then connects again', async () => {
    const connector = new Connector();
    await connector.connect();
    const gate = deferred();
    connector.disconnectResult = () => gate.promise;
    const disconnecting = connector.disconnect();
    const connecting = connector.connect();
    gate.resolve();
    await disconnecting;
    await connecting;
    expect(connector.connected).toBe(true);
    expect(connector.calls).toEqual(['connect', 'disconnect', 'connect']);
  });

  it('a failing disconnect() rejects but leaves the connector disconnected', async () => {
    const connector = new Connector();
    await connector.connect();
    connector.disconnectResult = () => Promise.reject(new Error('socket gone'));
    await expect(connector.disconnect()).rejects.toThrow('socket gone');
    expect(connector.connected).toBe(false);
  });

  it('describes itself with its class and identifier', () => {
    expect(String(new Connector({ identifier: 'x' }))).toBe("Connector('x')");
  });
});
