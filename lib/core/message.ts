/**
 * What a publisher can send: something that turns itself into bytes.
 *
 * `serialize(formatType?)` returns the format it used and the bytes; without a format it uses the
 * message's default one. The class has a matching `static deserialize(formatType, data)` (see
 * {@link MessageClass}). Format names are the Python Busline ones: `'json'`, `'avro'`, `'bytes'`,
 * `'utf-8'`; a custom message may use any other name. `JsonMessage`, `AvroMessage` and the
 * primitive wrappers implement it; the `@Message()` class decorator registers such a class.
 */
export interface BuslineMessage {
  serialize(formatType?: string): [formatType: string, data: Uint8Array];
}

/**
 * The class side of a {@link BuslineMessage}: how a subscriber rebuilds one from the bytes on the
 * wire.
 */
export interface MessageClass<M extends BuslineMessage = BuslineMessage> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  new (...args: any[]): M;
  /** Rebuild a message from bytes written by `serialize(formatType)`. */
  deserialize(formatType: string, data: Uint8Array): M;
  readonly name: string;
}

/** True for anything that honours the {@link BuslineMessage} contract. */
export function isMessage(value: unknown): value is BuslineMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<BuslineMessage>).serialize === 'function'
  );
}
