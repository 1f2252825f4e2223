import { LocalEventBus } from '../../local/local-event-bus';
import { LocalPublisher } from '../../local/local.publisher';
import { LocalSubscriber } from '../../local/local.subscriber';
import type { BuslineClient } from '../busline.client';
import type { BuslineModuleOptions } from '../interfaces/busline-module-options.interface';
import type { FlowBus, FlowTransport } from './flow-model';

/**
 * @internal The transports of an application and the bus each one carries events on: a local
 * transport's `EventBus` object (the process-wide one, or one of its own), an MQTT connection's
 * broker address, a custom transport of its own. Same bus, same key: that is where applications
 * meet on the page.
 */
export function flowTransports(
  client: BuslineClient,
  options: BuslineModuleOptions,
  appId: string,
): FlowTransport[] {
  const found = new Map<string, FlowTransport>();
  const add = (connector: object, name: string | undefined, role: 'pub' | 'sub'): void => {
    const transport = name ?? 'custom';
    const known = found.get(transport);
    found.set(transport, {
      name: transport,
      bus: known?.bus ?? busOf(transport, connector, options, appId),
      publishes: (known?.publishes ?? false) || role === 'pub',
      subscribes: (known?.subscribes ?? false) || role === 'sub',
    });
  };
  for (const publisher of client.publishers) add(publisher, client.transportOf(publisher), 'pub');
  for (const subscriber of client.subscribers) {
    add(subscriber, client.transportOf(subscriber), 'sub');
  }
  return [...found.values()];
}

function busOf(
  name: string,
  connector: object,
  options: BuslineModuleOptions,
  appId: string,
): FlowBus {
  if (connector instanceof LocalPublisher || connector instanceof LocalSubscriber) {
    const bus = connector.eventbus;
    if (bus === new LocalEventBus()) {
      return { key: 'local:process', kind: 'local', label: 'process-wide local bus' };
    }
    return { key: `local:${objectId(bus)}`, kind: 'local', label: `local bus '${name}'` };
  }
  const mqtt = options.mqtt === undefined ? [] : [options.mqtt].flat();
  for (const entry of mqtt) {
    if ((entry.name ?? 'mqtt') !== name) continue;
    const where = brokerAddress(entry as { url?: string; hostname?: string; port?: number });
    return { key: `mqtt:${where}`, kind: 'mqtt', label: `MQTT broker ${where}` };
  }
  return { key: `custom:${appId}:${name}`, kind: 'custom', label: `transport '${name}'` };
}

const ids = new WeakMap<object, number>();
let nextId = 1;
function objectId(value: object): number {
  let id = ids.get(value);
  if (id === undefined) ids.set(value, (id = nextId++));
  return id;
}

/** The broker's address without credentials: a page must not show a password in a URL. */
function brokerAddress(options: { url?: string; hostname?: string; port?: number }): string {
  if (options.url !== undefined) {
    try {
      const url = new URL(options.url);
      return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
    } catch {
      return options.url;
    }
  }
  return `mqtt://${options.hostname ?? 'localhost'}:${options.port ?? 1883}`;
}
