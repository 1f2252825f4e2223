import type * as NestCommon from '@nestjs/common';
import { printed } from './run-example';

/* The example of docs/flow-page.md, run with what it prints compared. */

jest.setTimeout(30_000);

it('flow page: an application serves its flow with live counters and its AsyncAPI document', async () => {
  const lines = await printed('examples/nest/flow-page.ts', {
    // Busline logs the failing handler through this registry's Logger: keep the output quiet.
    beforeLoad: () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Logger } = require('@nestjs/common') as typeof NestCommon;
      jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    },
  });
  expect(lines).toEqual([
    'greeter: Greeter.onGreeting <- greetings: 2 events, 1 failed',
    'AsyncAPI 3.0.0',
  ]);
});
