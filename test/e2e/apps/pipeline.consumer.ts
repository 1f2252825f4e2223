import {
  createParamDecorator,
  Injectable,
  Module,
  ParseIntPipe,
  UseFilters,
  UseGuards,
  UseInterceptors,
  UsePipes,
  ValidationPipe,
  type ExecutionContext,
} from '@nestjs/common';
import { Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { setTimeout as delay } from 'node:timers/promises';
import { Message } from '../../../lib/core/message.decorator';
import { JsonMessage } from '../../../lib/core/messages/json.message';
import type { BuslineContext } from '../../../lib/nest/busline-context';
import { Ctx } from '../../../lib/nest/decorators/ctx.decorator';
import { Payload } from '../../../lib/nest/decorators/payload.decorator';
import { Subscribe } from '../../../lib/nest/decorators/subscribe.decorator';
import { TopicParams } from '../../../lib/nest/decorators/topic-params.decorator';
import { Topic } from '../../../lib/nest/decorators/topic.decorator';
import {
  BackorderFilter,
  InjectedTimingInterceptor,
  MethodTimingInterceptor,
  OutOfStockError,
  OwnerGuard,
  Owners,
  PipelineProbe,
  UpperCasePipe,
  WrapFilter,
} from './pipeline.enhancers';
import { NS } from './topics';

/** Topics of the pipeline apps. */
export const PIPELINE_TOPICS = {
  packed: `${NS}/pipeline/packed/+id`,
  parsed: `${NS}/pipeline/parsed/+n`,
  guarded: `${NS}/pipeline/guarded`,
  backordered: `${NS}/pipeline/backordered`,
  wrapped: `${NS}/pipeline/wrapped`,
  counted: `${NS}/pipeline/counted`,
  plain: `${NS}/pipeline/plain`,
} as const;

/** A parcel; its weight is text, which a pipe parses. */
@Message('e2e.Parcel')
export class Parcel extends JsonMessage {
  id = '';
  weight = '0';
  owner = 'ada';

  static of(id: string, weight = '0', owner = 'ada'): Parcel {
    return Object.assign(new Parcel(), { id, weight, owner });
  }
}

/** Counts its calls: how many times class-validator checked a {@link CountedOrder}. */
@ValidatorConstraint({ name: 'countedSku' })
export class CountedSku implements ValidatorConstraintInterface {
  static calls = 0;

  validate(sku: unknown): boolean {
    CountedSku.calls++;
    return typeof sku === 'string' && sku.length > 0;
  }

  defaultMessage(): string {
    return 'sku must not be empty';
  }
}

/** A message whose validation counts its runs. */
@Message('e2e.CountedOrder')
export class CountedOrder extends JsonMessage {
  @Validate(CountedSku)
  sku = '';

  static of(sku: string): CountedOrder {
    return Object.assign(new CountedOrder(), { sku });
  }
}

/** A parameter decorator of the user's own, made with Nest's createParamDecorator(). */
export const ParcelOwner = createParamDecorator(
  (_data: unknown, context: ExecutionContext) =>
    `${context.switchToRpc().getData<Parcel>().owner}@${context.getType()}`,
);

/** Handlers with enhancers on the class and on the methods. */
@Injectable()
@UseInterceptors(InjectedTimingInterceptor)
export class PipelineConsumer {
  constructor(private readonly probe: PipelineProbe) {}

  /** Waits `weight` ms; fails for ids starting with 'bad'. */
  @Subscribe(PIPELINE_TOPICS.packed)
  async packed(@Payload() parcel: Parcel, @Ctx() context: BuslineContext): Promise<string> {
    await delay(Number(parcel.weight));
    this.probe.handled.push(['packed', parcel.id, context]);
    if (parcel.id.startsWith('bad')) throw new Error(`cannot pack ${parcel.id}`);
    return `packed ${parcel.id}`;
  }

  @Subscribe(PIPELINE_TOPICS.parsed)
  @UsePipes(UpperCasePipe)
  parsed(
    @Payload('weight', ParseIntPipe) weight: number,
    @TopicParams('n', ParseIntPipe) n: number,
    @Topic() topic: string,
    @ParcelOwner() owner: string,
  ): void {
    this.probe.handled.push(['parsed', weight, n, topic, owner]);
  }

  @Subscribe(PIPELINE_TOPICS.guarded)
  @UseGuards(OwnerGuard)
  @UseInterceptors(MethodTimingInterceptor)
  @Owners('ada')
  guarded(@Payload() parcel: Parcel): void {
    this.probe.handled.push(['guarded', parcel.id]);
  }

  /** Out of stock: the filter handles it. Any other failure is not its business. */
  @Subscribe(PIPELINE_TOPICS.backordered)
  @UseFilters(BackorderFilter)
  backordered(@Payload() parcel: Parcel): string {
    if (parcel.id.startsWith('none')) throw new OutOfStockError(`no stock for ${parcel.id}`);
    if (parcel.id.startsWith('bad')) throw new TypeError(`cannot ship ${parcel.id}`);
    this.probe.handled.push(['backordered', parcel.id]);
    return `shipped ${parcel.id}`;
  }

  @Subscribe(PIPELINE_TOPICS.wrapped)
  @UseFilters(WrapFilter)
  wrapped(@Payload() parcel: Parcel): void {
    throw new Error(`no carrier for ${parcel.id}`);
  }

  /** Validated by Busline, with ValidationPipes on the method (and, in a test, global). */
  @Subscribe(PIPELINE_TOPICS.counted)
  @UsePipes(new ValidationPipe({ transform: true }))
  counted(@Payload() order: CountedOrder): void {
    this.probe.handled.push(['counted', order.sku]);
  }

  /** Default arguments, no enhancer of its own. */
  @Subscribe(PIPELINE_TOPICS.plain)
  plain(topic: string): string {
    this.probe.handled.push(['plain', topic]);
    return `plain ${topic}`;
  }
}

@Module({
  providers: [
    PipelineProbe,
    PipelineConsumer,
    InjectedTimingInterceptor,
    MethodTimingInterceptor,
    OwnerGuard,
    BackorderFilter,
  ],
  exports: [PipelineProbe],
})
export class PipelineConsumerModule {}
