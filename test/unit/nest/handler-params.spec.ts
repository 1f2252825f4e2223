import { createParamDecorator, ParseIntPipe } from '@nestjs/common';
import { Event } from '../../../lib/core/event';
import { BuslineContext } from '../../../lib/nest/busline-context';
import { Ctx } from '../../../lib/nest/decorators/ctx.decorator';
import { Envelope } from '../../../lib/nest/decorators/envelope.decorator';
import {
  DEFAULT_ARGS,
  DEFAULT_ARGS_METADATA,
  handlerParams,
  PARAM_ARGS_METADATA,
  PARAM_TYPES,
} from '../../../lib/nest/decorators/handler-param';
import { Payload } from '../../../lib/nest/decorators/payload.decorator';
import { Subscribe } from '../../../lib/nest/decorators/subscribe.decorator';
import { TopicParams } from '../../../lib/nest/decorators/topic-params.decorator';
import { Topic } from '../../../lib/nest/decorators/topic.decorator';
import { BuslineParamsFactory } from '../../../lib/nest/handler-pipeline';

const Custom = createParamDecorator(() => 'custom');
const parseInt = new ParseIntPipe();

class Handlers {
  @Subscribe('orders/+id')
  decorated(
    @Payload() _order: unknown,
    @Payload('quantity', ParseIntPipe) _quantity: number,
    @TopicParams('id', parseInt) _id: number,
    @Topic() _topic: string,
    @Envelope() _event: Event,
    @Ctx() _context: BuslineContext,
    @Custom() _custom: string,
    @Payload(parseInt) _whole: number,
  ): void {}

  @Subscribe('orders/+id')
  plain(): void {}
}

describe("Busline's parameter decorators", () => {
  it("record each parameter in Nest's format, with its pipes, next to the user's own", () => {
    const metadata = Reflect.getMetadata(PARAM_ARGS_METADATA, Handlers, 'decorated');
    expect(metadata[`${PARAM_TYPES.payload}:1`]).toEqual({
      index: 1,
      data: 'quantity',
      pipes: [ParseIntPipe],
    });
    expect(metadata[`${PARAM_TYPES.params}:2`]).toEqual({
      index: 2,
      data: 'id',
      pipes: [parseInt],
    });
    expect(metadata[`${PARAM_TYPES.payload}:7`]).toEqual({
      index: 7,
      data: undefined,
      pipes: [parseInt],
    });
    // Busline's view of them leaves the custom decorator out.
    expect(handlerParams(metadata)).toEqual([
      { index: 0, kind: 'payload', property: undefined },
      { index: 1, kind: 'payload', property: 'quantity' },
      { index: 2, kind: 'params', property: 'id' },
      { index: 3, kind: 'topic', property: undefined },
      { index: 4, kind: 'event', property: undefined },
      { index: 5, kind: 'context', property: undefined },
      { index: 7, kind: 'payload', property: undefined },
    ]);
  });

  it('give a method without them the default arguments, (topic, event)', () => {
    expect(Reflect.getMetadata(PARAM_ARGS_METADATA, Handlers, 'plain')).toBeUndefined();
    expect(Reflect.getMetadata(DEFAULT_ARGS_METADATA, Handlers, 'plain')).toBe(DEFAULT_ARGS);
    expect(handlerParams(DEFAULT_ARGS).map((p) => p.kind)).toEqual(['topic', 'event']);
  });

  it.each([
    ['an empty property', () => Payload('')],
    ['a pipe that is not one', () => Payload('id', 42 as never)],
    ['a pipe that is not one, alone', () => TopicParams({} as never)],
    ['a property in second place', () => Topic('id' as never)],
  ])('reject %s with a TypeError', (_what, decorate) => {
    expect(decorate).toThrow(TypeError);
  });

  it('reject a constructor parameter', () => {
    expect(() => Payload()(class {}, undefined, 0)).toThrow(/go on handler methods/);
  });
});

describe('BuslineParamsFactory', () => {
  const payload = { id: '7', quantity: '3' };
  const event = new Event({ publisherIdentifier: 'test', payload: null });
  const params = { id: '7' };
  const context = new BuslineContext('orders/7', event, 'mqtt', params, 'orders/+id', 2);
  const args = [payload, context];
  const factory = new BuslineParamsFactory();

  it.each([
    ['the payload', PARAM_TYPES.payload, undefined, payload],
    ['a payload property', PARAM_TYPES.payload, 'quantity', '3'],
    ['the topic', PARAM_TYPES.topic, undefined, 'orders/7'],
    ['the event', PARAM_TYPES.event, undefined, event],
    ['the topic parameters', PARAM_TYPES.params, undefined, params],
    ['one topic parameter', PARAM_TYPES.params, 'id', '7'],
    ['an unknown topic parameter', PARAM_TYPES.params, 'nope', undefined],
    ['the context', PARAM_TYPES.context, undefined, context],
    ["another library's parameter", 3, undefined, undefined],
  ])('gives %s', (_what, type, data, expected) => {
    expect(factory.exchangeKeyForValue(type, data, args)).toBe(expected);
  });

  it('gives undefined for a property of a missing payload', () => {
    expect(factory.exchangeKeyForValue(PARAM_TYPES.payload, 'id', [null, context])).toBeUndefined();
  });
});
