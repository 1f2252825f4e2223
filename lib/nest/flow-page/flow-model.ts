import { topicMatches } from '../../core/topics/topic.matcher';
import { hasWildcard } from '../../core/topics/topic.validation';
import type { CounterSnapshot } from './flow-counters';

/*
 * The data behind the flow page's diagram, in the spirit of the Python README's flowcharts:
 * publishers -> topics on their bus (a broker, a local event bus) -> handlers. Every Busline
 * application of the process describes itself as a FlowApp; flowGraph() joins them into one graph
 * whose topic nodes are shared by the applications on the same bus. The page lays it out and draws
 * it; this file decides what is connected to what.
 */

/** @internal A bus the events of a transport travel on. */
export interface FlowBus {
  /** Same key: same bus (one broker URL, one EventBus object). */
  readonly key: string;
  readonly kind: 'mqtt' | 'local' | 'custom';
  /** What the page calls it: 'MQTT broker mqtt://127.0.0.1:1883', 'process-wide local bus'. */
  readonly label: string;
}

/** @internal A transport of an application, by the name its options give it. */
export interface FlowTransport {
  readonly name: string;
  readonly bus: FlowBus;
  readonly publishes: boolean;
  readonly subscribes: boolean;
}

/** @internal A `@Subscribe` method on one topic filter. */
export interface FlowHandler {
  /** Unique within its application. */
  readonly id: string;
  /** `ClassName.method`. */
  readonly binding: string;
  /** The MQTT topic filter it is subscribed to (with any '$share/<group>/'). */
  readonly filter: string;
  /** The transports it is subscribed through. */
  readonly transports: readonly string[];
  /** The message type its payload parameter declares, if any. */
  readonly messageType?: string;
  readonly counters?: CounterSnapshot;
}

/** @internal A topic the application publishes on: declared, or seen published since the page is on. */
export interface FlowPublication {
  readonly id: string;
  readonly topic: string;
  readonly transports: readonly string[];
  readonly messageType?: string;
  /** Who publishes it, when declared (`ClassName.method`). */
  readonly publisher?: string;
  readonly counters?: CounterSnapshot;
}

/** @internal Counters of one subscription: a topic filter on one transport of an application. */
export interface FlowSubscriptionCounters {
  readonly transport: string;
  readonly filter: string;
  readonly counters: CounterSnapshot;
}

/** @internal A message type with its schema and an example payload. */
export interface FlowMessage {
  readonly name: string;
  /** JSON Schema or Avro schema of the payload. */
  readonly schema?: unknown;
  /** An example payload, as JSON. */
  readonly example?: unknown;
}

/** @internal One Busline application of the process, as the page shows it. */
export interface FlowApp {
  /** Unique in the process. */
  readonly id: string;
  readonly name: string;
  readonly transports: readonly FlowTransport[];
  readonly handlers: readonly FlowHandler[];
  readonly publications: readonly FlowPublication[];
  readonly subscriptions: readonly FlowSubscriptionCounters[];
  readonly messages: readonly FlowMessage[];
}

/** @internal A box of the diagram. */
export interface FlowNode {
  /** Unique in the graph. */
  readonly id: string;
  readonly kind: 'publication' | 'topic' | 'handler';
  readonly label: string;
  /** The application it belongs to (publications and handlers). */
  readonly app?: string;
  /** The bus it is on (topics). */
  readonly bus?: string;
  readonly messageType?: string;
  /** A second line: who publishes (publications), the filter (handlers). */
  readonly detail?: string;
  readonly counters?: CounterSnapshot;
}

/** @internal An arrow: an event goes from `from` to `to`. */
export interface FlowEdge {
  readonly from: string;
  readonly to: string;
  /** A published topic that a wildcard filter matches, rather than the same topic. */
  readonly matches?: boolean;
}

/** @internal What the page draws. */
export interface FlowGraph {
  readonly buses: readonly FlowBus[];
  readonly nodes: readonly FlowNode[];
  readonly edges: readonly FlowEdge[];
}

const ZERO: CounterSnapshot = { events: 0, rate: 0, errors: 0, backlog: 0 };

/**
 * Counters of one topic seen from several places (each application's subscription, each
 * publisher): every place sees the same events, so events and rate are the most any of them saw,
 * while errors and backlog are each place's own and add up.
 */
function merge(a: CounterSnapshot, b: CounterSnapshot): CounterSnapshot {
  return {
    events: Math.max(a.events, b.events),
    rate: Math.max(a.rate, b.rate),
    errors: a.errors + b.errors,
    backlog: a.backlog + b.backlog,
  };
}

/**
 * @internal Join the applications into one graph. Topic nodes are keyed by bus and topic, so two
 * applications on one broker meet at the same topic. A topic node's counters are those of the
 * process's subscriptions to it (events: the most any of them received; errors of their handlers
 * and backlog: added up); a topic nobody in the process subscribes to shows what was published.
 */
export function flowGraph(apps: readonly FlowApp[]): FlowGraph {
  const buses = new Map<string, FlowBus>();
  const topics = new Map<string, { node: FlowNode; received?: CounterSnapshot }>();
  const published = new Map<string, CounterSnapshot>();
  const nodes: FlowNode[] = [];
  const edges: FlowEdge[] = [];
  const topicNode = (bus: FlowBus, topic: string): string => {
    buses.set(bus.key, bus);
    const id = `topic:${bus.key}|${topic}`;
    if (!topics.has(id))
      topics.set(id, { node: { id, kind: 'topic', label: topic, bus: bus.key } });
    return id;
  };

  for (const app of apps) {
    const byName = new Map(app.transports.map((t) => [t.name, t]));
    for (const publication of app.publications) {
      const id = `publication:${app.id}|${publication.id}`;
      nodes.push({
        id,
        kind: 'publication',
        label: publication.topic,
        app: app.id,
        messageType: publication.messageType,
        detail: publication.publisher,
        counters: publication.counters,
      });
      for (const name of publication.transports) {
        const transport = byName.get(name);
        if (transport === undefined) continue;
        const to = topicNode(transport.bus, publication.topic);
        edges.push({ from: id, to });
        if (publication.counters !== undefined) {
          published.set(to, merge(published.get(to) ?? ZERO, publication.counters));
        }
      }
    }
    for (const handler of app.handlers) {
      const id = `handler:${app.id}|${handler.id}`;
      nodes.push({
        id,
        kind: 'handler',
        label: handler.binding,
        app: app.id,
        messageType: handler.messageType,
        detail: handler.filter,
        counters: handler.counters,
      });
      for (const name of handler.transports) {
        const transport = byName.get(name);
        if (transport === undefined) continue;
        edges.push({ from: topicNode(transport.bus, handler.filter), to: id });
      }
    }
    for (const subscription of app.subscriptions) {
      const transport = byName.get(subscription.transport);
      if (transport === undefined) continue;
      const entry = topics.get(topicNode(transport.bus, subscription.filter))!;
      entry.received = merge(entry.received ?? ZERO, subscription.counters);
    }
  }

  // A published topic reaches the wildcard filters on its bus that match it.
  const all = [...topics.values()].map((t) => t.node);
  for (const target of all) {
    const filter = target.label.replace(/^\$share\/[^/]+\//, '');
    if (!hasWildcard(filter) && filter === target.label) continue;
    for (const source of all) {
      if (source === target || source.bus !== target.bus || hasWildcard(source.label)) continue;
      if (source.label.startsWith('$share/') || !topicMatches(filter, source.label)) continue;
      edges.push({ from: source.id, to: target.id, matches: true });
    }
  }

  for (const { node, received } of topics.values()) {
    nodes.push({ ...node, counters: received ?? published.get(node.id) });
  }
  return { buses: [...buses.values()], nodes, edges };
}
