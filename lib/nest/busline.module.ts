import {
  Logger,
  Module,
  type ConfigurableModuleAsyncOptions,
  type DynamicModule,
} from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { PubSubClient } from '../core/pubsub-client';
import { BuslineMetadataAccessor } from './busline-metadata.accessor';
import { BuslineClient } from './busline.client';
import { BuslineHealthIndicator } from './health/busline.health-indicator';
import {
  BUSLINE_LOGGER_CONTEXT,
  BUSLINE_MODULE_OPTIONS,
  BUSLINE_TRANSPORTS,
} from './busline.constants';
import { BuslineExplorer } from './busline.explorer';
import { BuslineLifecycle } from './busline.lifecycle';
import { ConfigurableBuslineModule } from './busline.module-definition';
import {
  buildTransports,
  type BuslineTransports,
  type TransportBuilder,
} from './busline.transports';
import { BuslineConfigurationError } from './errors/busline-configuration.error';
import { FlowPageServer } from './flow-page/flow-page.server';
import type { BuslineModuleOptions } from './interfaces/busline-module-options.interface';
import { requirePeers } from '../core/peer-dependencies';
import { checkFlowPage } from './options.validation';

/**
 * The MQTT transport, loaded only when the options name a broker: mqtt.js is an optional peer, so
 * an application without MQTT runs without it, and one with MQTT but without mqtt.js is told to
 * install it.
 */
const mqttTransport: TransportBuilder = (options, context, claim) => {
  if (options.mqtt === undefined) return { publishers: [], subscribers: [] };
  requirePeers("BuslineModule's `mqtt` option", ['mqtt']);
  type MqttTransport = typeof import('./transports/mqtt.transport');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require('./transports/mqtt.transport') as MqttTransport;
  const { mqttTransportBuilder } = loaded;
  return mqttTransportBuilder(options, context, claim);
};

/** What `BuslineModule.forRoot()` takes: the module options plus `isGlobal` (default `true`). */
export type BuslineModuleRootOptions = BuslineModuleOptions & { isGlobal?: boolean };

/**
 * What `BuslineModule.forRootAsync()` takes: `imports`, then `useFactory` with `inject`,
 * `useClass` or `useExisting` (a {@link BuslineOptionsFactory}), plus `isGlobal`.
 */
export type BuslineModuleAsyncOptions = ConfigurableModuleAsyncOptions<
  BuslineModuleOptions,
  'createBuslineOptions'
> & { isGlobal?: boolean };

/** A class that makes the module options, for `forRootAsync({ useClass })`. */
export interface BuslineOptionsFactory {
  createBuslineOptions(): BuslineModuleOptions | Promise<BuslineModuleOptions>;
}

/**
 * Busline for NestJS: builds the transports the options name, provides the injectable
 * `PubSubClient` (also as {@link BuslineClient}), subscribes every `@Subscribe` method of
 * the application's providers and controllers, connects at startup and drains at shutdown.
 *
 * ```ts
 * @Module({ imports: [BuslineModule.forRoot({ local: true })] })
 * export class AppModule {}
 * ```
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    BuslineMetadataAccessor,
    BuslineExplorer,
    BuslineLifecycle,
    FlowPageServer,
    {
      provide: BUSLINE_TRANSPORTS,
      useFactory: (options: BuslineModuleOptions): BuslineTransports => {
        checkFlowPage(options.flowPage);
        return buildTransports(options, { logger: new Logger(BUSLINE_LOGGER_CONTEXT) }, [
          mqttTransport,
        ]);
      },
      inject: [BUSLINE_MODULE_OPTIONS],
    },
    {
      provide: BuslineClient,
      useFactory: (options: BuslineModuleOptions, transports: BuslineTransports): BuslineClient =>
        new BuslineClient(transports, {
          identifier: options.identifier,
          connectTimeout: options.connectTimeout,
          shutdownTimeout: options.shutdownTimeout,
          deduplicationWindow: options.deduplicationWindow,
          publishTimeout: options.publishTimeout,
          requestTimeout: options.requestTimeout,
          replyTopic: options.replyTopic,
          logger: new Logger(BUSLINE_LOGGER_CONTEXT),
        }),
      inject: [BUSLINE_MODULE_OPTIONS, BUSLINE_TRANSPORTS],
    },
    { provide: PubSubClient, useExisting: BuslineClient },
    BuslineHealthIndicator,
  ],
  exports: [PubSubClient, BuslineClient, BuslineHealthIndicator],
})
export class BuslineModule extends ConfigurableBuslineModule {
  /**
   * Options from other providers (a `ConfigService`, say): `imports`, then `useFactory` with
   * `inject`, `useClass` or `useExisting`; plus `isGlobal`.
   */
  static override forRootAsync(options: BuslineModuleAsyncOptions): DynamicModule {
    if (
      typeof options !== 'object' ||
      options === null ||
      (options.useFactory === undefined &&
        options.useClass === undefined &&
        options.useExisting === undefined)
    ) {
      throw new BuslineConfigurationError(
        'BuslineModule.forRootAsync() needs useFactory (with inject), useClass or useExisting; ' +
          'for options known up front use BuslineModule.forRoot()',
      );
    }
    return super.forRootAsync(options);
  }
}
