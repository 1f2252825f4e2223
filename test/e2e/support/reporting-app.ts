import type { Type } from '@nestjs/common';
import type { BuslineError } from '../../../lib/core/errors/busline.error';
import { BuslineModule } from '../../../lib/nest/busline.module';
import type { BuslineErrorContext } from '../../../lib/nest/interfaces/busline-error-context.interface';
import type { BuslineModuleOptions } from '../../../lib/nest/interfaces/busline-module-options.interface';
import { startApp } from './harness';
import type { TransportProfile } from './transports';

/**
 * Inside a `describe`: `start(options)` starts an application of `consumer` with BuslineModule on
 * `profile`, its `onError` collecting into `reported` (emptied before each test); `options` add
 * to or override the module's.
 */
export function reportingApp(profile: TransportProfile, consumer: Type<unknown>) {
  const reported: { error: BuslineError; context: BuslineErrorContext }[] = [];
  beforeEach(() => {
    reported.length = 0;
  });
  const start = (options: BuslineModuleOptions = {}) =>
    startApp({
      imports: [
        BuslineModule.forRoot({
          ...profile.options(),
          onError: (error, context) => {
            reported.push({ error, context });
          },
          ...options,
        }),
        consumer,
      ],
    });
  return { reported, start };
}
