import { type DynamicModule, Module } from '@nestjs/common';
import { LocalEventBus } from 'busline';
import { BuslineModule } from 'busline/nest';
import { mqttTransport, type ServiceConfig } from '../common/service.config';
import { LOCAL } from '../orders/topics';
import { DataProcessor } from './data.processor';

/**
 * The data processor: subscribes to new orders over MQTT, publishes on the local bus it shares
 * with the AI model (so the two run in one process).
 */
@Module({})
export class DataProcessorModule {
  static register(config: ServiceConfig): DynamicModule {
    return {
      module: DataProcessorModule,
      imports: [
        BuslineModule.forRoot({
          identifier: 'data-processor',
          mqtt: mqttTransport(config, { publish: false, subscribe: true }),
          local: { name: LOCAL, eventbus: config.eventbus ?? new LocalEventBus() },
          onError: config.onError,
        }),
      ],
      providers: [DataProcessor],
    };
  }
}
