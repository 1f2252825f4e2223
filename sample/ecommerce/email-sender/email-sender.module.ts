import { type DynamicModule, Module } from '@nestjs/common';
import { BuslineModule } from 'busline/nest';
import { mqttTransport, type ServiceConfig } from '../common/service.config';
import { ConfirmationEmailSender, EMAIL_SENDER_GROUP } from './confirmation-email.sender';

/** The confirmation e-mail sender: an MQTT subscriber of new orders. */
@Module({})
export class EmailSenderModule {
  static register(config: ServiceConfig): DynamicModule {
    return {
      module: EmailSenderModule,
      imports: [
        BuslineModule.forRoot({
          identifier: 'email-sender',
          // Shared subscriptions are MQTT 5.
          mqtt: mqttTransport(config, {
            publish: false,
            subscribe: true,
            mqtt5: EMAIL_SENDER_GROUP !== undefined,
          }),
          onError: config.onError,
        }),
      ],
      providers: [ConfirmationEmailSender],
    };
  }
}
