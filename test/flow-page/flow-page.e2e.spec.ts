/*
 * The flow page served by a NestJS application over Express: its HTML (inline, nothing from
 * elsewhere), its data (flow.json) with live counters of handlers, topics and publishes, the
 * AsyncAPI downloads, the process-wide view (an application context shows on another
 * application's page), and nothing installed when no page is served.
 */
import { Injectable, Logger, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AsyncLocalEventBus } from '../../lib/local/async-local-event-bus';
import { PubSubClient } from '../../lib/core/pubsub-client';
import type { BuslineModuleOptions } from '../../lib/nest/interfaces/busline-module-options.interface';
import { BuslineModule } from '../../lib/nest/busline.module';
import { Subscribe } from '../../lib/nest/decorators/subscribe.decorator';
import { Payload } from '../../lib/nest/decorators/payload.decorator';
import { Publishes } from '../../lib/nest/decorators/publishes.decorator';
import { BuslineConfigurationError } from '../../lib/nest/errors/busline-configuration.error';
import { StringMessage } from '../../lib/core/messages/string.message';
import type { FlowDocument } from '../../lib/nest/flow-page/flow-page.server';
import { flowRegistry } from '../../lib/nest/flow-page/flow-registry';
import { deferred } from '../support/deferred';
import { waitFor } from '../support/wait-for';

jest.setTimeout(30_000);

@Injectable()
@Publishes('flow/orders', StringMessage)
class OrdersWorker {
  readonly handled: string[] = [];

  @Subscribe('flow/orders')
  onOrder(@Payload() order: StringMessage): void {
    this.handled.push(order.value);
  }

  @Subscribe('flow/orders')
  failing(): Promise<void> {
    return Promise.reject(new Error('this handler always fails'));
  }
}

/** Holds each event until the test lets it go. */
@Injectable()
class SlowWorker {
  readonly release = deferred();
  started = 0;

  @Subscribe('flow/slow')
  async onSlow(): Promise<void> {
    this.started++;
    await this.release.promise;
  }
}

function appModule(
  options: BuslineModuleOptions,
  providers: (new (...args: never[]) => object)[] = [OrdersWorker],
): new () => object {
  @Module({
    imports: [BuslineModule.forRoot({ logBindings: false, ...options })],
    providers,
  })
  class AppModule {}
  return AppModule;
}

const opened: INestApplicationContext[] = [];
afterEach(async () => {
  await Promise.allSettled(opened.splice(0).map((app) => app.close()));
});

/** An Express application listening on a free port, and its base URL. */
async function httpApp(
  options: BuslineModuleOptions,
  providers?: (new (...args: never[]) => object)[],
): Promise<{ url: string; app: INestApplicationContext }> {
  const app = await NestFactory.create(appModule(options, providers), { logger: false });
  opened.push(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, app };
}

async function flow(url: string): Promise<FlowDocument> {
  const response = await fetch(`${url}/busline/flow.json`);
  expect(response.status).toBe(200);
  return (await response.json()) as FlowDocument;
}

describe('flow page', () => {
  it('serves one self-contained HTML page: inline style and script, nothing from elsewhere', async () => {
    const { url } = await httpApp({ local: true, flowPage: { path: '/busline' } });
    const response = await fetch(`${url}/busline`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<svg id="diagram"');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it("counts each handler's events and failures, the topic's and the publishes, live", async () => {
    const { url, app } = await httpApp({ local: true, flowPage: { path: '/busline' } });
    const before = await flow(url);
    const [self] = before.apps;
    expect(self.handlers.map((h) => [h.binding, h.filter, h.messageType])).toEqual([
      ['OrdersWorker.onOrder', 'flow/orders', 'StringMessage'],
      ['OrdersWorker.failing', 'flow/orders', undefined],
    ]);
    expect(self.handlers.every((h) => h.counters?.events === 0)).toBe(true);

    const bus = app.get(PubSubClient);
    for (const order of ['a', 'b', 'c']) await bus.publish('flow/orders', order);
    await waitFor(() => app.get(OrdersWorker).handled.length === 3, 5_000, 'three orders handled');

    let after: FlowDocument | undefined;
    const failing = (doc: FlowDocument) =>
      doc.apps[0].handlers.find((h) => h.binding === 'OrdersWorker.failing')?.counters;
    for (let i = 0; i < 200 && failing((after = await flow(url)))?.errors !== 3; i++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    const handlers = after!.apps[0].handlers;
    expect(handlers.map((h) => [h.binding, h.counters?.events, h.counters?.errors])).toEqual([
      ['OrdersWorker.onOrder', 3, 0],
      ['OrdersWorker.failing', 3, 3],
    ]);
    expect(handlers[0].counters!.rate).toBeGreaterThan(0);
    const topic = after!.graph.nodes.find((n) => n.kind === 'topic' && n.label === 'flow/orders');
    expect(topic?.counters).toMatchObject({ events: 3, errors: 3, backlog: 0 });
    // The declared publication, with what was published on it.
    const publication = after!.apps[0].publications.find((p) => p.topic === 'flow/orders');
    expect(publication).toMatchObject({ publisher: 'OrdersWorker', messageType: 'StringMessage' });
    expect(publication?.counters?.events).toBe(3);
    // Arrows: publication -> topic -> both handlers.
    expect(after!.graph.edges.filter((e) => e.from === topic!.id)).toHaveLength(2);
    expect(after!.graph.edges.filter((e) => e.to === topic!.id)).toHaveLength(1);
  });

  it('shows as backlog the events a handler is on and those waiting for it', async () => {
    const { url, app } = await httpApp({ local: true, flowPage: { path: '/busline' } }, [
      SlowWorker,
    ]);
    const worker = app.get(SlowWorker);
    const bus = app.get(PubSubClient);
    for (let i = 0; i < 3; i++) await bus.publish('flow/slow');
    await waitFor(() => worker.started === 1, 5_000, 'the first event started');

    const busy = await flow(url);
    const topic = (doc: FlowDocument) =>
      doc.graph.nodes.find((n) => n.kind === 'topic' && n.label === 'flow/slow')?.counters;
    // One event in the handler, two waiting in the subscription (concurrency 1).
    expect(busy.apps[0].handlers[0].counters).toMatchObject({ events: 1, backlog: 1 });
    expect(topic(busy)).toMatchObject({ events: 1, backlog: 3 });

    worker.release.resolve();
    await waitFor(() => worker.started === 3, 5_000, 'all three events started');
    let done = await flow(url);
    for (let i = 0; i < 200 && topic(done)?.backlog !== 0; i++) done = await flow(url);
    expect(done.apps[0].handlers[0].counters).toMatchObject({ events: 3, backlog: 0 });
    expect(topic(done)).toMatchObject({ events: 3, backlog: 0, errors: 0 });
  });

  it('offers the AsyncAPI document of the applications it shows, as JSON and YAML', async () => {
    const { url } = await httpApp({
      identifier: 'orders',
      local: true,
      flowPage: { path: '/busline/' },
    });
    const json = (await (await fetch(`${url}/busline/asyncapi.json`)).json()) as {
      asyncapi: string;
      operations: Record<string, { 'x-busline-handler': string }>;
    };
    expect(json.asyncapi).toBe('3.0.0');
    const handlers = Object.values(json.operations).map((o) => o['x-busline-handler']);
    expect(handlers).toEqual(
      expect.arrayContaining(['OrdersWorker.onOrder', 'OrdersWorker.failing', 'OrdersWorker']),
    );
    const yaml = await fetch(`${url}/busline/asyncapi.yaml`);
    expect(yaml.headers.get('content-type')).toMatch(/^application\/yaml/);
    expect(await yaml.text()).toMatch(/^asyncapi: ['"]?3\.0\.0/m);
    const doc = await flow(url);
    expect(doc.downloads.map((d) => d.href)).toEqual([
      '/busline/asyncapi.json',
      '/busline/asyncapi.yaml',
    ]);
  });

  it("shows an application context of the process on another application's page, and says why it serves none", async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const context = await NestFactory.createApplicationContext(
        appModule({
          identifier: 'worker',
          local: { eventbus: new AsyncLocalEventBus() },
          flowPage: { path: '/busline' },
        }),
        { logger: false },
      );
      opened.push(context);
      expect(warn.mock.calls.map(([message]) => String(message))).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/flowPage: this application has no HTTP server/),
        ]),
      );
      const { url } = await httpApp({
        identifier: 'web',
        local: true,
        flowPage: { path: '/busline' },
      });
      const doc = await flow(url);
      expect(doc.apps.map((a) => a.name)).toEqual(['worker', 'web']);
      expect(doc.apps.find((a) => a.id === doc.self)?.name).toBe('web');
      // Each application's local bus is its own: two topic nodes, on two buses.
      const topics = doc.graph.nodes.filter((n) => n.kind === 'topic' && n.label === 'flow/orders');
      expect(new Set(topics.map((t) => t.bus)).size).toBe(2);
    } finally {
      warn.mockRestore();
    }
  });

  it('installs nothing without a page, and takes its counting away when the page closes', async () => {
    const plain = await NestFactory.createApplicationContext(appModule({ local: true }), {
      logger: false,
    });
    opened.push(plain);
    const client = plain.get(PubSubClient) as PubSubClient & {
      publishers: { publishEvent: unknown }[];
    };
    const wrapped = () =>
      client.publishers.some((p) => Object.prototype.hasOwnProperty.call(p, 'publishEvent'));
    expect(flowRegistry.counting).toBe(false);
    expect(wrapped()).toBe(false);

    const { app } = await httpApp({ local: true, flowPage: { path: '/busline' } });
    expect(flowRegistry.counting).toBe(true);
    expect(wrapped()).toBe(true); // every application of the process counts while a page is open

    await app.close();
    expect(flowRegistry.counting).toBe(false);
    expect(wrapped()).toBe(false);
  });

  it.each([
    [{ path: 'busline' }, /flowPage\.path must be an absolute URL path/],
    [{ path: '/bus line' }, /flowPage\.path must be an absolute URL path/],
    [{ path: '/busline/:id' }, /flowPage\.path must be an absolute URL path/],
    [{ path: '/busline', refreshInterval: 0 }, /flowPage\.refreshInterval must be/],
    ['/busline', /flowPage option must be an object such as \{ path: '\/busline' \}/],
  ])(
    'rejects flowPage %p at startup with a message saying what to write',
    async (flowPage, message) => {
      const created = NestFactory.create(
        appModule({ local: true, flowPage: flowPage as BuslineModuleOptions['flowPage'] }),
        { logger: false, abortOnError: false },
      );
      await expect(created).rejects.toThrow(BuslineConfigurationError);
      await expect(created).rejects.toThrow(message);
    },
  );
});
