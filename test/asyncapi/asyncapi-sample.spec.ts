import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Parser } from '@asyncapi/parser';
import { asyncApiToJson, asyncApiToYaml, createAsyncApiDocument } from 'busline/nest';
import { parse as parseYaml } from 'yaml';
import ecommerceModules from '../../sample/ecommerce/asyncapi.modules';

/** Errors (severity 0) the AsyncAPI parser reports for a document. */
async function parserErrors(text: string): Promise<string[]> {
  const { diagnostics } = await new Parser().parse(text);
  return diagnostics
    .filter((d) => d.severity === 0)
    .map((d) => `${d.code} at ${d.path.join('.')}: ${d.message}`);
}

describe('the e-commerce sample as an AsyncAPI document', () => {
  let apps: INestApplicationContext[] = [];

  beforeAll(async () => {
    // Preview mode: the modules are compiled, nothing is instantiated or connected.
    apps = await Promise.all(
      ecommerceModules({ mqttUrl: 'mqtt://broker.example:1883' }).map((module) =>
        NestFactory.createApplicationContext(module, { preview: true, logger: false }),
      ),
    );
  });

  it('validates with @asyncapi/parser without errors, as JSON and as YAML', async () => {
    const document = createAsyncApiDocument(apps, { title: 'E-commerce' });
    expect(await parserErrors(asyncApiToJson(document))).toEqual([]);
    expect(await parserErrors(asyncApiToYaml(document))).toEqual([]);
  }, 60_000);

  it('has every channel, operation and message of the sample', () => {
    const document = createAsyncApiDocument(apps);
    expect(Object.keys(document.channels)).toEqual(['inbound_data', 'new_order']);
    const operations = Object.values(document.operations).map((op) => [
      op['x-busline-service'],
      op['x-busline-handler'],
      op.action,
      (op.channel as { $ref: string }).$ref,
      op['x-busline-transports'],
    ]);
    expect(operations).toEqual(
      expect.arrayContaining([
        ['backend', 'OrdersController.place', 'send', '#/channels/new_order', ['mqtt']],
        [
          'email-sender',
          'ConfirmationEmailSender.onNewOrder',
          'receive',
          '#/channels/new_order',
          ['mqtt'],
        ],
        [
          'supplier-notifier',
          'SupplierNotifier.onNewOrder',
          'receive',
          '#/channels/new_order',
          ['mqtt'],
        ],
        ['data-processor', 'DataProcessor.onNewOrder', 'receive', '#/channels/new_order', ['mqtt']],
        [
          'data-processor',
          'DataProcessor.onNewOrder',
          'send',
          '#/channels/inbound_data',
          ['local'],
        ],
        ['ai-model', 'AIModel.onInboundData', 'receive', '#/channels/inbound_data', ['local']],
      ]),
    );
    expect(operations).toHaveLength(6);
    expect(Object.keys(document.components.messages ?? {})).toEqual([
      'Int64Message',
      'NewOrderMessage',
    ]);
    const order = document.components.messages!.NewOrderMessage;
    expect(order.payload).toMatchObject({
      schemaFormat: 'application/vnd.apache.avro;version=1.9.0',
      schema: { type: 'record', name: 'NewOrderMessage' },
    });
    expect(document.servers?.mqtt).toMatchObject({ host: 'broker.example:1883', protocol: 'mqtt' });
    expect(document.operations['OrdersController.place.send'].bindings).toEqual({
      mqtt: { bindingVersion: '0.2.0', qos: 1 },
    });
  });

  it('is the same document every time (snapshot)', () => {
    const first = asyncApiToJson(createAsyncApiDocument(apps));
    expect(asyncApiToJson(createAsyncApiDocument(apps))).toBe(first);
    expect(JSON.parse(first)).toMatchSnapshot();
  });

  it('writes YAML that reads back as the same document', () => {
    const document = createAsyncApiDocument(apps);
    expect(parseYaml(asyncApiToYaml(document))).toEqual(JSON.parse(asyncApiToJson(document)));
  });
});
