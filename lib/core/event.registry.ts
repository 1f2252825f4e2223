import { BuslineError } from './errors/busline.error';
import type { MessageClass } from './message';

/** No class is registered under a message type read from the wire. */
export class MessageTypeNotFoundError extends BuslineError {
  constructor(readonly messageType: string) {
    super(
      `No message class is registered as '${messageType}'; decorate the class with @Message(` +
        `${JSON.stringify(messageType)}) or call addToRegistry(${messageType}) before events arrive`,
    );
  }
}

let processRegistry: EventRegistry | undefined;

/**
 * Maps message type names (what travels in the envelope's `message_type`) to message classes.
 *
 * There is one registry per process: `new EventRegistry()` always returns it, as `EventRegistry()`
 * does in Python. A class is known by its class name unless registered under another name.
 */
export class EventRegistry {
  private readonly classes!: Map<string, MessageClass>;
  private readonly types!: Map<MessageClass, string>;

  constructor() {
    if (processRegistry) return processRegistry;
    this.classes = new Map();
    this.types = new Map();
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    processRegistry = this;
  }

  /** Register `messageClass` under `messageType` (default: its class name); returns the type used. */
  add(messageClass: MessageClass, messageType: string = messageClass.name): string {
    const previous = this.types.get(messageClass);
    if (previous !== undefined && previous !== messageType) this.classes.delete(previous);
    const displaced = this.classes.get(messageType);
    if (displaced !== undefined && displaced !== messageClass) this.types.delete(displaced);
    this.classes.set(messageType, messageClass);
    this.types.set(messageClass, messageType);
    return messageType;
  }

  /** Forget a class, by its message type or by the class itself. */
  remove(by: { messageType?: string; messageClass?: MessageClass }): void {
    const messageType =
      by.messageType ?? (by.messageClass ? this.types.get(by.messageClass) : undefined);
    if (messageType === undefined) return;
    const messageClass = this.classes.get(messageType);
    this.classes.delete(messageType);
    if (messageClass) this.types.delete(messageClass);
  }

  /** The class registered as `messageType`; throws {@link MessageTypeNotFoundError} if none is. */
  retrieveClass(messageType: string): MessageClass {
    const messageClass = this.classes.get(messageType);
    if (messageClass === undefined) throw new MessageTypeNotFoundError(messageType);
    return messageClass;
  }

  /** The message type `messageClass` travels as, registering it under its class name if new. */
  messageTypeOf(messageClass: MessageClass): string {
    return this.types.get(messageClass) ?? this.add(messageClass);
  }

  /** Every registered message type with its class. */
  get associations(): ReadonlyMap<string, MessageClass> {
    return this.classes;
  }
}

/** Register a message class in the process-wide registry; returns the class (usable as a decorator). */
export function addToRegistry<C extends MessageClass>(messageClass: C, messageType?: string): C {
  new EventRegistry().add(messageClass, messageType);
  return messageClass;
}
