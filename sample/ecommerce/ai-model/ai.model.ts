import { Injectable, Logger } from '@nestjs/common';
import { type Event, Int64Message } from 'busline';
import { Envelope, Payload, Subscribe } from 'busline/nest';
import { INBOUND_DATA_TOPIC, LOCAL } from '../orders/topics';

/**
 * A model trained online on the data processor's samples. Its "model" is the running mean of
 * products per order: enough to show that every sample arrived, in order, on the local bus.
 */
@Injectable()
export class AIModel {
  /** The values trained on, oldest first. */
  readonly samples: number[] = [];
  private mean = 0;
  private readonly logger = new Logger(AIModel.name);

  @Subscribe(INBOUND_DATA_TOPIC, { transport: LOCAL })
  onInboundData(@Payload() sample: Int64Message, @Envelope() event: Event): void {
    const value = Number(sample.value);
    this.samples.push(value);
    this.mean += (value - this.mean) / this.samples.length;
    this.logger.log(
      `${INBOUND_DATA_TOPIC} over ${LOCAL} from ${event.publisherIdentifier}: online training with value ${value} ` +
        `(mean ${this.mean.toFixed(2)} products per order after ${this.samples.length} sample${this.samples.length === 1 ? '' : 's'})`,
    );
  }

  /** What the model has learnt so far: the mean number of products per order. */
  get meanProductsPerOrder(): number {
    return this.mean;
  }
}
