/** Format type of JSON payloads (`JsonMessage` and the wrappers' `'json'` form). */
export const JSON_FORMAT_TYPE = 'json';

/** Format type of Avro payloads: one schemaless binary datum (`AvroMessage`, the wrappers' `'avro'` form). */
export const AVRO_FORMAT_TYPE = 'avro';

/** Format type of the numeric wrappers' raw big-endian form. */
export const BYTES_FORMAT_TYPE = 'bytes';

/** Format type of `StringMessage`'s raw form: the UTF-8 bytes of the text. */
export const UTF8_FORMAT_TYPE = 'utf-8';
