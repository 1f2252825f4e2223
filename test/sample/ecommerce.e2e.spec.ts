/*
 * The e-commerce sample, end to end: its five NestJS applications in this process, on an embedded
 * MQTT broker (or BUSLINE_MQTT_URL when set), orders placed through the backend's HTTP API. Also
 * `npm run sample` itself, as a child process, and the Python example's order message.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { validate } from 'class-validator';
import { connectAsync } from 'mqtt';
import { registryPassthroughEventJsonDeserializer } from 'busline';
import { MqttPublisher } from 'busline/mqtt';
import { type BuslineErrorHook, MessageValidationError } from 'busline/nest';
import { type EmbeddedBroker, startEmbeddedBroker } from 'busline/testing';
import type { PlacedOrder } from '../../sample/ecommerce/backend/orders.controller';
import { shortId } from '../../sample/ecommerce/common/describe-order';
import { SampleLogger } from '../../sample/ecommerce/common/sample.logger';
import { FLOW_CONTEXTS, startEcommerce, type Ecommerce } from '../../sample/ecommerce/ecommerce';
import {
  DEMO_ORDERS,
  missingDeliveries,
  placeOrder,
  waitForDeliveries,
} from '../../sample/ecommerce/flow';
import { NewOrderMessage, Order, Product } from '../../sample/ecommerce/orders/order.messages';
import { NEW_ORDER_TOPIC } from '../../sample/ecommerce/orders/topics';
import { itIf, MQTT5_AVAILABLE, MQTT5_SKIP_REASON } from '../support/mqtt/test-broker';
import { waitFor } from '../support/wait-for';

jest.setTimeout(30_000);

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'py-busline-wire');
const EXTERNAL_BROKER_URL = process.env.BUSLINE_MQTT_URL || undefined;
/** How long every service may take to get an order. */
const DELIVERY_TIMEOUT_MS = 10_000;

interface FixtureCase {
  name: string;
  file: string;
  serialized_payload_hex: string;
  envelope: { identifier: string; publisher_identifier: string };
  expected: { value: { order: unknown; _when: { value: string } } };
}

const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as {
  cases: FixtureCase[];
  message_classes: { NewOrderMessage: { avro_schema: unknown } };
};
const newOrderCase = manifest.cases.find((c) => c.name === 'avro_custom_new_order')!;
const newOrderEnvelope = readFileSync(join(FIXTURES, newOrderCase.file));

/** Plain data of an order, for comparing with the fixture manifest. */
function plain(order: Order): unknown {
  return {
    products: order.products.map(({ name, price }) => ({ name, price })),
    user: order.user,
  };
}

describe('NewOrderMessage of the sample', () => {
  it('has the Avro schema Python generates for the example, field order included', () => {
    expect(NewOrderMessage.schema).toEqual(manifest.message_classes.NewOrderMessage.avro_schema);
  });

  it("decodes the Python example's order message into the same order", async () => {
    const event = registryPassthroughEventJsonDeserializer(newOrderEnvelope).toEvent();
    const message = event.payload as NewOrderMessage;

    expect(message).toBeInstanceOf(NewOrderMessage);
    expect(message.order).toBeInstanceOf(Order);
    expect(message.order.products.every((p) => p instanceof Product)).toBe(true);
    expect(plain(message.order)).toEqual(newOrderCase.expected.value.order);
    expect(plain(message.order)).toEqual({
      products: [
        { name: 'Keyboard', price: 49.99 },
        { name: 'Mouse', price: 19.99 },
      ],
      user: 'john.doe@email.com',
    });
    expect(message._when).toEqual(new Date(newOrderCase.expected.value._when.value));
    expect(message._when).toEqual(new Date('2025-06-01T12:30:45.123Z'));
    expect(event.identifier).toBe('fixture-avro_custom_new_order');
    // Python's order passes the sample's validation, and re-encodes to Python's bytes.
    expect(await validate(message)).toEqual([]);
    expect(Buffer.from(message.serialize()[1]).toString('hex')).toBe(
      newOrderCase.serialized_payload_hex,
    );
  });

  it('writes an order the way Python does', () => {
    const message = NewOrderMessage.of(
      Order.of('john.doe@email.com', [Product.of('Keyboard', 49.99), Product.of('Mouse', 19.99)]),
      new Date('2025-06-01T12:30:45.123Z'),
    );
    expect(message.serialize()).toEqual([
      'avro',
      new Uint8Array(Buffer.from(newOrderCase.serialized_payload_hex, 'hex')),
    ]);
  });
});

describe('e-commerce sample, in process', () => {
  let broker: EmbeddedBroker | undefined;
  let shop: Ecommerce;
  const lines: string[] = [];
  const reported: Parameters<BuslineErrorHook>[] = [];

  beforeAll(async () => {
    broker = EXTERNAL_BROKER_URL === undefined ? await startEmbeddedBroker() : undefined;
    const logger = new SampleLogger({
      contexts: FLOW_CONTEXTS,
      sink: { out: (line) => lines.push(line), err: (line) => lines.push(line) },
    });
    shop = await startEcommerce({
      mqttUrl: EXTERNAL_BROKER_URL ?? broker!.url,
      logger,
      onError: (error, context) => {
        reported.push([error, context]);
      },
    });
  });

  afterAll(async () => {
    await shop?.close();
    await broker?.close();
  });

  /** The flow lines a service printed about one order's event. */
  const linesOf = (context: string, placed: PlacedOrder): string[] =>
    lines.filter(
      (line) => line.startsWith(`${context} `) && line.includes(`(event ${shortId(placed.event)})`),
    );

  it('carries every order from POST /orders to every service', async () => {
    const placed = await Promise.all(
      DEMO_ORDERS.map((order) => placeOrder(shop.backendUrl!, order)),
    );

    expect(await waitForDeliveries(shop, placed, DELIVERY_TIMEOUT_MS)).toEqual([]);
    for (const [i, order] of placed.entries()) {
      const request = DEMO_ORDERS[i];
      expect(order).toMatchObject({ user: request.user, products: request.products.length });
      expect(shop.emailSender!.outbox).toContainEqual(
        expect.objectContaining({ eventId: order.event, to: request.user }),
      );
      expect(shop.supplierNotifier!.notices).toContainEqual({
        eventId: order.event,
        user: request.user,
        products: request.products.map((p) => p.name),
      });
      expect(shop.dataProcessor!.forwarded).toContainEqual({
        eventId: order.event,
        productCount: request.products.length,
      });
    }
    expect(shop.aiModel!.samples).toEqual(
      expect.arrayContaining(DEMO_ORDERS.map((order) => order.products.length)),
    );
    expect(reported).toEqual([]);
  });

  it('shows each step in a line of the service that got it, naming the transport', async () => {
    const placed = await placeOrder(shop.backendUrl!, DEMO_ORDERS[0]);
    expect(await waitForDeliveries(shop, [placed], DELIVERY_TIMEOUT_MS)).toEqual([]);

    expect(lines).toContainEqual(
      expect.stringMatching(
        /^Backend +POST \/orders over HTTP: john\.doe@email\.com orders Keyboard, Mouse -> new_order over mqtt$/,
      ),
    );
    for (const service of ['ConfirmationEmailSender', 'SupplierNotifier', 'DataProcessor']) {
      expect(linesOf(service, placed)).toEqual([
        expect.stringContaining(
          `new_order over mqtt from backend (event ${shortId(placed.event)})`,
        ),
      ]);
    }
    expect(linesOf('DataProcessor', placed)[0]).toMatch(/2 products -> inbound_data over local$/);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^AIModel +inbound_data over local from data-processor: online training with value 2 /,
      ),
    );
  });

  it('answers 400 to an invalid order and publishes nothing', async () => {
    const response = await fetch(`${shop.backendUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'not-an-email', products: [] }),
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string[] }).message).toEqual(
      expect.arrayContaining(['user must be an email', 'products should not be empty']),
    );

    // Orders from one publisher arrive in order: once the next one is everywhere, an invalid
    // one published before it would have been too.
    const next = await placeOrder(shop.backendUrl!, DEMO_ORDERS[1]);
    expect(await waitForDeliveries(shop, [next], DELIVERY_TIMEOUT_MS)).toEqual([]);
    expect(shop.emailSender!.outbox.map((email) => email.to)).not.toContain('not-an-email');
    expect(shop.supplierNotifier!.notices.map((notice) => notice.user)).not.toContain(
      'not-an-email',
    );
  });

  it('keeps an invalid order published straight to MQTT from every handler, and reports it', async () => {
    const publisher = new MqttPublisher({ url: EXTERNAL_BROKER_URL ?? broker!.url });
    await publisher.connect();
    try {
      const invalid = NewOrderMessage.of(Order.of('nobody', []));
      const event = await publisher.publish(NEW_ORDER_TOPIC, invalid, { qos: 1 });

      const handlers = [
        'ConfirmationEmailSender.onNewOrder',
        'SupplierNotifier.onNewOrder',
        'DataProcessor.onNewOrder',
      ];
      const rejectedBy = () =>
        reported
          .map(([error]) => error)
          .filter(
            (error): error is MessageValidationError =>
              error instanceof MessageValidationError && error.eventId === event.identifier,
          )
          .map((error) => error.handler);
      await waitFor(
        () => rejectedBy().length === handlers.length,
        DELIVERY_TIMEOUT_MS,
        'the invalid order reported by the three subscribers',
      );
      expect(rejectedBy().sort()).toEqual([...handlers].sort());
      const violations = reported
        .map(([error]) => error)
        .filter((error): error is MessageValidationError => error instanceof MessageValidationError)
        .flatMap((error) => error.violations);
      expect(violations).toEqual(
        expect.arrayContaining([
          'order.products: products should not be empty',
          'order.user: user must be an email',
        ]),
      );
      const got = (records: { eventId: string }[]) =>
        records.some((record) => record.eventId === event.identifier);
      expect(got(shop.emailSender!.outbox)).toBe(false);
      expect(got(shop.supplierNotifier!.notices)).toBe(false);
      expect(got(shop.dataProcessor!.forwarded)).toBe(false);
    } finally {
      await publisher.disconnect();
      reported.length = 0;
    }
  });

  it('handles an order published by Python Busline (the example, byte for byte)', async () => {
    const client = await connectAsync(EXTERNAL_BROKER_URL ?? broker!.url, {
      reconnectPeriod: 0,
      connectTimeout: DELIVERY_TIMEOUT_MS,
    });
    try {
      await client.publishAsync(NEW_ORDER_TOPIC, newOrderEnvelope, { qos: 1 });
    } finally {
      await client.endAsync();
    }
    const fromPython: PlacedOrder = {
      event: newOrderCase.envelope.identifier,
      user: 'john.doe@email.com',
      products: 2,
      total: 69.98,
    };
    expect(await waitForDeliveries(shop, [fromPython], DELIVERY_TIMEOUT_MS)).toEqual([]);
    expect(shop.emailSender!.outbox).toContainEqual(
      expect.objectContaining({ eventId: fromPython.event, to: 'john.doe@email.com' }),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^SupplierNotifier +new_order over mqtt from py-busline-fixtures /),
    );
  });

  it('tells what is missing when a service did not get an order', () => {
    const never: PlacedOrder = {
      event: 'never-published',
      user: 'x@example.com',
      products: 99,
      total: 1,
    };
    expect(missingDeliveries(shop, [never])).toEqual([
      'ConfirmationEmailSender has not got order never-pu of x@example.com',
      'SupplierNotifier has not got order never-pu of x@example.com',
      'DataProcessor has not got order never-pu of x@example.com',
      'AIModel has not trained on order never-pu of x@example.com (99 products)',
    ]);
  });
});

/** A TCP port on loopback that nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A run of `npm run sample`'s command (without npm), as a child process. */
interface SampleRun {
  /** What it printed so far. */
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with its exit code; it is killed if it runs longer than 25 s. */
  readonly exited: Promise<number | null>;
  /** Ctrl+C. */
  stop(): void;
}

function startSample(args: readonly string[], env: NodeJS.ProcessEnv): SampleRun {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', 'sample/ecommerce/main.ts', ...args],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  }).finally(() => clearTimeout(timer));
  running.add(child);
  exited.then(
    () => running.delete(child),
    () => running.delete(child),
  );
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    stop: () => child.kill('SIGINT'),
  };
}

const running = new Set<ReturnType<typeof spawn>>();

afterAll(() => {
  // A test that failed half-way leaves nothing behind.
  for (const child of running) child.kill('SIGKILL');
});

describe('npm run sample', () => {
  const env = { ...process.env };
  delete env.EMAIL_SENDER_GROUP;

  it('exits 0 after every service got every order, and shows the flow', async () => {
    const run = startSample([], env);
    const code = await run.exited;
    const [stdout, stderr] = [run.stdout(), run.stderr()];

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    for (const line of [
      /^Backend +POST \/orders over HTTP: grace@example\.com orders Laptop stand, USB-C hub, Webcam -> new_order over mqtt$/m,
      /^ConfirmationEmailSender +new_order over mqtt from backend \(event \w+\): e-mail .* sent to ada@example\.com$/m,
      /^SupplierNotifier +new_order over mqtt from backend \(event \w+\): supplier notified to ship Keyboard 49\.99, Mouse 19\.99 to john\.doe@email\.com$/m,
      /^DataProcessor +new_order over mqtt from backend \(event \w+\): 3 products -> inbound_data over local$/m,
      /^AIModel +inbound_data over local from data-processor: online training with value 1 /m,
      /^Sample +OK: every service got every order \(3\)/m,
    ]) {
      expect(stdout).toMatch(line);
    }
  });

  it('exits 1 and says why when the services cannot start', async () => {
    const run = startSample([], {
      ...env,
      BUSLINE_MQTT_URL: `mqtt://127.0.0.1:${await closedPort()}`,
    });

    expect(await run.exited).toBe(1);
    expect(run.stderr()).toMatch(/FAILED: Busline could not connect transport 'mqtt'/);
    expect(run.stdout()).not.toMatch(/OK: every service/);
  });

  itIf(MQTT5_AVAILABLE, MQTT5_SKIP_REASON)(
    'splits the orders between two e-mail senders in one shared-subscription group',
    async () => {
      const groupEnv = { ...env, EMAIL_SENDER_GROUP: `emails-${process.pid}-${Date.now()}` };
      const senders = [1, 2].map((n) =>
        startSample(['--service', 'email-sender', '--name', `email-sender-${n}`], groupEnv),
      );
      try {
        for (const sender of senders) {
          await waitFor(
            () => /email-sender running in shared-subscription group/.test(sender.stdout()),
            DELIVERY_TIMEOUT_MS,
            'an e-mail sender running',
          );
        }
        const publisher = new MqttPublisher({ url: EXTERNAL_BROKER_URL! });
        await publisher.connect();
        const events: string[] = [];
        try {
          for (const user of ['alice', 'bob', 'carol', 'dave']) {
            const order = Order.of(`${user}@example.com`, [Product.of('Desk', 120)]);
            const event = await publisher.publish(NEW_ORDER_TOPIC, NewOrderMessage.of(order), {
              qos: 1,
            });
            events.push(shortId(event.identifier));
          }
        } finally {
          await publisher.disconnect();
        }
        const sent = (sender: SampleRun) =>
          events.filter((id) => sender.stdout().includes(`(event ${id}): e-mail`));
        await waitFor(
          () => sent(senders[0]).length + sent(senders[1]).length >= events.length,
          DELIVERY_TIMEOUT_MS,
          'four e-mails between the two senders',
        );
        // Each order went to one sender only, and both took a share.
        expect([...sent(senders[0]), ...sent(senders[1])].sort()).toEqual([...events].sort());
        expect(sent(senders[0]).length).toBeGreaterThan(0);
        expect(sent(senders[1]).length).toBeGreaterThan(0);
      } finally {
        for (const sender of senders) sender.stop();
      }
      expect(await Promise.all(senders.map((sender) => sender.exited))).toEqual([0, 0]);
    },
  );
});
