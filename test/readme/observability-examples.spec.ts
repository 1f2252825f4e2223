import { join } from 'node:path';
import { root } from './markdown';

/* The examples of docs/observability.md, run with what they print compared. */

jest.setTimeout(30_000);

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

describe('observability examples', () => {
  it('health: Terminus reports the MQTT transport down while the broker is away, and the client streams each change', async () => {
    const lines = await run('examples/nest/health.ts');
    const checks = lines.filter((line) => /^\d{3} /.test(line));
    expect(checks).toEqual(['200 mqtt connected', '503 mqtt reconnecting', '200 mqtt connected']);
    // Publisher and subscriber each: lost, back, then closed with the app.
    const changes = lines.filter((line) => !/^\d{3} /.test(line));
    for (const role of ['publisher', 'subscriber']) {
      expect(changes.filter((line) => line.startsWith(role))).toEqual([
        `${role}: reconnecting`,
        `${role}: connected`,
      ]);
    }
  });
});
