/*
 * The `busline` command against the e-commerce sample: `tap new_order` prints the orders the
 * sample places, and `asyncapi` writes the sample's document without starting it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Parser } from '@asyncapi/parser';
import { createAsyncApiDocument } from 'busline/nest';
import { parse as parseYaml } from 'yaml';
import type { PlacedOrder } from '../../sample/ecommerce/backend/orders.controller';
import ecommerceModules from '../../sample/ecommerce/asyncapi.modules';
import { startEcommerce, type Ecommerce } from '../../sample/ecommerce/ecommerce';
import { DEMO_ORDERS, placeOrder, waitForDeliveries } from '../../sample/ecommerce/flow';
import { startTestBroker, type TestBroker } from '../support/mqtt/test-broker';
import { interrupt, runCli, startCli } from './cli-process';

jest.setTimeout(90_000);

describe('busline tap on the running sample', () => {
  let broker: TestBroker;
  let shop: Ecommerce | undefined;
  beforeAll(async () => {
    broker = await startTestBroker();
  });
  afterEach(async () => {
    await shop?.close();
    shop = undefined;
  });
  afterAll(() => broker.close());

  it("prints the three orders the sample places on 'new_order'", async () => {
    shop = await startEcommerce({ mqttUrl: broker.url, logger: false });
    const tap = startCli([
      'tap',
      'new_order',
      '--url',
      broker.url,
      '--require',
      './sample/ecommerce/orders/order.messages.ts',
    ]);
    await tap.waitForOutput('busline tap: listening');

    const placed: PlacedOrder[] = [];
    for (const order of DEMO_ORDERS) placed.push(await placeOrder(shop.backendUrl!, order));
    expect(await waitForDeliveries(shop, placed, 10_000)).toEqual([]);
    for (const order of placed) await tap.waitForOutput(order.event);
    expect(await interrupt(tap)).toBe(0);

    // Other orders on a shared broker do not count: keep the lines of the orders placed here.
    const lines = tap.stdout
      .trim()
      .split('\n')
      .filter((line) => placed.some((order) => line.includes(order.event)));
    expect(lines).toHaveLength(3);
    lines.forEach((line, i) => {
      const [time, topic, type, id, publisher, payload] = line.split('  ');
      expect(Number.isNaN(Date.parse(time))).toBe(false);
      expect([topic, type, id, publisher]).toEqual([
        'new_order',
        'NewOrderMessage',
        placed[i].event,
        'backend',
      ]);
      const message = JSON.parse(payload) as { order: unknown; _when: string };
      expect(message.order).toEqual(DEMO_ORDERS[i]);
      expect(Number.isNaN(Date.parse(message._when))).toBe(false);
    });
    process.stdout.write(`busline tap new_order printed:\n${lines.join('\n')}\n`);
  });
});

describe('busline asyncapi on the sample', () => {
  let dir: string;
  let apps: INestApplicationContext[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'busline-asyncapi-'));
    apps = await Promise.all(
      ecommerceModules({ mqttUrl: 'mqtt://broker.example:1883' }).map((module) =>
        NestFactory.createApplicationContext(module, { preview: true, logger: false }),
      ),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the document, without connecting to any broker', async () => {
    const output = join(dir, 'asyncapi.yaml');
    // An address nothing listens on: the command must not try to connect.
    const run = await runCli(
      [
        'asyncapi',
        'sample/ecommerce/asyncapi.modules.ts',
        '--require',
        '@swc-node/register',
        '-o',
        output,
      ],
      { BUSLINE_MQTT_URL: 'mqtt://broker.example:1883' },
    );
    expect(run).toMatchObject({ code: 0, stderr: expect.stringContaining(`wrote ${output}`) });
    const text = readFileSync(output, 'utf8');
    expect(parseYaml(text)).toEqual(JSON.parse(JSON.stringify(createAsyncApiDocument(apps))));
    const { diagnostics } = await new Parser().parse(text);
    expect(diagnostics.filter((d) => d.severity === 0)).toEqual([]);
    process.stdout.write(`busline asyncapi wrote ${Buffer.byteLength(text)} bytes of YAML\n`);
  });

  it('documents an application an app file creates', async () => {
    const run = await runCli(['asyncapi', 'test/cli/fixtures/preview-app.ts', '--format', 'json']);
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout) as { operations: Record<string, unknown> };
    expect(document.operations['Counter.count.send']).toMatchObject({
      channel: { $ref: '#/channels/counts.name' },
      'x-busline-transports': ['local'],
    });
  });

  it('says what a file must export when it exports no module', async () => {
    const run = await runCli(['asyncapi', 'sample/ecommerce/flow.ts']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('exports no NestJS module');
  });
});
