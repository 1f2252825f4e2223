import { ConfigurableModuleBuilder } from '@nestjs/common';
import { BUSLINE_MODULE_OPTIONS } from './busline.constants';
import type { BuslineModuleOptions } from './interfaces/busline-module-options.interface';

/**
 * `forRoot` / `forRootAsync` of {@link BuslineModule}, global unless `isGlobal: false`. Not
 * exported from `busline/nest`, but in its declarations: `BuslineModule` extends the class.
 */
export const { ConfigurableModuleClass: ConfigurableBuslineModule } =
  new ConfigurableModuleBuilder<BuslineModuleOptions>({
    moduleName: 'Busline',
    optionsInjectionToken: BUSLINE_MODULE_OPTIONS,
  })
    .setClassMethodName('forRoot')
    .setFactoryMethodName('createBuslineOptions')
    .setExtras({ isGlobal: true }, (definition, extras) => ({
      ...definition,
      global: extras.isGlobal,
    }))
    .build();
