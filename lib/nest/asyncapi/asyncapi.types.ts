/** A JSON Schema (the AsyncAPI Schema Object, a superset of JSON Schema draft 7). */
export type JsonSchema = { [keyword: string]: unknown };

/** A JSON value: what an AsyncAPI document is made of. */
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * An AsyncAPI 3.0 document, as plain JSON data. The shape follows the specification
 * (https://www.asyncapi.com/docs/reference/specification/v3.0.0); Busline adds `x-busline-*`
 * fields: on operations the handler (`x-busline-handler`, `ClassName.method`), the service
 * (`x-busline-service`, the module's `identifier`) and the transports (`x-busline-transports`);
 * on channels the MQTT filter (`x-busline-filter`); on messages the message type, the payload
 * format and the envelope (`x-busline-message-type`, `x-busline-payload-format`,
 * `x-busline-envelope`).
 */
export interface AsyncApiDocument {
  asyncapi: '3.0.0';
  info: {
    title: string;
    version: string;
    description?: string;
    [key: string]: JsonValue | undefined;
  };
  defaultContentType?: string;
  servers?: Record<string, JsonSchema>;
  channels: Record<string, JsonSchema>;
  operations: Record<string, JsonSchema>;
  components: {
    messages?: Record<string, JsonSchema>;
    schemas?: Record<string, JsonSchema>;
    messageTraits?: Record<string, JsonSchema>;
    [key: string]: Record<string, JsonSchema> | undefined;
  };
  [extension: `x-${string}`]: JsonValue;
}

/** Options of `createAsyncApiDocument()`. */
export interface AsyncApiDocumentOptions {
  /** `info.title` (default: the applications' Busline identifiers, or `'Busline events'`). */
  title?: string;
  /** `info.version`: the version of the API the document describes (default `'1.0.0'`). */
  version?: string;
  /** `info.description`. */
  description?: string;
  /**
   * Replace what a server says (by server id, the transport name such as `'mqtt'`): say the
   * broker's public host instead of the one the application connects to.
   */
  servers?: Record<string, { host?: string; protocol?: string; description?: string }>;
}

/** @internal Any class (a message class, a nested field's class). */
export type ClassRef = abstract new (...args: never[]) => unknown;
