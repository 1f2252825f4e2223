import { Injectable } from '@nestjs/common';
import { BuslineClient } from '../busline.client';
import { transportHealth, type TransportHealth } from './transport-health';

/** What {@link BuslineHealthIndicator.isHealthy} returns: a `@nestjs/terminus` indicator result. */
export type BuslineHealthResult = Record<
  string,
  { status: 'up' | 'down'; transports: Record<string, TransportHealth> }
>;

/**
 * The connection state of each Busline transport of the application, for `@nestjs/terminus`
 * (`health.check([() => busline.isHealthy('busline')])`) or for any health endpoint of your own.
 * `up` when every publisher and subscriber of every transport is connected; `down` otherwise,
 * with each transport's status and since when (a lost broker shows as `reconnecting`).
 *
 * `BuslineModule` provides it; it needs no `@nestjs/terminus` import of its own, so it works with
 * Terminus 11 and 12, and without Terminus.
 */
@Injectable()
export class BuslineHealthIndicator {
  constructor(private readonly client: BuslineClient) {}

  /** Each transport's health, by transport name (`mqtt`, `local`, or the names you gave). */
  transports(): Record<string, TransportHealth> {
    const byName: Record<string, TransportHealth> = {};
    for (const name of this.client.transportNames) {
      const connectors = [...this.client.publishers, ...this.client.subscribers].filter(
        (connector) => this.client.transportOf(connector) === name,
      );
      byName[name] = transportHealth(connectors);
    }
    return byName;
  }

  /** The Terminus result under `key` (default `busline`): `up` when every transport is connected. */
  isHealthy(key = 'busline'): BuslineHealthResult {
    const transports = this.transports();
    const up = Object.values(transports).every((t) => t.status === 'connected');
    return { [key]: { status: up ? 'up' : 'down', transports } };
  }
}
