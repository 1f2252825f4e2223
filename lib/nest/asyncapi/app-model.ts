import type { INestApplicationContext } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { BuslineMetadataAccessor, publishingDeclarations } from '../busline-metadata.accessor';
import {
  BUSLINE_MODULE_OPTIONS,
  DEFAULT_CUSTOM_TRANSPORT,
  DEFAULT_LOCAL_TRANSPORT,
  DEFAULT_MQTT_TRANSPORT,
} from '../busline.constants';
import { BuslineExplorer } from '../busline.explorer';
import type { PublishesOptions } from '../decorators/publishes.decorator';
import { BuslineConfigurationError } from '../errors/busline-configuration.error';
import type { BuslineModuleOptions } from '../interfaces/busline-module-options.interface';
import type { MqttTransportOptions } from '../interfaces/mqtt-transport-options.interface';
import type { SubscriptionOptions } from '../interfaces/subscription-options.interface';
import type { TopicPattern } from '../topic-pattern';
import type { ClassRef } from './asyncapi.types';

/** @internal A transport of an application, as the document's servers show it. */
export interface TransportModel {
  readonly name: string;
  readonly kind: 'local' | 'mqtt' | 'custom';
  readonly publishes: boolean;
  readonly subscribes: boolean;
  readonly mqtt?: MqttTransportOptions;
  /** For custom transports: the class names of their connectors. */
  readonly classes?: readonly string[];
}

/** @internal A `@Subscribe` topic or a `@Publishes` declaration of an application. */
export interface OperationModel {
  readonly action: 'receive' | 'send';
  /** `ClassName.method`, or `ClassName` for a class-wide `@Publishes`. */
  readonly binding: string;
  readonly pattern: TopicPattern;
  readonly message: ClassRef | undefined;
  readonly transports: readonly string[];
  readonly qos: 0 | 1 | 2 | undefined;
  readonly retain: boolean | undefined;
  readonly group: string | undefined;
  readonly description: string | undefined;
}

/** @internal What the document needs to know of one application. */
export interface AppModel {
  /** The module's `identifier` option, when it has one. */
  readonly service: string | undefined;
  readonly transports: readonly TransportModel[];
  readonly operations: readonly OperationModel[];
}

/**
 * @internal Read an application's Busline options and decorators. Works on a running
 * application and on one created with `{ preview: true }` (nothing instantiated, nothing
 * connected): only metadata and the module options are read.
 */
export function readAppModel(app: INestApplicationContext): AppModel {
  if (typeof app?.get !== 'function') {
    throw new BuslineConfigurationError(
      'createAsyncApiDocument() takes a NestJS application or application context (what ' +
        'NestFactory.create() or createApplicationContext() returns), or an array of them',
    );
  }
  const explorer = new BuslineExplorer(
    new DiscoveryService(app.get(ModulesContainer)),
    new MetadataScanner(),
    new BuslineMetadataAccessor(new Reflector()),
  );
  const options = moduleOptions(app);
  const transports = options === undefined ? [] : transportsOf(options);
  const names = (side: 'publishes' | 'subscribes') =>
    transports.filter((t) => t[side]).map((t) => t.name);
  const qosOf = (transport: readonly string[]) =>
    transports.find((t) => t.kind === 'mqtt' && transport.includes(t.name))?.mqtt?.qos;

  const operations: OperationModel[] = [];
  for (const handler of explorer.explore()) {
    const payload = handler.params.find((p) => p.kind === 'payload' && p.property === undefined);
    const declared = payload === undefined ? undefined : handler.paramTypes[payload.index];
    for (const { pattern, options: subscription } of handler.subscriptions) {
      const transport = chosen(subscription.transport) ?? names('subscribes');
      operations.push({
        action: 'receive',
        binding: handler.binding,
        pattern,
        message: isMessageClass(declared) ? declared : undefined,
        transports: transport,
        qos: subscription.qos ?? qosOf(transport),
        retain: undefined,
        group: groupOf(subscription, pattern),
        description: undefined,
      });
    }
  }
  for (const { className, prototype, methodNames } of explorer.classes()) {
    for (const { method, publishes } of publishingDeclarations(prototype, methodNames)) {
      for (const declaration of publishes) {
        const given: PublishesOptions = declaration.options;
        const transport = chosen(given.transport) ?? names('publishes');
        operations.push({
          action: 'send',
          binding: method === undefined ? className : `${className}.${method}`,
          pattern: declaration.pattern,
          message: declaration.message,
          transports: transport,
          qos: given.qos ?? qosOf(transport),
          retain: given.retain,
          group: undefined,
          description: given.description,
        });
      }
    }
  }
  return { service: options?.identifier, transports, operations };
}

function moduleOptions(app: INestApplicationContext): BuslineModuleOptions | undefined {
  let options: unknown;
  try {
    options = app.get(BUSLINE_MODULE_OPTIONS, { strict: false });
  } catch {
    throw new BuslineConfigurationError(
      'createAsyncApiDocument() found no BuslineModule in this application: import ' +
        'BuslineModule.forRoot(...) (or forRootAsync) in its root module',
    );
  }
  // forRootAsync options are not built in preview mode: document the decorators alone.
  return typeof options === 'object' && options !== null && !(options instanceof Promise)
    ? (options as BuslineModuleOptions)
    : undefined;
}

function transportsOf(options: BuslineModuleOptions): TransportModel[] {
  const transports: TransportModel[] = [];
  if (options.local !== undefined && options.local !== false) {
    const name =
      (options.local === true ? undefined : options.local.name) ?? DEFAULT_LOCAL_TRANSPORT;
    transports.push({ name, kind: 'local', publishes: true, subscribes: true });
  }
  const mqtt =
    options.mqtt === undefined ? [] : Array.isArray(options.mqtt) ? options.mqtt : [options.mqtt];
  for (const connection of mqtt as MqttTransportOptions[]) {
    transports.push({
      name: connection.name ?? DEFAULT_MQTT_TRANSPORT,
      kind: 'mqtt',
      publishes: connection.publish !== false,
      subscribes: connection.subscribe !== false,
      mqtt: connection,
    });
  }
  const custom = new Map<
    string,
    { publishes: boolean; subscribes: boolean; classes: Set<string> }
  >();
  for (const [side, given] of [
    ['publishes', options.publishers],
    ['subscribes', options.subscribers],
  ] as const) {
    for (const [name, connector] of namedEntries(given)) {
      const entry = custom.get(name) ?? { publishes: false, subscribes: false, classes: new Set() };
      entry[side] = true;
      entry.classes.add((connector as object)?.constructor?.name ?? 'unknown');
      custom.set(name, entry);
    }
  }
  for (const [name, entry] of custom) {
    transports.push({ name, kind: 'custom', ...entry, classes: [...entry.classes].sort() });
  }
  return transports;
}

function namedEntries(given: unknown): [string, unknown][] {
  if (given === undefined || given === null) return [];
  if (Array.isArray(given)) return given.map((c) => [DEFAULT_CUSTOM_TRANSPORT, c]);
  return Object.entries(given as Record<string, unknown>).flatMap(([name, value]) =>
    Array.isArray(value) ? value.map((c): [string, unknown] => [name, c]) : [[name, value]],
  );
}

function chosen(transport: string | readonly string[] | undefined): readonly string[] | undefined {
  if (transport === undefined) return undefined;
  return typeof transport === 'string' ? [transport] : transport;
}

function groupOf(options: SubscriptionOptions, pattern: TopicPattern): string | undefined {
  if (options.group !== undefined) return options.group;
  const shared = /^\$share\/([^/]+)\//.exec(pattern.filter);
  return shared?.[1];
}

/** A class with the message contract's static `deserialize` (not `Object`, `String`...). */
function isMessageClass(value: unknown): value is ClassRef {
  return (
    typeof value === 'function' &&
    typeof (value as { deserialize?: unknown }).deserialize === 'function'
  );
}
