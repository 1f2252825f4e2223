import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { BuslineErrorReporter } from './busline-error.reporter';
import { BuslineClient } from './busline.client';
import { BUSLINE_LOGGER_CONTEXT, BUSLINE_MODULE_OPTIONS } from './busline.constants';
import { BuslineExplorer } from './busline.explorer';
import { HandlerBinder } from './handler.binder';
import type { BuslineModuleOptions } from './interfaces/busline-module-options.interface';
import { MessageValidator } from './message-validator';

/**
 * @internal Runs Busline along the application's lifecycle:
 * - `onModuleInit`: find the `@Subscribe` methods and register them on the subscribers, which are
 *   not connected yet, so they are in place before anything is published;
 * - `onApplicationBootstrap`: connect every transport (a failure rejects `app.init()`); a publish
 *   made earlier, by a provider's own hook, waits for this instead of failing or being lost;
 * - `onModuleDestroy`: stop taking events and let running handlers finish (bounded);
 * - `onApplicationShutdown`: disconnect the publishers, which other providers' shutdown hooks
 *   could still use until then.
 */
@Injectable()
export class BuslineLifecycle
  implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown
{
  private readonly logger = new Logger(BUSLINE_LOGGER_CONTEXT);
  private readonly shutdown = new AbortController();
  private readonly binder: HandlerBinder;

  constructor(
    @Inject(BUSLINE_MODULE_OPTIONS) options: BuslineModuleOptions,
    private readonly client: BuslineClient,
    private readonly explorer: BuslineExplorer,
  ) {
    const reporter = new BuslineErrorReporter(this.logger, client, options.onError);
    for (const subscriber of client.subscribers) {
      // User-supplied subscribers that report elsewhere keep doing so.
      if (subscriber.onError !== undefined) continue;
      const transport = client.transportOf(subscriber) ?? subscriber.toString();
      subscriber.onError = (error) => reporter.transportFailed(error, transport);
    }
    this.binder = new HandlerBinder(
      options,
      client,
      { validator: new MessageValidator(), reporter, shutdown: this.shutdown.signal },
      this.logger,
    );
    client.prepareWith(() => this.binder.bind(this.explorer.explore()));
  }

  onModuleInit(): Promise<void> {
    return this.client.prepare();
  }

  onApplicationBootstrap(): Promise<void> {
    return this.client.whenReady();
  }

  async onModuleDestroy(): Promise<void> {
    this.shutdown.abort();
    await this.client.stopReceiving();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.disconnect();
  }
}
