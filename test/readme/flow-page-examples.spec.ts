import { join } from 'node:path';
import type * as NestCommon from '@nestjs/common';
import { root } from './markdown';

/* The example of docs/flow-page.md, run with what it prints compared. */

jest.setTimeout(30_000);

it('flow page: an application serves its flow with live counters and its AsyncAPI document', async () => {
  const lines: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  });
  try {
    let example!: { main: () => Promise<void> };
    jest.isolateModules(() => {
      // Busline logs the failing handler through this registry's Logger: keep the output quiet.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Logger } = require('@nestjs/common') as typeof NestCommon;
      jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      example = require(join(root, 'examples/nest/flow-page.ts')) as typeof example;
    });
    await example.main();
  } finally {
    spy.mockRestore();
  }
  expect(lines).toEqual([
    'greeter: Greeter.onGreeting <- greetings: 2 events, 1 failed',
    'AsyncAPI 3.0.0',
  ]);
});
