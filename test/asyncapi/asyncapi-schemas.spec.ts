import { Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Parser } from '@asyncapi/parser';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsDate,
  IsEmail,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  Min,
  ValidateNested,
} from 'class-validator';
import { JsonMessage, Message, StringMessage } from 'busline';
import {
  BuslineModule,
  Payload,
  Publishes,
  Subscribe,
  asyncApiToJson,
  createAsyncApiDocument,
} from 'busline/nest';

enum Status {
  Open = 'open',
  Shipped = 'shipped',
}

class Line {
  @IsString() sku = '';
  @IsInt() @Min(1) quantity = 1;
}

@Message('shop.order-updated')
class OrderUpdated extends JsonMessage {
  @IsEmail() customer = '';
  @IsEnum(Status) status = Status.Open;
  @ArrayNotEmpty() @ValidateNested({ each: true }) @Type(() => Line) lines: Line[] = [];
  @IsDate() @Type(() => Date) at = new Date(0);
  @IsOptional() @IsString() note: string | null = null;
  tags: string[] = [];
}

@Injectable()
@Publishes('audit/+service', StringMessage, { retain: true })
class Orders {
  @Subscribe('orders/+id/updated', { qos: 2, group: 'workers' })
  onUpdated(@Payload() _order: OrderUpdated): void {}

  @Subscribe('logs/#path')
  onLog(): void {}

  @Subscribe('$share/audit/orders/+id/updated')
  onShared(): void {}

  @Publishes('orders/+id/updated', OrderUpdated)
  update(): void {}
}

@Module({
  imports: [
    BuslineModule.forRoot({
      identifier: 'orders',
      local: true,
      mqtt: { url: 'mqtts://user:secret@broker.example:8883', qos: 1 },
    }),
  ],
  providers: [Orders],
})
class OrdersModule {}

describe('createAsyncApiDocument', () => {
  let app: INestApplicationContext | undefined;
  afterEach(() => app?.close());

  async function document() {
    app = await NestFactory.createApplicationContext(OrdersModule, {
      preview: true,
      logger: false,
    });
    const doc = createAsyncApiDocument(app);
    app = undefined; // preview contexts hold nothing to close
    return doc;
  }

  it('describes a JsonMessage from its class-validator and class-transformer metadata', async () => {
    const doc = await document();
    const schemas = doc.components.schemas!;
    expect(doc.components.messages!['shop.order-updated'].payload).toEqual({
      $ref: '#/components/schemas/OrderUpdated',
    });
    expect(schemas.OrderUpdated).toMatchObject({
      type: 'object',
      properties: {
        customer: { type: 'string', format: 'email' },
        status: { enum: ['open', 'shipped'] },
        lines: { type: 'array', minItems: 1, items: { $ref: '#/components/schemas/Line' } },
        at: { type: 'string', format: 'date-time' },
        note: { anyOf: [{ type: 'string' }, { type: 'null' }] },
        tags: { type: 'array' },
      },
      required: ['at', 'customer', 'lines', 'status', 'tags'],
    });
    expect(schemas.Line).toMatchObject({
      properties: { sku: { type: 'string' }, quantity: { type: 'integer', minimum: 1 } },
    });
    expect(doc.components.messages!['shop.order-updated'].examples).toEqual([
      {
        name: 'example',
        payload: {
          at: '2025-01-01T12:00:00.000Z',
          customer: 'user@example.com',
          lines: [{ quantity: 1, sku: 'text' }],
          note: 'text',
          status: 'open',
          tags: [],
        },
      },
    ]);
  });

  it('turns named wildcards into channel parameters and documents # filters', async () => {
    const doc = await document();
    expect(doc.channels['orders.id.updated']).toMatchObject({
      address: 'orders/{id}/updated',
      parameters: { id: expect.any(Object) },
      'x-busline-filter': 'orders/+/updated',
    });
    const logs = doc.channels['logs.path'];
    expect(logs.address).toBe('logs/{path}');
    expect(JSON.stringify(logs.parameters)).toContain("MQTT '#'");
    expect(doc.channels['audit.service'].address).toBe('audit/{service}');
    // A '$share/<group>/' topic is the same channel, its group on the operation.
    expect(doc.operations['Orders.onShared.receive']).toMatchObject({
      channel: { $ref: '#/channels/orders.id.updated' },
      'x-busline-shared-group': 'audit',
    });
  });

  it('puts QoS, retain and the shared-subscription group on the operations', async () => {
    const doc = await document();
    expect(doc.operations['Orders.onUpdated.receive']).toMatchObject({
      action: 'receive',
      bindings: { mqtt: { qos: 2 } },
      'x-busline-shared-group': 'workers',
      'x-busline-transports': ['local', 'mqtt'],
    });
    expect(doc.operations['Orders.send']).toMatchObject({
      action: 'send',
      bindings: { mqtt: { qos: 1, retain: true } },
      'x-busline-handler': 'Orders',
    });
    // Handlers without a declared payload class get the generic event.
    expect(doc.operations['Orders.onLog.receive'].messages).toEqual([
      { $ref: '#/channels/logs.path/messages/BuslineEvent' },
    ]);
  });

  it('names the broker without its credentials and validates', async () => {
    const doc = await document();
    expect(doc.servers!.mqtt).toMatchObject({
      host: 'broker.example:8883',
      protocol: 'secure-mqtt',
    });
    expect(asyncApiToJson(doc)).not.toContain('secret');
    const { diagnostics } = await new Parser().parse(asyncApiToJson(doc));
    expect(diagnostics.filter((d) => d.severity === 0).map((d) => d.message)).toEqual([]);
  }, 60_000);

  it('reads a running application as well', async () => {
    app = await NestFactory.createApplicationContext(OrdersModuleLocal, { logger: false });
    const doc = createAsyncApiDocument(app);
    expect(Object.keys(doc.operations)).toContain('Orders.onUpdated.receive');
    expect(doc.servers).toEqual({ local: expect.objectContaining({ protocol: 'busline-local' }) });
  });

  it('says what is missing when the application has no BuslineModule', async () => {
    app = await NestFactory.createApplicationContext(EmptyModule, { logger: false });
    expect(() => createAsyncApiDocument(app!)).toThrow(/BuslineModule\.forRoot/);
  });
});

@Module({ imports: [BuslineModule.forRoot({ local: true })], providers: [Orders] })
class OrdersModuleLocal {}

@Module({})
class EmptyModule {}
