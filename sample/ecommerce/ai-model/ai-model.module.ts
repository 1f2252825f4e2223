import { type DynamicModule, Module } from '@nestjs/common';
import { LocalEventBus } from 'busline';
import { BuslineModule } from 'busline/nest';
import type { ServiceConfig } from '../common/service.config';
import { LOCAL } from '../orders/topics';
import { AIModel } from './ai.model';

/** The AI model: a subscriber of the local bus it shares with the data processor. */
@Module({})
export class AIModelModule {
  static register(config: Pick<ServiceConfig, 'eventbus' | 'onError'>): DynamicModule {
    return {
      module: AIModelModule,
      imports: [
        BuslineModule.forRoot({
          identifier: 'ai-model',
          local: { name: LOCAL, eventbus: config.eventbus ?? new LocalEventBus() },
          onError: config.onError,
        }),
      ],
      providers: [AIModel],
    };
  }
}
