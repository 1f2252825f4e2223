import { Injectable, Logger } from '@nestjs/common';
import { type Event } from 'busline';
import { Envelope, Payload, Subscribe } from 'busline/nest';
import { describeProducts, shortId } from '../common/describe-order';
import { NewOrderMessage } from '../orders/order.messages';
import { MQTT, NEW_ORDER_TOPIC } from '../orders/topics';

/** What the supplier is told about an order. */
export interface SupplierNotice {
  /** The event that carried the order. */
  eventId: string;
  user: string;
  products: string[];
}

/** Tells the supplier what to ship for every new order. */
@Injectable()
export class SupplierNotifier {
  /** The notices sent, oldest first. */
  readonly notices: SupplierNotice[] = [];
  private readonly logger = new Logger(SupplierNotifier.name);

  @Subscribe(NEW_ORDER_TOPIC, { transport: MQTT })
  onNewOrder(@Payload() message: NewOrderMessage, @Envelope() event: Event): void {
    const { order } = message;
    this.notices.push({
      eventId: event.identifier,
      user: order.user,
      products: order.products.map((product) => product.name),
    });
    this.logger.log(
      `${NEW_ORDER_TOPIC} over ${MQTT} from ${event.publisherIdentifier} (event ${shortId(event.identifier)}): ` +
        `supplier notified to ship ${describeProducts(order)} to ${order.user}`,
    );
  }
}
