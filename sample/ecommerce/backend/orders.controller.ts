import { Body, Controller, HttpCode, HttpStatus, Logger, Post } from '@nestjs/common';
import { PubSubClient } from 'busline';
import { Publishes } from 'busline/nest';
import { NewOrderMessage, Order } from '../orders/order.messages';
import { MQTT, NEW_ORDER_TOPIC } from '../orders/topics';

/** What `POST /orders` answers: the order is on its way to the other services. */
export interface PlacedOrder {
  /** Identifier of the event that carries the order; every service sees the same one. */
  event: string;
  user: string;
  products: number;
  total: number;
}

/** The logger context of the backend's lines. */
export const BACKEND = 'Backend';

/** The backend's HTTP side: a user places an order, the backend publishes it over MQTT. */
@Controller('orders')
export class OrdersController {
  private readonly logger = new Logger(BACKEND);

  constructor(private readonly bus: PubSubClient) {}

  /** `POST /orders` with `{ user, products: [{ name, price }] }`; 400 when the order is invalid. */
  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @Publishes(NEW_ORDER_TOPIC, NewOrderMessage, {
    transport: MQTT,
    description: 'Every order placed through POST /orders.',
  })
  async place(@Body() order: Order): Promise<PlacedOrder> {
    const names = order.products.map((product) => product.name).join(', ');
    this.logger.log(
      `POST /orders over HTTP: ${order.user} orders ${names} -> ${NEW_ORDER_TOPIC} over ${MQTT}`,
    );
    const event = await this.bus.publish(NEW_ORDER_TOPIC, NewOrderMessage.of(order));
    return {
      event: event.identifier,
      user: order.user,
      products: order.products.length,
      total: order.total,
    };
  }
}
