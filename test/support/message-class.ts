import type { BuslineMessage, MessageClass } from '../../lib/core/message';

/**
 * A fresh message class named `name` (the registry is process-wide, so each test makes its own);
 * it serializes to one raw byte.
 */
export function messageClass(name: string): MessageClass {
  const cls = class implements BuslineMessage {
    serialize(): [string, Uint8Array] {
      return ['bytes', Uint8Array.of(1)];
    }
    static deserialize(): BuslineMessage {
      return new cls();
    }
  };
  Object.defineProperty(cls, 'name', { value: name });
  return cls;
}
