import type { INestApplication, INestApplicationContext, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AIModelModule } from './ai-model/ai-model.module';
import { AIModel } from './ai-model/ai.model';
import { BackendModule } from './backend/backend.module';
import { BACKEND } from './backend/orders.controller';
import type { ServiceConfig } from './common/service.config';
import { DataProcessorModule } from './data-processor/data-processor.module';
import { DataProcessor } from './data-processor/data.processor';
import { ConfirmationEmailSender } from './email-sender/confirmation-email.sender';
import { EmailSenderModule } from './email-sender/email-sender.module';
import { SupplierNotifierModule } from './supplier-notifier/supplier-notifier.module';
import { SupplierNotifier } from './supplier-notifier/supplier.notifier';

/** The five services, each a NestJS application of its own. */
export const SERVICE_NAMES = [
  'backend',
  'email-sender',
  'supplier-notifier',
  'data-processor',
  'ai-model',
] as const;

/** One of {@link SERVICE_NAMES}. */
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The logger contexts of the flow: each service's, and Busline's own (its bindings). */
export const FLOW_CONTEXTS = [
  BACKEND,
  ConfirmationEmailSender.name,
  SupplierNotifier.name,
  DataProcessor.name,
  AIModel.name,
  'Busline',
];

/** Where the backend serves Busline's flow page when the options ask for it. */
export const FLOW_PAGE_PATH = '/busline';

/** How to start the e-commerce services. */
export interface EcommerceOptions extends ServiceConfig {
  /** The services to start (default: all five). */
  services?: readonly ServiceName[];
  /** The backend's HTTP port (default 0: a free port). */
  port?: number;
  /** The address the backend listens on (default `127.0.0.1`: loopback only). */
  host?: string;
  /** The NestJS logger of every application (`false`: silent). */
  logger: LoggerService | false;
}

/** The running services: their applications and the providers that record what they did. */
export interface Ecommerce {
  /** `http://<host>:<port>` of the backend, when it runs. */
  readonly backendUrl: string | undefined;
  /**
   * URL of the flow page, when the backend runs with the `flowPage` option: the five services'
   * topics and handlers with live counters (they all register in this process's flow registry).
   */
  readonly flowPageUrl: string | undefined;
  readonly backend: INestApplication | undefined;
  readonly emailSender: ConfirmationEmailSender | undefined;
  readonly supplierNotifier: SupplierNotifier | undefined;
  readonly dataProcessor: DataProcessor | undefined;
  readonly aiModel: AIModel | undefined;
  /**
   * Close every application: the backend first (no new orders), then the subscribers, each
   * letting its running handlers finish, the AI model last (the data processor feeds it).
   */
  close(): Promise<void>;
}

/**
 * Start the services: the subscribers first (each is subscribed once its application is up), then
 * the backend, so no order is published before every service listens. If one cannot start, those
 * already started are closed again and the error is thrown.
 */
export async function startEcommerce(options: EcommerceOptions): Promise<Ecommerce> {
  const wanted = new Set<ServiceName>(options.services ?? SERVICE_NAMES);
  const appOptions = { logger: options.logger, abortOnError: false };
  const context = (module: Parameters<typeof NestFactory.createApplicationContext>[0]) =>
    NestFactory.createApplicationContext(module, appOptions);

  const starting: Partial<Record<ServiceName, Promise<INestApplicationContext>>> = {};
  if (wanted.has('ai-model')) starting['ai-model'] = context(AIModelModule.register(options));
  if (wanted.has('email-sender')) {
    starting['email-sender'] = context(EmailSenderModule.register(options));
  }
  if (wanted.has('supplier-notifier')) {
    starting['supplier-notifier'] = context(SupplierNotifierModule.register(options));
  }
  if (wanted.has('data-processor')) {
    starting['data-processor'] = context(DataProcessorModule.register(options));
  }
  const apps: Partial<Record<ServiceName, INestApplicationContext>> = {};
  await settleAll(starting, apps);

  let backend: INestApplication | undefined;
  let backendUrl: string | undefined;
  if (wanted.has('backend')) {
    try {
      backend = await NestFactory.create(BackendModule.register(options), appOptions);
      const host = options.host ?? '127.0.0.1';
      await backend.listen(options.port ?? 0, host);
      const { port } = backend.getHttpServer().address() as { port: number };
      backendUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    } catch (error) {
      await Promise.allSettled([backend?.close(), ...Object.values(apps).map((a) => a.close())]);
      throw error;
    }
  }

  return {
    backendUrl,
    flowPageUrl:
      backendUrl !== undefined && options.flowPage !== undefined
        ? `${backendUrl}${options.flowPage.path}`
        : undefined,
    backend,
    emailSender: apps['email-sender']?.get(ConfirmationEmailSender),
    supplierNotifier: apps['supplier-notifier']?.get(SupplierNotifier),
    dataProcessor: apps['data-processor']?.get(DataProcessor),
    aiModel: apps['ai-model']?.get(AIModel),
    async close() {
      await backend?.close();
      await Promise.all(
        (['email-sender', 'supplier-notifier', 'data-processor'] as const).map((name) =>
          apps[name]?.close(),
        ),
      );
      await apps['ai-model']?.close();
    },
  };
}

/** Wait for every start; if one failed, close the others and throw its error. */
async function settleAll(
  starting: Partial<Record<ServiceName, Promise<INestApplicationContext>>>,
  apps: Partial<Record<ServiceName, INestApplicationContext>>,
): Promise<void> {
  const names = Object.keys(starting) as ServiceName[];
  const results = await Promise.allSettled(names.map((name) => starting[name]!));
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') apps[names[i]] = result.value;
  });
  const failed = results.find((result) => result.status === 'rejected');
  if (failed !== undefined) {
    await Promise.allSettled(Object.values(apps).map((app) => app.close()));
    throw failed.reason;
  }
}
