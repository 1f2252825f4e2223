import { join } from 'node:path';
import { root } from './markdown';

/* The tracing and metrics examples of docs/observability.md, run with what they print compared. */

async function run(file: string): Promise<string[]> {
  const lines: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  });
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const example = require(join(root, file)) as { main: () => Promise<void> };
    await example.main();
  } finally {
    spy.mockRestore();
  }
  return lines;
}

describe('telemetry examples', () => {
  it('tracing: one trace from the first publish to the handler of the follow-up', async () => {
    const lines = await run('examples/tracing.ts');
    expect(lines[0]).toMatch(/^traceparent: 00-[0-9a-f]{12}\.\.\.$/);
    expect(lines.slice(1)).toEqual([
      'publish orders/42/placed [PRODUCER]',
      '  process orders/+/placed [CONSUMER]',
      '    publish orders/shipped [PRODUCER]',
      '      process orders/shipped [CONSUMER]',
    ]);
  });

  it('metrics: the counters and the histogram of a run with a failure', async () => {
    const lines = await run('examples/metrics.ts');
    expect(lines).toEqual([
      'messaging.client.sent.messages: 3',
      'messaging.client.consumed.messages: 3',
      'busline.handler.failures: 1',
      'messaging.process.duration: 3 handler calls',
    ]);
  });
});
