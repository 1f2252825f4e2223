import type { AsyncApiDocument, JsonSchema } from '../asyncapi/asyncapi.types';
import type { FlowMessage } from './flow-model';

/*
 * What an application declares, read from its AsyncAPI document (createAsyncApiDocument), so the
 * page and the document never disagree: `receive` operations are handlers, `send` operations
 * declared publications, the document's messages the message types with their schema and example.
 */

/** @internal A declared handler or publication. */
export interface DeclaredOperation {
  /** `ClassName.method` (or `ClassName` for a class-wide `@Publishes`). */
  readonly binding: string;
  /** The topic filter, as subscribed (with '$share/<group>/' for a shared subscription). */
  readonly filter: string;
  readonly transports: readonly string[];
  readonly messageType: string | undefined;
}

/** @internal What an application declares. */
export interface FlowDeclarations {
  readonly handlers: readonly DeclaredOperation[];
  readonly publications: readonly DeclaredOperation[];
  readonly messages: ReadonlyMap<string, FlowMessage>;
}

const REF = /^#\/(.+)$/;

/** The object a `$ref` of the document points to. */
function resolve(document: AsyncApiDocument, ref: unknown): JsonSchema | undefined {
  const match = typeof ref === 'string' ? REF.exec(ref) : null;
  if (match === null) return undefined;
  let node: unknown = document;
  for (const part of match[1].split('/')) {
    node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/')];
  }
  return node as JsonSchema | undefined;
}

/** `schema` with the document's `$ref`s inlined (each at most once per path: no cycles). */
function inline(
  document: AsyncApiDocument,
  schema: unknown,
  seen: readonly string[] = [],
): unknown {
  if (Array.isArray(schema)) return schema.map((item) => inline(document, item, seen));
  if (typeof schema !== 'object' || schema === null) return schema;
  const ref = (schema as { $ref?: unknown }).$ref;
  if (typeof ref === 'string' && !seen.includes(ref)) {
    const target = resolve(document, ref);
    if (target !== undefined) return inline(document, target, [...seen, ref]);
  }
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) copy[key] = inline(document, value, seen);
  return copy;
}

/** @internal The handlers, publications and messages an AsyncAPI document declares. */
export function flowDeclarations(document: AsyncApiDocument): FlowDeclarations {
  const handlers: DeclaredOperation[] = [];
  const publications: DeclaredOperation[] = [];
  const messages = new Map<string, FlowMessage>();
  for (const operation of Object.values(document.operations)) {
    const channel = resolve(document, (operation.channel as { $ref?: unknown })?.$ref);
    const filter = channel?.['x-busline-filter'];
    if (typeof filter !== 'string') continue;
    const group = operation['x-busline-shared-group'];
    const refs = (operation.messages as { $ref?: unknown }[] | undefined) ?? [];
    const message = resolve(document, resolve(document, refs[0]?.$ref)?.$ref ?? refs[0]?.$ref);
    const messageType = message?.['x-busline-message-type'];
    const declared: DeclaredOperation = {
      binding: String(operation['x-busline-handler']),
      filter: typeof group === 'string' ? `$share/${group}/${filter}` : filter,
      transports: (operation['x-busline-transports'] as string[] | undefined) ?? [],
      messageType: typeof messageType === 'string' ? messageType : undefined,
    };
    (operation.action === 'send' ? publications : handlers).push(declared);
    if (message !== undefined && declared.messageType !== undefined) {
      const examples = message.examples as { payload?: unknown }[] | undefined;
      messages.set(declared.messageType, {
        name: declared.messageType,
        schema: inline(document, message.payload),
        example: examples?.[0]?.payload,
      });
    }
  }
  return { handlers, publications, messages };
}
