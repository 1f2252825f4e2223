import { MessageTypeNotFoundError } from './errors/message-type-not-found.error';
import { InvalidArgumentError } from './errors/invalid-argument.error';
import type { MessageClass } from './message';

let processRegistry: EventRegistry | undefined;

/**
 * Maps message type names (what travels in the envelope's `message_type`) to message classes.
 *
 * There is one registry per process: `new EventRegistry()` always returns it, as `EventRegistry()`
 * does in Python. As in Python, a class may be known by any number of names (`add(C)` then
 * `add(C, 'c')` leaves both); it is written on the wire under the first of them still registered,
 * its class name unless it was registered under another name first.
 */
export class EventRegistry {
  /** Every name with its class: what {@link EventRegistry.associations} shows. */
  private readonly classes!: Map<string, MessageClass>;
  /** Every registered class with its names in the order they were added; the first is written. */
  private readonly names!: Map<MessageClass, string[]>;
  /** The last answer of `messageTypeOf()`, forgotten on any change: publishers repeat classes. */
  private lastClass: MessageClass | undefined;
  private lastType = '';

  constructor() {
    if (processRegistry) return processRegistry;
    this.classes = new Map();
    this.names = new Map();
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    processRegistry = this;
  }

  /**
   * Register `messageClass` under `messageType` (default: its class name), beside any name it
   * already has; returns the type used. A name that belonged to another class moves to this one
   * (the other class keeps its other names).
   */
  add(messageClass: MessageClass, messageType: string = messageClass.name): string {
    const owner = this.classes.get(messageType);
    if (owner === messageClass) return messageType;
    if (owner !== undefined) this.forgetName(owner, messageType);
    this.classes.set(messageType, messageClass);
    const names = this.names.get(messageClass);
    if (names === undefined) this.names.set(messageClass, [messageType]);
    else names.push(messageType);
    this.lastClass = undefined;
    return messageType;
  }

  /**
   * Remove one name: `messageType`, or the name `messageClass` is written under (its other names
   * stay, and the next of them becomes the one it is written under), as Python's
   * `remove(message_class=C)` removes only `C`'s class name. With both, `messageType` is removed.
   * Returns whether a name was removed; throws {@link InvalidArgumentError} when given neither.
   */
  remove(by: { messageType?: string; messageClass?: MessageClass }): boolean {
    const messageType =
      by?.messageType ??
      (by?.messageClass !== undefined ? this.names.get(by.messageClass)?.[0] : undefined);
    if (messageType === undefined) {
      if (by?.messageClass !== undefined) return false;
      throw new InvalidArgumentError(
        'remove() options',
        '{ messageType } or { messageClass } (the name or the class to remove)',
        by,
      );
    }
    const owner = this.classes.get(messageType);
    if (owner === undefined) return false;
    this.classes.delete(messageType);
    this.forgetName(owner, messageType);
    return true;
  }

  /** The class registered as `messageType`; throws {@link MessageTypeNotFoundError} if none is. */
  retrieveClass(messageType: string): MessageClass {
    const messageClass = this.classes.get(messageType);
    if (messageClass === undefined) throw new MessageTypeNotFoundError(messageType);
    return messageClass;
  }

  /**
   * The message type `messageClass` is written under (the first of its names), registering it
   * under its class name if it has none. Publishing calls it for every payload, on every transport.
   */
  messageTypeOf(messageClass: MessageClass): string {
    if (messageClass === this.lastClass) return this.lastType;
    const messageType = this.names.get(messageClass)?.[0] ?? this.add(messageClass);
    this.lastClass = messageClass;
    this.lastType = messageType;
    return messageType;
  }

  /** Every registered message type with its class (a class appears once per name). */
  get associations(): ReadonlyMap<string, MessageClass> {
    return this.classes;
  }

  /** Drop `messageType` from the names of `messageClass` (the caller updates `classes`). */
  private forgetName(messageClass: MessageClass, messageType: string): void {
    const names = this.names.get(messageClass);
    if (names !== undefined) {
      const at = names.indexOf(messageType);
      if (at !== -1) names.splice(at, 1);
      if (names.length === 0) this.names.delete(messageClass);
    }
    this.lastClass = undefined;
  }
}

/** Register a message class in the process-wide registry; returns the class (usable as a decorator). */
export function addToRegistry<C extends MessageClass>(messageClass: C, messageType?: string): C {
  new EventRegistry().add(messageClass, messageType);
  return messageClass;
}
