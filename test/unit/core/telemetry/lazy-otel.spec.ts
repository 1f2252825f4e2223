import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/*
 * `require('busline')` loads no `@opentelemetry` module, and neither does publishing and handling
 * events with no provider registered: the API is loaded the first time a publish or a handler
 * finds a provider registered. Run in a fresh Node process, as a user's application starts.
 */

const ROOT = join(__dirname, '../../../..');

function run(script: string): string[] {
  const result = spawnSync(process.execPath, ['-r', '@swc-node/register', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as string[];
}

const PROBE = `
const Module = require('node:module');
const loaded = new Set();
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const file = resolve.call(this, request, ...rest);
  if (/node_modules[\\\\/]@opentelemetry[\\\\/]/.test(file)) loaded.add(request);
  return file;
};
`;

describe('@opentelemetry/api is loaded lazily', () => {
  it('is not loaded by require(busline), nor by publishing and handling without a provider', () => {
    const loaded = run(`${PROBE}
      const busline = require('./lib/index.ts');
      (async () => {
        const eventbus = new busline.AsyncLocalEventBus();
        const publisher = new busline.LocalPublisher({ eventbus });
        const subscriber = new busline.LocalSubscriber({ eventbus });
        await publisher.connect();
        await subscriber.connect();
        let handled = 0;
        await subscriber.subscribe('t', () => void handled++);
        await publisher.publish('t', 'x');
        await subscriber.drain();
        if (handled !== 1) throw new Error('not handled');
        console.log(JSON.stringify([...loaded]));
      })();`);
    expect(loaded).toEqual([]);
  });

  it('is loaded once the application registered a tracer provider and publishes', () => {
    const loaded = run(`${PROBE}
      const busline = require('./lib/index.ts');
      (async () => {
        const api = require('@opentelemetry/api');
        const { BasicTracerProvider } = require('@opentelemetry/sdk-trace-base');
        api.trace.setGlobalTracerProvider(new BasicTracerProvider());
        loaded.clear();
        const publisher = new busline.LocalPublisher({ eventbus: new busline.AsyncLocalEventBus() });
        await publisher.connect();
        const event = await publisher.publish('t', 'x');
        console.log(JSON.stringify([...loaded, event.headers.traceparent ? 'traced' : 'untraced']));
      })();`);
    expect(loaded).toEqual(['@opentelemetry/api', 'traced']);
  });
});
