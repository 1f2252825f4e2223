import type * as OtelApi from '@opentelemetry/api';

/** @internal The `@opentelemetry/api` module's exports. */
export type Otel = typeof OtelApi;

/*
 * Busline never loads `@opentelemetry/api` on import. It asks, per publish and per handler call,
 * whether the application registered a tracer (or meter) provider by reading the API's global
 * registry, the object every copy of the API keeps on `globalThis` under one well-known key. Only
 * when something is registered there is the API loaded, once; when it is not installed,
 * telemetry stays off.
 *
 * Reading `globalThis` on every event costs about a tenth of a local publish, so Busline keeps
 * the registry in a variable of its own: found at import if the API is already in use, else
 * caught as the API creates it (the key becomes an accessor that hands the object to Busline and
 * back to the API; the registry object, once made, is never replaced). The fast path is then one
 * property read, `OTEL_PRESENCE.registered`, false until that object exists.
 */

/** The key under which every copy of `@opentelemetry/api` 1.x keeps its global registrations. */
const GLOBAL_KEY = Symbol.for('opentelemetry.js.api.1');

interface OtelGlobals {
  trace?: unknown;
  metrics?: unknown;
}

type GlobalHolder = { [GLOBAL_KEY]?: OtelGlobals };

/**
 * @internal Whether anything at all is registered with any copy of the API: the fast path of every
 * publish and handler call reads `registered`, a property of this object. Modules on that path keep
 * the object in a constant of their own, so the read is one property load in any module format
 * (an imported binding can compile to a getter call).
 */
export const OTEL_PRESENCE = { registered: false };

/** The API's global registry, once some copy of the API made it. */
let registry: OtelGlobals | undefined = found(watchRegistry());

/** Remember `value` as the registry (set once: the registry object is never replaced). */
function found(value: OtelGlobals | undefined): OtelGlobals | undefined {
  if (value !== undefined) OTEL_PRESENCE.registered = true;
  return value;
}

function watchRegistry(): OtelGlobals | undefined {
  const holder = globalThis as GlobalHolder;
  const existing = Object.getOwnPropertyDescriptor(holder, GLOBAL_KEY);
  if (existing?.value !== undefined || existing?.get !== undefined) {
    // Made already, or watched by another copy of Busline (whose accessor keeps it).
    if (existing.get === undefined) return existing.value as OtelGlobals;
    const { get, set } = existing;
    Object.defineProperty(holder, GLOBAL_KEY, {
      configurable: true,
      get,
      set: (value: OtelGlobals) => {
        set?.call(holder, value);
        registry = found(value);
      },
    });
    return get.call(holder) as OtelGlobals | undefined;
  }
  let value: OtelGlobals | undefined;
  Object.defineProperty(holder, GLOBAL_KEY, {
    configurable: true,
    get: () => value,
    set: (next: OtelGlobals) => {
      value = next;
      registry = found(next);
    },
  });
  return undefined;
}

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
 * @internal The API when the application registered a tracer provider, else `undefined` (then
 * Busline creates no span and writes no trace context).
 */
export function tracingApi(): Otel | undefined {
  return registry?.trace === undefined ? undefined : loadOtel();
}

/** @internal The API when the application registered a meter provider, else `undefined`. */
export function metricsApi(): Otel | undefined {
  return registry?.metrics === undefined ? undefined : loadOtel();
}

/** @internal Test hook: forget the loaded module (or pretend it is missing with `null`). */
export function setOtelForTesting(value: Otel | null | undefined): void {
  api = value;
}
