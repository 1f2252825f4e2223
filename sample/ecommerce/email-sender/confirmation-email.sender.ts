import { Injectable, Logger } from '@nestjs/common';
import { type Event } from 'busline';
import { Envelope, Payload, Subscribe } from 'busline/nest';
import { shortId } from '../common/describe-order';
import { NewOrderMessage } from '../orders/order.messages';
import { MQTT, NEW_ORDER_TOPIC } from '../orders/topics';

/** A confirmation e-mail, as the sender "sends" it (into its outbox). */
export interface ConfirmationEmail {
  /** The event that carried the order. */
  eventId: string;
  to: string;
  subject: string;
}

/**
 * MQTT shared-subscription group of the e-mail senders (environment `EMAIL_SENDER_GROUP`). Set it,
 * and run several senders against an MQTT 5 broker such as Mosquitto: the broker hands each order
 * to one of them, so each e-mail goes out once. Unset (the default), every sender gets every order.
 */
export const EMAIL_SENDER_GROUP: string | undefined = process.env.EMAIL_SENDER_GROUP || undefined;

/** Sends the user a confirmation e-mail for every new order. */
@Injectable()
export class ConfirmationEmailSender {
  /** The e-mails sent, oldest first. */
  readonly outbox: ConfirmationEmail[] = [];
  private readonly logger = new Logger(ConfirmationEmailSender.name);

  @Subscribe(NEW_ORDER_TOPIC, {
    transport: MQTT,
    ...(EMAIL_SENDER_GROUP !== undefined && { group: EMAIL_SENDER_GROUP }),
  })
  onNewOrder(@Payload() message: NewOrderMessage, @Envelope() event: Event): void {
    const { order } = message;
    const count = order.products.length;
    const email: ConfirmationEmail = {
      eventId: event.identifier,
      to: order.user,
      subject: `Your order of ${count} product${count === 1 ? '' : 's'} (${order.total.toFixed(2)})`,
    };
    this.outbox.push(email);
    this.logger.log(
      `${NEW_ORDER_TOPIC} over ${MQTT} from ${event.publisherIdentifier} (event ${shortId(event.identifier)}): ` +
        `e-mail "${email.subject}" sent to ${email.to}`,
    );
  }
}
