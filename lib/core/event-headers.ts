import { InvalidArgumentError } from './errors/invalid-argument.error';
import type { EventHeaders } from './event';

/** Header of a request: the topic its reply goes to (MQTT 5: the response topic property). */
export const REPLY_TO_HEADER = 'busline-reply-to';
/** Header of a request and its reply: what pairs them (MQTT 5: the correlation data property). */
export const CORRELATION_ID_HEADER = 'busline-correlation-id';
/** Header of an error reply: the message of what the responder's handler threw. */
export const ERROR_HEADER = 'busline-error';
/** Header of an error reply: the name of what the responder's handler threw (`TypeError`, ...). */
export const ERROR_NAME_HEADER = 'busline-error-name';

/**
 * @internal `headers` as a publish takes them: an object whose values are strings, no empty
 * name, and no `__type__` (Python Busline's JSON decoder would read a map with that member as a
 * tagged value).
 */
export function checkedHeaders(parameter: string, headers: unknown): EventHeaders | undefined {
  if (headers === undefined) return undefined;
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    throw new InvalidArgumentError(parameter, 'an object of header names to strings', headers);
  }
  for (const [name, value] of Object.entries(headers)) {
    if (name === '' || name === '__type__') {
      throw new InvalidArgumentError(
        parameter,
        "header names that are not empty and not '__type__'",
        name,
      );
    }
    if (typeof value !== 'string') {
      throw new InvalidArgumentError(`${parameter}['${name}']`, 'a string', value);
    }
  }
  return headers as EventHeaders;
}
