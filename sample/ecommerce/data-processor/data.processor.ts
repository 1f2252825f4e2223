import { Injectable, Logger } from '@nestjs/common';
import { type Event, Int64Message } from 'busline';
import { BuslineClient, Envelope, Payload, Publishes, Subscribe } from 'busline/nest';
import { shortId } from '../common/describe-order';
import { NewOrderMessage } from '../orders/order.messages';
import { INBOUND_DATA_TOPIC, LOCAL, MQTT, NEW_ORDER_TOPIC } from '../orders/topics';

/** What the data processor passed on for one order. */
export interface ForwardedSample {
  /** The event that carried the order. */
  eventId: string;
  productCount: number;
}

/**
 * Turns every new order (from MQTT) into a training sample, its number of products, and hands it
 * to the AI model over the local bus: same process, no broker, no serialization.
 */
@Injectable()
export class DataProcessor {
  /** The samples passed on, oldest first. */
  readonly forwarded: ForwardedSample[] = [];
  private readonly logger = new Logger(DataProcessor.name);

  // BuslineClient rather than PubSubClient: it knows its transports by name.
  constructor(private readonly bus: BuslineClient) {}

  @Subscribe(NEW_ORDER_TOPIC, { transport: MQTT })
  @Publishes(INBOUND_DATA_TOPIC, Int64Message, {
    transport: LOCAL,
    description: 'The number of products of each order: a training sample for the AI model.',
  })
  async onNewOrder(@Payload() message: NewOrderMessage, @Envelope() event: Event): Promise<void> {
    const productCount = message.order.products.length;
    this.logger.log(
      `${NEW_ORDER_TOPIC} over ${MQTT} from ${event.publisherIdentifier} (event ${shortId(event.identifier)}): ` +
        `${productCount} product${productCount === 1 ? '' : 's'} -> ${INBOUND_DATA_TOPIC} over ${LOCAL}`,
    );
    await this.bus.publish(INBOUND_DATA_TOPIC, productCount, { transport: LOCAL });
    this.forwarded.push({ eventId: event.identifier, productCount });
  }
}
