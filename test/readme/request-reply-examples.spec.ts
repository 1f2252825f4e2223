import { printed } from './run-example';

/* The examples of docs/request-reply.md: each exports main(), run here with what it prints. */

jest.setTimeout(30_000);

const run = (file: string) => printed(file, { isolated: true });

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
