import type { JsonSchema } from './asyncapi.types';

/** @internal Component name of the envelope's schema. */
export const ENVELOPE_SCHEMA = 'BuslineEnvelope';

/** @internal How every message's description ends: what actually travels. */
export const ENVELOPE_NOTE =
  'On the wire each event is a Busline envelope (the JSON one Python Busline writes, see ' +
  `components.schemas.${ENVELOPE_SCHEMA}): the payload described here is serialized in the ` +
  "envelope's `payload_format_type` and carried, base64-encoded, in `serialized_payload`; " +
  '`message_type` names the message.';

const TAGGED = (tag: string, value: JsonSchema): JsonSchema => ({
  type: 'object',
  properties: { __type__: { const: tag }, value },
  required: ['__type__', 'value'],
});

/** @internal The JSON Schema of the Python-compatible JSON envelope (`registry-passthrough`). */
export function envelopeSchema(): JsonSchema {
  return {
    type: 'object',
    description:
      'The Busline JSON envelope, byte-compatible with Python Busline: one event with its ' +
      'serialized payload. Fields Python does not know (reply address, trace context) may be ' +
      'added; readers ignore them.',
    properties: {
      identifier: { type: 'string', description: 'Event identifier (a UUID v4 by default).' },
      publisher_identifier: { type: 'string', description: 'Identifier of the publisher.' },
      serialized_payload: {
        description: 'The payload bytes, base64; null for an event without payload.',
        anyOf: [TAGGED('bytes', { type: 'string', contentEncoding: 'base64' }), { type: 'null' }],
      },
      payload_format_type: {
        description: "The payload's format: 'json', 'avro', 'utf-8', 'bytes'.",
        type: ['string', 'null'],
      },
      message_type: {
        description: 'The message type the registry decodes the payload with.',
        type: ['string', 'null'],
      },
      timestamp: TAGGED('datetime', {
        type: 'string',
        description: 'ISO 8601 (Python isoformat); UTC when it has no offset.',
      }),
    },
    required: [
      'identifier',
      'publisher_identifier',
      'serialized_payload',
      'payload_format_type',
      'message_type',
      'timestamp',
    ],
  };
}
