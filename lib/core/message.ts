import { EventRegistry } from './event.registry';

/**
 * What a publisher can send: something that turns itself into bytes.
 *
 * `serialize(formatType?)` returns the format it used and the bytes; without a format it uses the
 * message's default one. The class has a matching `static deserialize(formatType, data)` (see
 * {@link MessageClass}). Format names are the Python Busline ones: `'json'`, `'avro'`, `'bytes'`,
 * `'utf-8'`; a custom message may use any other name.
 */
export interface Message {
  serialize(formatType?: string): [formatType: string, data: Uint8Array];
}

/** The class side of a {@link Message}: how a subscriber rebuilds one from the bytes on the wire. */
export interface MessageClass<M extends Message = Message> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  new (...args: any[]): M;
  /** Rebuild a message from bytes written by `serialize(formatType)`. */
  deserialize(formatType: string, data: Uint8Array): M;
  readonly name: string;
}

/** True for anything that honours the {@link Message} contract. */
export function isMessage(value: unknown): value is Message {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<Message>).serialize === 'function'
  );
}

/**
 * Class decorator: registers the message class in the process-wide {@link EventRegistry} under
 * `name` (default: the class name), so a subscriber can decode it before anything was published.
 *
 * ```ts
 * @Message('order.created')
 * class OrderCreated extends JsonMessage { id = ''; }
 * ```
 */
export function Message(name?: string): ClassDecorator {
  return (target) => {
    new EventRegistry().add(target as unknown as MessageClass, name);
  };
}
