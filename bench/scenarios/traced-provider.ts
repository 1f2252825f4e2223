import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** A span processor that drops every span: the cost measured is Busline's and the SDK's, no export. */
const dropping: SpanProcessor = {
  onStart: () => undefined,
  onEnd: () => undefined,
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

/**
 * Register, for the rest of this process, what a traced application registers: the SDK's tracer
 * provider (sampling every span) and the async-hooks context manager; its spans are dropped. The
 * `busline-traced` contenders call it before they set up, so the bench compares Busline with and
 * without a provider.
 */
export function registerDroppingTracerProvider(): void {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [dropping] }));
}
