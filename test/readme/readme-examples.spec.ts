import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { render, MARKER } = require('../../scripts/readme-examples.js') as {
  render: (readme: string) => string;
  MARKER: RegExp;
};

const root = join(__dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** Run an example's main() and return what it printed. */
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

describe('README examples', () => {
  it('stand in the README exactly as in examples/', () => {
    expect(render(readme)).toBe(readme);
  });

  it('are every ts block of the README: no code there goes unchecked', () => {
    const listed = [...readme.matchAll(MARKER)].length;
    expect(readme.match(/```ts\n/g)?.length).toBe(listed);
  });

  it('are all listed and all exist as files', () => {
    const files = [...readme.matchAll(MARKER)].map((m) => m[1]);
    expect(files).toEqual(
      expect.arrayContaining([
        'examples/quick-start.ts',
        'examples/handlers-and-iterators.ts',
        'examples/custom-transport.ts',
        'examples/messages.ts',
        'examples/registry-and-wire.ts',
        'examples/binary-envelope.ts',
      ]),
    );
  });

  it('quick start: the standalone subscriber prints 0..9', async () => {
    const lines = await run('examples/quick-start.ts');
    expect(lines).toEqual(Array.from({ length: 10 }, (_, n) => `numbers -> ${n}`));
  });

  it('handlers and iterators: handlers, the multi handler and the unhandled iterator', async () => {
    const lines = await run('examples/handlers-and-iterators.ts');
    expect(lines).toEqual([
      'got something on alerts/disk/full',
      'nobody handles misc (nobody listens)',
      'greetings/en: hello\nalerts/disk/full: disk is full',
    ]);
  });

  it('custom transport: the console publisher and the tiny bus', async () => {
    const lines = await run('examples/custom-transport.ts');
    expect(lines).toEqual([
      '[console] orders/1 <- created',
      '[console] published 36-character id on orders/1',
      '[tiny] pings',
    ]);
  });

  it('messages: wrappers, JSON and Avro messages round-trip', async () => {
    const lines = await run('examples/messages.ts');
    expect(lines).toEqual([
      'utf-8 hello',
      '{"value": 42}',
      'true',
      '0.5',
      'true 2020',
      'true 19.9',
    ]);
  });

  it('registry and wire: an event through the JSON envelope and back', async () => {
    const lines = await run('examples/registry-and-wire.ts');
    expect(lines).toEqual(['true', 'ping', 'true', 'true true', '7']);
  });

  it('binary envelope: published binary, read by the default subscriber', async () => {
    expect(await run('examples/binary-envelope.ts')).toEqual(['greetings: hello']);
  });
});
