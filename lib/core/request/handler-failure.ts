/**
 * @internal What a handler that reports its own failures (and so never rejects, as a NestJS
 * `@Subscribe` method's handler) resolves with when it failed: the reply to a request then says
 * so, instead of carrying a value.
 */
export class HandlerFailure {
  constructor(readonly error: unknown) {}
}
