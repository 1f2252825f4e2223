import { type DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { BuslineModule } from 'busline/nest';
import { mqttTransport, type ServiceConfig } from '../common/service.config';
import { OrdersController } from './orders.controller';

/** The e-commerce backend: an HTTP API whose orders go out over MQTT. */
@Module({})
export class BackendModule {
  static register(config: ServiceConfig): DynamicModule {
    return {
      module: BackendModule,
      imports: [
        BuslineModule.forRoot({
          identifier: 'backend',
          mqtt: mqttTransport(config, { publish: true, subscribe: false }),
          onError: config.onError,
          flowPage: config.flowPage,
        }),
      ],
      controllers: [OrdersController],
      providers: [
        // An invalid order is answered with 400 and never published.
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({
            transform: true,
            whitelist: true,
            forbidNonWhitelisted: true,
          }),
        },
      ],
    };
  }
}
