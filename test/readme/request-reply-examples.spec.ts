import { join } from 'node:path';
import { root } from './markdown';

/* The examples of docs/request-reply.md: each exports main(), run here with what it prints. */

jest.setTimeout(30_000);

async function run(file: string): Promise<string[]> {
  const lines: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  });
  try {
    let example!: { main: () => Promise<void> };
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      example = require(join(root, file)) as typeof example;
    });
    await example.main();
  } finally {
    spy.mockRestore();
  }
  return lines;
}

it('request/reply: a reply, a remote failure, no responder, a timeout and a late reply', async () => {
  expect(await run('examples/request-reply.ts')).toEqual([
    'hello, Ada',
    'failed: tell me your name',
    'true',
    'true',
    'late replies: 1',
  ]);
});

it('request/reply in NestJS: one app asks, the other answers with a return value', async () => {
  expect(await run('examples/nest/request-reply.ts')).toEqual(['3998', 'unknown product desk']);
});
