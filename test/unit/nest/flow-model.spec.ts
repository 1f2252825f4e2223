import { flowDeclarations } from '../../../lib/nest/flow-page/flow-declarations';
import type { CounterSnapshot } from '../../../lib/nest/flow-page/flow-counters';
import { flowGraph, type FlowApp, type FlowBus } from '../../../lib/nest/flow-page/flow-model';
import type { AsyncApiDocument } from '../../../lib/nest/asyncapi/asyncapi.types';

const BROKER: FlowBus = { key: 'mqtt:mqtt://broker:1883', kind: 'mqtt', label: 'MQTT broker' };
const LOCAL: FlowBus = { key: 'local:process', kind: 'local', label: 'process-wide local bus' };

function counters(events: number, errors = 0, backlog = 0): CounterSnapshot {
  return { events, rate: events / 5, errors, backlog };
}

function app(partial: Partial<FlowApp> & Pick<FlowApp, 'id'>): FlowApp {
  return {
    name: partial.id,
    transports: [
      { name: 'mqtt', bus: BROKER, publishes: true, subscribes: true },
      { name: 'local', bus: LOCAL, publishes: true, subscribes: true },
    ],
    handlers: [],
    publications: [],
    subscriptions: [],
    messages: [],
    ...partial,
  };
}

describe('flowGraph', () => {
  const backend = app({
    id: 'backend',
    publications: [
      { id: 'new_order', topic: 'new_order', transports: ['mqtt'], counters: counters(3) },
    ],
  });
  const mailer = app({
    id: 'mailer',
    handlers: [
      { id: 'm', binding: 'Mailer.onOrder', filter: 'new_order', transports: ['mqtt'] },
      { id: 'w', binding: 'Mailer.onAny', filter: '+', transports: ['mqtt'] },
    ],
    subscriptions: [
      { transport: 'mqtt', filter: 'new_order', counters: counters(3, 1, 2) },
      { transport: 'mqtt', filter: '+', counters: counters(3) },
    ],
  });
  const processor = app({
    id: 'processor',
    handlers: [
      { id: 'p', binding: 'Processor.onOrder', filter: 'new_order', transports: ['mqtt'] },
      { id: 'l', binding: 'Processor.onLocal', filter: 'new_order', transports: ['local'] },
    ],
    subscriptions: [{ transport: 'mqtt', filter: 'new_order', counters: counters(2, 0, 1) }],
  });
  const graph = flowGraph([backend, mailer, processor]);
  const topic = (bus: FlowBus, label: string) =>
    graph.nodes.find((n) => n.kind === 'topic' && n.bus === bus.key && n.label === label);

  it('meets the applications on one bus at one topic node, with an arrow per publisher and handler', () => {
    const newOrder = topic(BROKER, 'new_order')!;
    expect(newOrder).toBeDefined();
    expect(graph.edges).toEqual(
      expect.arrayContaining([
        { from: 'publication:backend|new_order', to: newOrder.id },
        { from: newOrder.id, to: 'handler:mailer|m' },
        { from: newOrder.id, to: 'handler:processor|p' },
      ]),
    );
    expect(graph.nodes.filter((n) => n.kind === 'handler').map((n) => [n.label, n.app])).toEqual([
      ['Mailer.onOrder', 'mailer'],
      ['Mailer.onAny', 'mailer'],
      ['Processor.onOrder', 'processor'],
      ['Processor.onLocal', 'processor'],
    ]);
  });

  it('keeps the same topic on another bus apart', () => {
    const onLocal = topic(LOCAL, 'new_order')!;
    expect(onLocal.id).not.toBe(topic(BROKER, 'new_order')!.id);
    expect(graph.edges).toContainEqual({ from: onLocal.id, to: 'handler:processor|l' });
    expect(graph.buses.map((b) => b.key).sort()).toEqual([LOCAL.key, BROKER.key].sort());
  });

  it('links a topic to the wildcard filters on its bus that match it', () => {
    expect(graph.edges).toContainEqual({
      from: topic(BROKER, 'new_order')!.id,
      to: topic(BROKER, '+')!.id,
      matches: true,
    });
    expect(graph.edges.filter((e) => e.matches)).toHaveLength(1);
  });

  it('gives a topic the most events any subscription saw, and adds up errors and backlog', () => {
    expect(topic(BROKER, 'new_order')!.counters).toEqual({
      events: 3,
      rate: 0.6,
      errors: 1,
      backlog: 3,
    });
  });

  it('shows what was published on a topic nobody in the process subscribes to', () => {
    const alone = flowGraph([backend]);
    expect(alone.nodes.find((n) => n.kind === 'topic')?.counters?.events).toBe(3);
  });

  it('draws no arrow through a transport the application does not have', () => {
    const odd = flowGraph([
      app({
        id: 'odd',
        handlers: [{ id: 'x', binding: 'X.on', filter: 'a', transports: ['kafka'] }],
      }),
    ]);
    expect(odd.edges).toEqual([]);
    expect(odd.nodes.map((n) => n.kind)).toEqual(['handler']);
  });
});

describe('flowDeclarations', () => {
  const document: AsyncApiDocument = {
    asyncapi: '3.0.0',
    info: { title: 't', version: '1' },
    channels: {
      orders: {
        address: 'orders/{id}',
        messages: { Order: { $ref: '#/components/messages/Order' } },
        'x-busline-filter': 'orders/+',
      },
    },
    operations: {
      receive: {
        action: 'receive',
        channel: { $ref: '#/channels/orders' },
        messages: [{ $ref: '#/channels/orders/messages/Order' }],
        'x-busline-handler': 'Shop.onOrder',
        'x-busline-transports': ['mqtt'],
        'x-busline-shared-group': 'shop',
      },
      send: {
        action: 'send',
        channel: { $ref: '#/channels/orders' },
        messages: [{ $ref: '#/channels/orders/messages/Order' }],
        'x-busline-handler': 'Checkout',
        'x-busline-transports': ['mqtt', 'local'],
      },
    },
    components: {
      messages: {
        Order: {
          name: 'Order',
          payload: { $ref: '#/components/schemas/Order' },
          examples: [{ name: 'example', payload: { id: 'o-1', lines: [] } }],
          'x-busline-message-type': 'Order',
        },
      },
      schemas: {
        Order: {
          type: 'object',
          properties: { id: { type: 'string' }, next: { $ref: '#/components/schemas/Order' } },
        },
      },
    },
  };

  it('reads handlers (with their shared group) and declared publications from the operations', () => {
    const declared = flowDeclarations(document);
    expect(declared.handlers).toEqual([
      {
        binding: 'Shop.onOrder',
        filter: '$share/shop/orders/+',
        transports: ['mqtt'],
        messageType: 'Order',
      },
    ]);
    expect(declared.publications).toEqual([
      {
        binding: 'Checkout',
        filter: 'orders/+',
        transports: ['mqtt', 'local'],
        messageType: 'Order',
      },
    ]);
  });

  it('gives each message its schema, references inlined without looping, and its example', () => {
    const order = flowDeclarations(document).messages.get('Order')!;
    expect(order.example).toEqual({ id: 'o-1', lines: [] });
    expect(order.schema).toEqual({
      type: 'object',
      properties: {
        id: { type: 'string' },
        // A recursive reference stays a reference the second time.
        next: { $ref: '#/components/schemas/Order' },
      },
    });
  });
});
