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

  it('a copy loaded before the registration and a copy loaded after both see it, and its removal', () => {
    const seen = run(`${PROBE}
      const api = require('@opentelemetry/api');
      const { BasicTracerProvider } = require('@opentelemetry/sdk-trace-base');
      const early = require('./lib/core/telemetry/otel-api.ts');
      api.trace.setGlobalTracerProvider(new BasicTracerProvider());
      // A second copy of the module (another installed busline) loaded after the first.
      for (const file of Object.keys(require.cache)) {
        if (file.includes('telemetry')) delete require.cache[file];
      }
      const late = require('./lib/core/telemetry/otel-api.ts');
      const before = [early.tracingApi() !== undefined, late.tracingApi() !== undefined];
      api.trace.disable();
      const after = [early.tracingApi() !== undefined, late.tracingApi() !== undefined];
      api.metrics.setGlobalMeterProvider({ getMeter: () => api.metrics.getMeter('x') });
      const metered = [early.metricsApi() !== undefined, late.metricsApi() !== undefined];
      console.log(JSON.stringify([...before, ...after, ...metered]));`);
    expect(seen).toEqual([true, true, false, false, true, true]);
  });

  it('sees a provider the application registered before requiring busline', () => {
    const seen = run(`${PROBE}
      const api = require('@opentelemetry/api');
      const { BasicTracerProvider } = require('@opentelemetry/sdk-trace-base');
      api.trace.setGlobalTracerProvider(new BasicTracerProvider());
      const busline = require('./lib/index.ts');
      (async () => {
        const publisher = new busline.LocalPublisher({ eventbus: new busline.AsyncLocalEventBus() });
        await publisher.connect();
        const event = await publisher.publish('t', 'x');
        console.log(JSON.stringify([event.headers.traceparent ? 'traced' : 'untraced']));
      })();`);
    expect(seen).toEqual(['traced']);
  });
});
