import { type DynamicModule, Module } from '@nestjs/common';
import { BuslineModule } from 'busline/nest';
import { mqttTransport, type ServiceConfig } from '../common/service.config';
import { SupplierNotifier } from './supplier.notifier';

/** The supplier notifier: an MQTT subscriber of new orders. */
@Module({})
export class SupplierNotifierModule {
  static register(config: ServiceConfig): DynamicModule {
    return {
      module: SupplierNotifierModule,
      imports: [
        BuslineModule.forRoot({
          identifier: 'supplier-notifier',
          mqtt: mqttTransport(config, { publish: false, subscribe: true }),
          onError: config.onError,
        }),
      ],
      providers: [SupplierNotifier],
    };
  }
}
