import type { INestApplicationContext } from '@nestjs/common';
import type { TopicPattern } from '../topic-pattern';
import { readAppModel, type AppModel } from './app-model';
import type {
  AsyncApiDocument,
  AsyncApiDocumentOptions,
  ClassRef,
  JsonSchema,
  JsonValue,
} from './asyncapi.types';
import { componentKey, type SchemaRegistry } from './class-schema';
import { ENVELOPE_NOTE, ENVELOPE_SCHEMA, envelopeSchema } from './envelope-schema';
import { describeMessage } from './message-payload';
import { serverOf } from './servers';

const MQTT_BINDING_VERSION = '0.2.0';
/** The message of operations whose payload class is not declared. */
const ANY_MESSAGE = 'BuslineEvent';

/**
 * The AsyncAPI 3.0 document of one or several NestJS applications, from their Busline
 * decorators and module options: `@Subscribe` methods are `receive` operations, `@Publishes`
 * declarations `send` operations, their topics channels (named wildcards become channel
 * parameters: `orders/+id/created` is `orders/{id}/created`), message classes payload schemas
 * (JSON Schema from class-validator / class-transformer metadata, the Avro schema with its
 * `schemaFormat`, the primitive wrappers as their types), the transports servers (MQTT with its
 * bindings). Each operation names its handler, service and transports in `x-busline-*` fields.
 *
 * Nothing is connected or started: an application created with
 * `NestFactory.createApplicationContext(AppModule, { preview: true })` works as well as a running
 * one. The document is deterministic (sorted keys, no timestamps): fit for a snapshot.
 *
 * ```ts
 * const document = createAsyncApiDocument(app, { title: 'Shop', version: '2.0.0' });
 * writeFileSync('asyncapi.yaml', asyncApiToYaml(document));
 * ```
 */
export function createAsyncApiDocument(
  app: INestApplicationContext | readonly INestApplicationContext[],
  options: AsyncApiDocumentOptions = {},
): AsyncApiDocument {
  const apps = Array.isArray(app) ? app : [app as INestApplicationContext];
  return buildAsyncApiDocument(apps.map(readAppModel), options);
}

/** @internal The document of application models (see {@link createAsyncApiDocument}). */
export function buildAsyncApiDocument(
  models: readonly AppModel[],
  options: AsyncApiDocumentOptions = {},
): AsyncApiDocument {
  const registry: SchemaRegistry = { schemas: {}, names: new Map() };
  const servers: Record<string, JsonSchema> = {};
  const serverIds = new Map<string, string>(); // `${model index}/${transport}` -> server id
  const serverKeys = new Map<string, string>(); // description key -> server id
  models.forEach((model, index) => {
    for (const transport of model.transports) {
      const server = serverOf(transport, options.servers?.[transport.name]);
      const key = JSON.stringify(server);
      let id = serverKeys.get(key);
      if (id === undefined) {
        id = unique(componentKey(transport.name), servers);
        servers[id] = server;
        serverKeys.set(key, id);
      }
      serverIds.set(`${index}/${transport.name}`, id);
    }
  });

  const messages: Record<string, JsonSchema> = {};
  const messageIds = new Map<ClassRef | undefined, string>();
  const messageOf = (cls: ClassRef | undefined): string => {
    let id = messageIds.get(cls);
    if (id !== undefined) return id;
    if (cls === undefined) {
      id = ANY_MESSAGE;
      messages[id] = {
        name: ANY_MESSAGE,
        title: 'Any Busline event',
        contentType: 'application/json',
        summary: 'An event whose payload class the handler does not declare.',
        description: `Any message, or none. ${ENVELOPE_NOTE}`,
        payload: {},
        'x-busline-envelope': ENVELOPE_SCHEMA,
      };
    } else {
      const described = describeMessage(cls, registry);
      id = unique(componentKey(described.messageType), messages);
      messages[id] = {
        name: described.messageType,
        title: cls.name,
        contentType: 'application/json',
        description: `${described.description} ${ENVELOPE_NOTE}`,
        payload: described.payload,
        examples: [{ name: 'example', payload: described.example }],
        'x-busline-message-type': described.messageType,
        'x-busline-payload-format': described.format,
        'x-busline-envelope': ENVELOPE_SCHEMA,
      };
    }
    messageIds.set(cls, id);
    return id;
  };

  // Every operation with the document ids of its channel and servers, in a stable order.
  const entries = models
    .flatMap((model, index) =>
      model.operations.map((op) => ({
        op,
        service: model.service,
        address: channelAddress(op.pattern),
        servers: op.transports
          .map((t) => serverIds.get(`${index}/${t}`))
          .filter((id): id is string => id !== undefined),
        mqtt: model.transports.some((t) => t.kind === 'mqtt' && op.transports.includes(t.name)),
      })),
    )
    .sort((a, b) =>
      compare(
        [a.address, a.op.action, a.op.binding, a.service ?? ''],
        [b.address, b.op.action, b.op.binding, b.service ?? ''],
      ),
    );

  const channels: Record<string, JsonSchema> = {};
  const channelIds = new Map<string, string>();
  for (const entry of entries) {
    let id = channelIds.get(entry.address);
    if (id === undefined) {
      id = unique(componentKey(entry.address.replace(/[{}]/g, '').replace(/\//g, '.')), channels);
      channelIds.set(entry.address, id);
      channels[id] = channelOf(entry.op.pattern, entry.address);
    }
    const channel = channels[id];
    const messageId = messageOf(entry.op.message);
    (channel.messages as Record<string, JsonSchema>)[messageId] = {
      $ref: `#/components/messages/${messageId}`,
    };
    const refs = new Set((channel.servers as { $ref: string }[]).map((s) => s.$ref));
    for (const server of entry.servers) refs.add(`#/servers/${server}`);
    channel.servers = [...refs].sort().map(($ref) => ({ $ref }));
  }

  const operations: Record<string, JsonSchema> = {};
  for (const entry of entries) {
    const { op } = entry;
    const channelId = channelIds.get(entry.address)!;
    const messageId = messageOf(op.message);
    let id = componentKey(`${op.binding}.${op.action}`);
    if (operations[id] !== undefined) id = unique(componentKey(`${id}.${channelId}`), operations);
    const messageName = (messages[messageId].name as string) ?? messageId;
    operations[id] = {
      action: op.action,
      channel: { $ref: `#/channels/${channelId}` },
      messages: [{ $ref: `#/channels/${channelId}/messages/${messageId}` }],
      summary:
        `${op.binding} ${op.action === 'send' ? 'publishes' : 'handles'} ${messageName} ` +
        `${op.action === 'send' ? 'on' : 'from'} ${op.pattern.source}` +
        (op.group === undefined ? '' : ` (shared-subscription group '${op.group}')`),
      ...(op.description !== undefined && { description: op.description }),
      ...(entry.mqtt && {
        bindings: {
          mqtt: {
            qos: op.qos ?? 0,
            ...(op.retain !== undefined && { retain: op.retain }),
            bindingVersion: MQTT_BINDING_VERSION,
          },
        },
      }),
      'x-busline-handler': op.binding,
      'x-busline-transports': [...op.transports],
      ...(entry.service !== undefined && { 'x-busline-service': entry.service }),
      ...(op.group !== undefined && { 'x-busline-shared-group': op.group }),
    };
  }

  const services = [
    ...new Set(models.map((m) => m.service).filter((s): s is string => s !== undefined)),
  ];
  const document: AsyncApiDocument = {
    asyncapi: '3.0.0',
    info: {
      title: options.title ?? (services.length > 0 ? services.join(', ') : 'Busline events'),
      version: options.version ?? '1.0.0',
      description:
        options.description ??
        "Events published and handled through Busline, described from the applications' " +
          '@Subscribe and @Publishes decorators.',
    },
    defaultContentType: 'application/json',
    ...(Object.keys(servers).length > 0 && { servers: sortKeys(servers) }),
    channels: sortKeys(channels),
    operations: sortKeys(operations),
    components: {
      messages: sortKeys(messages),
      schemas: sortKeys({ ...registry.schemas, [ENVELOPE_SCHEMA]: envelopeSchema() }),
    },
  };
  return document;
}

/** `orders/+id/created` as `orders/{id}/created`; unnamed wildcards get names by position. */
function channelAddress(pattern: TopicPattern): string {
  // Parameter levels count from after any '$share/<group>/' prefix, as the filter below does.
  const filter = pattern.filter.replace(/^\$share\/[^/]+\//, '');
  return filter
    .split('/')
    .map((level, index) => {
      if (level !== '+' && level !== '#') return level;
      const named = pattern.params.find((p) => p.level === index);
      return `{${named?.name ?? (level === '#' ? 'rest' : `level${index + 1}`)}}`;
    })
    .join('/');
}

function channelOf(pattern: TopicPattern, address: string): JsonSchema {
  const filter = pattern.filter.replace(/^\$share\/[^/]+\//, '');
  const levels = filter.split('/');
  const parameters: Record<string, JsonSchema> = {};
  const names = address.split('/');
  levels.forEach((level, index) => {
    if (level === '+') {
      parameters[names[index].slice(1, -1)] = {
        description: `Level ${index + 1} of the topic (MQTT '+'): any text without '/'.`,
      };
    } else if (level === '#') {
      parameters[names[index].slice(1, -1)] = {
        description:
          `The rest of the topic from level ${index + 1} (MQTT '#'): any number of levels ` +
          "joined with '/', including none (the filter then matches the parent topic itself). " +
          'AsyncAPI addresses cannot express this wildcard, so read the parameter as spanning levels.',
      };
    }
  });
  const wildcards = Object.keys(parameters).length > 0;
  return {
    address,
    ...(wildcards && {
      description: `MQTT topic filter \`${filter}\`: every topic it matches is this channel.`,
      parameters,
    }),
    messages: {},
    servers: [],
    'x-busline-filter': filter,
  };
}

function unique(base: string, taken: Record<string, unknown>): string {
  let id = base;
  for (let n = 2; taken[id] !== undefined; n++) id = `${base}_${n}`;
  return id;
}

function compare(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

/** A copy of `value` with the keys of every object sorted (arrays keep their order). */
function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (typeof value !== 'object' || value === null) return value;
  const sorted: Record<string, JsonValue> = {};
  for (const key of Object.keys(value).sort()) {
    sorted[key] = sortKeys((value as Record<string, JsonValue>)[key]);
  }
  return sorted as T;
}
