import type * as OtelApi from '@opentelemetry/api';

/** @internal The `@opentelemetry/api` module's exports. */
export type Otel = typeof OtelApi;

/*
 * Busline never loads `@opentelemetry/api` on import. It asks, per publish and per handler call,
 * whether the application registered a tracer (or meter) provider by reading the API's global
 * registry: one property of `globalThis`, under the key the API itself uses. Only when something is
 * registered there is the API loaded, once; when it is not installed, telemetry stays off.
 */

/** The key under which every copy of `@opentelemetry/api` 1.x keeps its global registrations. */
const GLOBAL_KEY = Symbol.for('opentelemetry.js.api.1');

interface OtelGlobals {
  trace?: unknown;
  metrics?: unknown;
}

type GlobalHolder = { [GLOBAL_KEY]?: OtelGlobals };

let api: Otel | null | undefined;

/** @internal The API module, loaded on first call; `undefined` when it is not installed. */
export function loadOtel(): Otel | undefined {
  if (api === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      api = require('@opentelemetry/api') as Otel;
    } catch {
      api = null;
    }
  }
  return api ?? undefined;
}

/**
 * @internal False when nothing at all is registered with any copy of the API: the fast path of
 * every publish and handler call, one property read.
 */
export function otelRegistered(): boolean {
  return (globalThis as GlobalHolder)[GLOBAL_KEY] !== undefined;
}

/**
 * @internal The API when the application registered a tracer provider, else `undefined` (then
 * Busline creates no span and writes no trace context).
 */
export function tracingApi(): Otel | undefined {
  return (globalThis as GlobalHolder)[GLOBAL_KEY]?.trace === undefined ? undefined : loadOtel();
}

/** @internal The API when the application registered a meter provider, else `undefined`. */
export function metricsApi(): Otel | undefined {
  return (globalThis as GlobalHolder)[GLOBAL_KEY]?.metrics === undefined ? undefined : loadOtel();
}

/** @internal Test hook: forget the loaded module (or pretend it is missing with `null`). */
export function setOtelForTesting(value: Otel | null | undefined): void {
  api = value;
}
