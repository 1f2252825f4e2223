/*
 * py-busline's EventRegistry (busline/event/registry.py) maps message type names to classes, any
 * number of names to one class: `add(C)` then `add(C, message_type='c')` leaves both names. Its
 * `remove(message_class=C)` removes the name C is written under (its class name) and nothing else;
 * `remove()` with neither argument raises. These cases pin the same behaviour here.
 */
import { InvalidArgumentError } from '../../../../lib/core/errors/invalid-argument.error';
import { Event } from '../../../../lib/core/event';
import { MessageTypeNotFoundError } from '../../../../lib/core/errors/message-type-not-found.error';
import { EventRegistry } from '../../../../lib/core/event.registry';
import type { MessageClass } from '../../../../lib/core/message';
import { registryPassthroughEventJsonSerializer } from '../../../../lib/core/wire/registry-passthrough-event.json';
import { RegistryPassthroughEvent } from '../../../../lib/core/wire/registry-passthrough.event';
import { messageClass } from '../../../support/message-class';

const registry = new EventRegistry();

/** The `message_type` the JSON envelope writes for an instance of `cls`. */
function wireMessageType(cls: MessageClass): string | null {
  const envelope = RegistryPassthroughEvent.fromEvent(
    new Event({ publisherIdentifier: 'p', payload: new cls() }),
  );
  const json = JSON.parse(Buffer.from(registryPassthroughEventJsonSerializer(envelope)).toString());
  return json.message_type as string | null;
}

describe('EventRegistry with several names per class (py-busline parity)', () => {
  it('add(C) then add(C, "c") leaves both names, and associations lists both', () => {
    const C = messageClass('ParityOne');
    expect(registry.add(C)).toBe('ParityOne');
    expect(registry.add(C, 'parity.one')).toBe('parity.one');
    expect(registry.retrieveClass('ParityOne')).toBe(C);
    expect(registry.retrieveClass('parity.one')).toBe(C);
    expect(registry.associations.get('ParityOne')).toBe(C);
    expect(registry.associations.get('parity.one')).toBe(C);
  });

  it('writes the first name on the wire, whatever names are added after it', () => {
    const C = messageClass('ParityWire');
    registry.add(C);
    expect(wireMessageType(C)).toBe('ParityWire');
    registry.add(C, 'parity.wire.v1');
    registry.add(C, 'parity.wire.v2');
    expect(registry.messageTypeOf(C)).toBe('ParityWire');
    expect(wireMessageType(C)).toBe('ParityWire');
    expect(registry.retrieveClass('parity.wire.v2')).toBe(C);
  });

  it('a name given to another class moves to it; the first class keeps its other names', () => {
    const A = messageClass('ParityA');
    const B = messageClass('ParityB');
    registry.add(A);
    registry.add(A, 'parity.shared');
    registry.add(B, 'parity.shared');
    expect(registry.retrieveClass('parity.shared')).toBe(B);
    expect(registry.retrieveClass('ParityA')).toBe(A);
    expect(registry.messageTypeOf(A)).toBe('ParityA');
    expect(registry.messageTypeOf(B)).toBe('parity.shared');
  });

  it('remove({ messageClass }) removes the name the class is written under, not its others', () => {
    const C = messageClass('ParityRemoveClass');
    registry.add(C);
    registry.add(C, 'parity.remove.class');
    expect(registry.messageTypeOf(C)).toBe('ParityRemoveClass');
    expect(registry.remove({ messageClass: C })).toBe(true);
    expect(() => registry.retrieveClass('ParityRemoveClass')).toThrow(MessageTypeNotFoundError);
    expect(registry.retrieveClass('parity.remove.class')).toBe(C);
    // Its remaining name is now the one it is written under.
    expect(wireMessageType(C)).toBe('parity.remove.class');
    expect(registry.remove({ messageClass: C })).toBe(true);
    expect(registry.associations.has('parity.remove.class')).toBe(false);
    // Forgotten entirely: publishing registers it again under its class name.
    expect(wireMessageType(C)).toBe('ParityRemoveClass');
    expect(registry.retrieveClass('ParityRemoveClass')).toBe(C);
  });

  it('remove({ messageType }) removes that name only', () => {
    const C = messageClass('ParityRemoveType');
    registry.add(C);
    registry.add(C, 'parity.remove.type');
    expect(registry.remove({ messageType: 'parity.remove.type' })).toBe(true);
    expect(registry.associations.has('parity.remove.type')).toBe(false);
    expect(registry.retrieveClass('ParityRemoveType')).toBe(C);
    expect(wireMessageType(C)).toBe('ParityRemoveType');
  });

  it('remove() says whether it removed a name', () => {
    const C = messageClass('ParityNeverAdded');
    expect(registry.remove({ messageType: 'parity.never.added' })).toBe(false);
    expect(registry.remove({ messageClass: C })).toBe(false);
  });

  it('remove({}) is an InvalidArgumentError and changes nothing', () => {
    const C = messageClass('ParityRemoveNothing');
    registry.add(C);
    const before = new Map(registry.associations);
    expect(() => registry.remove({})).toThrow(InvalidArgumentError);
    expect(() => registry.remove({})).toThrow(/messageType.*messageClass/);
    expect(new Map(registry.associations)).toEqual(before);
    expect(registry.retrieveClass('ParityRemoveNothing')).toBe(C);
  });
});
