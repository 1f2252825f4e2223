/*
 * The e-commerce sample in one command (`npm run sample`): an embedded MQTT broker, the five
 * services as NestJS applications, a few orders placed through the backend's HTTP API, and a check
 * that every service got every order. Options: see USAGE, or `npm run sample -- --help`.
 */
import { Logger, type LoggerService } from '@nestjs/common';
import { parseArgs } from 'node:util';
import { type EmbeddedBroker, startEmbeddedBroker } from 'busline/testing';
import type { PlacedOrder } from './backend/orders.controller';
import { SampleLogger } from './common/sample.logger';
import { formatTraces, startTracing, type SampleTracing } from './common/tracing';
import { EMAIL_SENDER_GROUP } from './email-sender/confirmation-email.sender';
import {
  FLOW_CONTEXTS,
  FLOW_PAGE_PATH,
  SERVICE_NAMES,
  startEcommerce,
  type Ecommerce,
  type ServiceName,
} from './ecommerce';
import { DEMO_ORDERS, placeOrder, waitForDeliveries } from './flow';

const USAGE = `Usage: npm run sample [-- options]

  (no option)         start an embedded MQTT broker and the five services, place ${DEMO_ORDERS.length} orders
                      through POST /orders, show the flow, exit 0 if every service got every order
  --serve             then keep everything running (Ctrl+C stops)
  --port <n>          the backend's HTTP port (default: a free one; 3000 with --service backend)
  --service <name>    run one service on its own against BUSLINE_MQTT_URL (default
                      mqtt://127.0.0.1:1883): backend, email-sender, supplier-notifier, or
                      data-processor (which runs the AI model too: they share the local bus)
  --name <text>       instance name put before every line (when several instances run)
  --verbose           also show NestJS's own startup lines
  --trace             trace with OpenTelemetry and print each order's trace (a tree of spans)
  -h, --help          this text

Environment: BUSLINE_MQTT_URL (a broker of your own instead of the embedded one),
EMAIL_SENDER_GROUP (MQTT 5 shared-subscription group of the e-mail senders).`;

/** How long every service may take to get an order. */
const DELIVERY_TIMEOUT_MS = 10_000;
/** How long closing everything may take before the process exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 15_000;
const DEFAULT_EXTERNAL_BROKER = 'mqtt://127.0.0.1:1883';

const log = new Logger('Sample');

interface Options {
  serve: boolean;
  port: number | undefined;
  service: string | undefined;
  name: string | undefined;
  verbose: boolean;
  trace: boolean;
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseOptions();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const logger = new SampleLogger({
    instance: options.name,
    verbose: options.verbose,
    contexts: [...FLOW_CONTEXTS, 'Sample'],
  });
  Logger.overrideLogger(logger);
  // Registered before anything starts, as an application registers its SDK first.
  const tracing = options.trace ? startTracing() : undefined;
  try {
    return options.service === undefined
      ? await runAll(options, logger)
      : await runOne(options.service as ServiceName, options, logger);
  } finally {
    if (tracing !== undefined) await printTraces(tracing);
  }
}

/** Print the traces of the run, then stop tracing. */
async function printTraces(tracing: SampleTracing): Promise<void> {
  await tracing.shutdown();
  process.stdout.write(
    `\nTraces (${tracing.spans.length} spans):\n${formatTraces(tracing.spans).join('\n')}\n`,
  );
}

/** Everything in this process: broker, services, demo orders, check; then serve or exit. */
async function runAll(options: Options, logger: LoggerService): Promise<number> {
  const external = process.env.BUSLINE_MQTT_URL || undefined;
  let broker: EmbeddedBroker | undefined;
  let shop: Ecommerce | undefined;
  try {
    broker = external === undefined ? await startEmbeddedBroker() : undefined;
    const mqttUrl = external ?? broker!.url;
    log.log(
      broker
        ? `MQTT broker: embedded (aedes, MQTT 3.1.1) at ${mqttUrl}`
        : `MQTT broker: ${mqttUrl} (BUSLINE_MQTT_URL)`,
    );
    shop = await startEcommerce({
      mqttUrl,
      port: options.port,
      logger,
      flowPage: { path: FLOW_PAGE_PATH },
    });
    log.log(`backend listening on ${shop.backendUrl}; placing ${DEMO_ORDERS.length} orders`);

    const placed: PlacedOrder[] = [];
    for (const [i, order] of DEMO_ORDERS.entries()) {
      log.log(`order ${i + 1} of ${DEMO_ORDERS.length}: POST /orders ${JSON.stringify(order)}`);
      placed.push(await placeOrder(shop.backendUrl!, order));
      const missing = await waitForDeliveries(shop, placed, DELIVERY_TIMEOUT_MS);
      if (missing.length > 0) {
        log.error(
          `FAILED: after ${DELIVERY_TIMEOUT_MS / 1000} s, ${missing.join('; ')}. Not every ` +
            'service got every order.',
        );
        return 1;
      }
    }
    log.log(
      `OK: every service got every order (${placed.length}): ` +
        `${shop.emailSender!.outbox.length} e-mails, ` +
        `${shop.supplierNotifier!.notices.length} supplier notices, ` +
        `${shop.dataProcessor!.forwarded.length} samples forwarded, AI model trained on ` +
        `${shop.aiModel!.samples.length} (mean ${shop.aiModel!.meanProductsPerOrder.toFixed(2)} ` +
        'products per order)',
    );
    if (options.serve) {
      log.log(
        `serving: curl -X POST ${shop.backendUrl}/orders -H 'content-type: application/json' ` +
          `-d '${JSON.stringify(DEMO_ORDERS[1])}'   (Ctrl+C stops)`,
      );
      log.log(`flow page (the five services, live counters): ${shop.flowPageUrl}`);
      await stopSignal();
    }
    return 0;
  } catch (error) {
    log.error(`FAILED: ${(error as Error).message}`);
    return 1;
  } finally {
    await bounded(
      Promise.allSettled([shop?.close()]).then(() => broker?.close()),
      SHUTDOWN_TIMEOUT_MS,
    );
  }
}

/** One service (the data processor with the AI model) against an external broker, until Ctrl+C. */
async function runOne(
  service: ServiceName,
  options: Options,
  logger: LoggerService,
): Promise<number> {
  const mqttUrl = process.env.BUSLINE_MQTT_URL || DEFAULT_EXTERNAL_BROKER;
  const services: ServiceName[] =
    service === 'data-processor' ? ['data-processor', 'ai-model'] : [service];
  let shop: Ecommerce | undefined;
  try {
    shop = await startEcommerce({
      mqttUrl,
      services,
      port: options.port ?? 3000,
      logger,
      flowPage: { path: FLOW_PAGE_PATH },
    });
    const group =
      service === 'email-sender' && EMAIL_SENDER_GROUP !== undefined
        ? ` in shared-subscription group '${EMAIL_SENDER_GROUP}'`
        : '';
    const http = shop.backendUrl
      ? `, POST ${shop.backendUrl}/orders, flow page ${shop.flowPageUrl}`
      : '';
    log.log(`${services.join(' + ')} running${group} on ${mqttUrl}${http} (Ctrl+C stops)`);
    await stopSignal();
    return 0;
  } catch (error) {
    log.error(`FAILED: ${(error as Error).message}`);
    return 1;
  } finally {
    await bounded(Promise.allSettled([shop?.close()]), SHUTDOWN_TIMEOUT_MS);
  }
}

function parseOptions(): Options {
  const { values, positionals } = parseArgs({
    options: {
      serve: { type: 'boolean', default: false },
      port: { type: 'string' },
      service: { type: 'string' },
      name: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      trace: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (positionals.length > 0) throw new Error(`Unexpected argument: ${positionals[0]}`);
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65_535)) {
    throw new Error(`--port takes a TCP port (0 to 65535), not '${values.port}'`);
  }
  const runnable = SERVICE_NAMES.filter((name) => name !== 'ai-model');
  if (values.service !== undefined && !(runnable as string[]).includes(values.service)) {
    throw new Error(
      `--service takes ${runnable.join(', ')}, not '${values.service}'` +
        (values.service === 'ai-model'
          ? " (the AI model runs in the data processor's process: they share the local bus)"
          : ''),
    );
  }
  if (values.serve && values.service !== undefined) {
    throw new Error('--serve is for the whole sample; a --service runs until Ctrl+C anyway');
  }
  return {
    serve: values.serve,
    port,
    service: values.service,
    name: values.name,
    verbose: values.verbose,
    trace: values.trace,
  };
}

/** Resolves on Ctrl+C (SIGINT) or SIGTERM. */
function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      log.log(`${signal}: stopping`);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** `work`, or give up waiting for it after `ms` (saying so). */
async function bounded(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  const outcome = await Promise.race([work, timeout]);
  clearTimeout(timer);
  if (outcome === 'timeout') log.warn(`shutdown did not finish within ${ms / 1000} s`);
}

main().then(
  (code) => {
    process.exitCode = code;
    // Everything is closed; should a stray handle still hold the process, do not hang.
    setTimeout(() => process.exit(code), 2_000).unref();
  },
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
