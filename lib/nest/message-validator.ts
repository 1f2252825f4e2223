import {
  getMetadataStorage,
  validate,
  type ValidationError,
  type ValidatorOptions,
} from 'class-validator';
import type { Event } from '../core/event';

/** A class, as class-validator keys its metadata. */
type Class = abstract new (...args: never[]) => unknown;

/** @internal Options Busline validates with unless the user gives others. */
export const DEFAULT_VALIDATOR_OPTIONS: ValidatorOptions = {
  forbidUnknownValues: false,
  validationError: { target: false, value: true },
};

/**
 * @internal Validates payloads whose class carries class-validator decorators. The payload is
 * already an instance of its class: the local bus hands over the very object published, and a
 * broker transport rebuilds it with class-transformer (`JsonMessage.fromJson`). Each event is
 * validated once per set of options, however many handlers it reaches.
 */
export class MessageValidator {
  private readonly constrained = new WeakMap<Class, boolean>();
  private readonly results = new WeakMap<
    Event,
    Map<ValidatorOptions, Promise<ValidationError[]>>
  >();

  /** Whether payloads of this class have something to validate. */
  hasConstraints(messageClass: Class): boolean {
    let known = this.constrained.get(messageClass);
    if (known === undefined) {
      known =
        getMetadataStorage().getTargetValidationMetadatas(messageClass, '', true, false).length > 0;
      this.constrained.set(messageClass, known);
    }
    return known;
  }

  /** class-validator's errors for the event's payload (empty when valid or unconstrained). */
  validate(event: Event, options: ValidatorOptions): Promise<ValidationError[]> | undefined {
    const payload = event.payload;
    if (payload === null || typeof payload !== 'object') return undefined;
    if (!this.hasConstraints(payload.constructor as Class)) return undefined;
    let perOptions = this.results.get(event);
    if (perOptions === undefined) this.results.set(event, (perOptions = new Map()));
    let result = perOptions.get(options);
    if (result === undefined) {
      result = validate(payload, options);
      perOptions.set(options, result);
    }
    return result;
  }
}
