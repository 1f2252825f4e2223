import type { DynamicModule } from '@nestjs/common';
import { AIModelModule } from './ai-model/ai-model.module';
import { BackendModule } from './backend/backend.module';
import type { ServiceConfig } from './common/service.config';
import { DataProcessorModule } from './data-processor/data-processor.module';
import { EmailSenderModule } from './email-sender/email-sender.module';
import { SupplierNotifierModule } from './supplier-notifier/supplier-notifier.module';

/**
 * The root modules of the five services, for `busline asyncapi sample/ecommerce/asyncapi.modules.ts`
 * (which builds them without connecting anything) and for tests. The broker is
 * `BUSLINE_MQTT_URL`, or Mosquitto's usual address.
 */
export default function ecommerceModules(
  config: ServiceConfig = { mqttUrl: process.env.BUSLINE_MQTT_URL || 'mqtt://127.0.0.1:1883' },
): DynamicModule[] {
  return [
    BackendModule.register(config),
    EmailSenderModule.register(config),
    SupplierNotifierModule.register(config),
    DataProcessorModule.register(config),
    AIModelModule.register(config),
  ];
}
