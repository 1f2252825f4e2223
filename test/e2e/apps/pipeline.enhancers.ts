import {
  Catch,
  Injectable,
  SetMetadata,
  type ArgumentMetadata,
  type ArgumentsHost,
  type CallHandler,
  type CanActivate,
  type ExceptionFilter,
  type ExecutionContext,
  type NestInterceptor,
  type PipeTransform,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { of, tap, type Observable } from 'rxjs';
import type { BuslineContext } from '../../../lib/nest/busline-context';

/** What an interceptor saw of one call. */
export interface Intercepted {
  readonly by: string;
  readonly type: string;
  readonly handler: string;
  readonly className: string;
  readonly data: unknown;
  readonly context: BuslineContext;
  /** Set when the call succeeded. */
  readonly result?: unknown;
  /** Set when it failed. */
  readonly error?: unknown;
  readonly ms: number;
}

/** What a guard or a filter saw. */
export interface Seen {
  readonly by: string;
  readonly type: string;
  readonly topic: string;
  readonly data: unknown;
  readonly error?: unknown;
}

/** Where the enhancers of the pipeline apps write what they saw, for the tests to read. */
@Injectable()
export class PipelineProbe {
  readonly intercepted: Intercepted[] = [];
  readonly guarded: Seen[] = [];
  readonly filtered: Seen[] = [];
  readonly piped: { by: string; type: string; data: unknown; value: unknown }[] = [];
  readonly handled: unknown[][] = [];

  /** The interceptor records of one handler method. */
  of(handler: string, by = 'timing'): Intercepted[] {
    return this.intercepted.filter((i) => i.handler === handler && i.by === by);
  }
}

/** Records each call with the result or the error, and how long it took. */
export class TimingInterceptor implements NestInterceptor {
  constructor(
    private readonly probe: PipelineProbe,
    private readonly by = 'timing',
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const started = performance.now();
    const rpc = context.switchToRpc();
    const seen = {
      by: this.by,
      type: context.getType(),
      handler: context.getHandler().name,
      className: context.getClass().name,
      data: rpc.getData(),
      context: rpc.getContext<BuslineContext>(),
    };
    const ms = (): number => performance.now() - started;
    return next.handle().pipe(
      tap({
        next: (result) => this.probe.intercepted.push({ ...seen, result, ms: ms() }),
        error: (error: unknown) => this.probe.intercepted.push({ ...seen, error, ms: ms() }),
      }),
    );
  }
}

/** {@link TimingInterceptor} as a class Nest instantiates, with the probe injected. */
@Injectable()
export class InjectedTimingInterceptor extends TimingInterceptor {
  constructor(probe: PipelineProbe) {
    super(probe);
  }
}

/** {@link TimingInterceptor} for a method, recording as 'method'. */
@Injectable()
export class MethodTimingInterceptor extends TimingInterceptor {
  constructor(probe: PipelineProbe) {
    super(probe, 'method');
  }
}

/** The owners a handler accepts, read by {@link OwnerGuard} from the handler's metadata. */
export const Owners = (...owners: string[]) => SetMetadata('owners', owners);

/** Lets through the parcels of the owners the handler names with `@Owners()`. */
@Injectable()
export class OwnerGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly probe: PipelineProbe,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const owners = this.reflector.get<string[] | undefined>('owners', context.getHandler()) ?? [];
    const rpc = context.switchToRpc();
    const data = rpc.getData<{ owner: string }>();
    this.probe.guarded.push({
      by: 'owner',
      type: context.getType(),
      topic: rpc.getContext<BuslineContext>().topic,
      data,
    });
    return owners.includes(data.owner);
  }
}

/** An error a filter knows how to recover from. */
export class OutOfStockError extends Error {
  override readonly name = 'OutOfStockError';
}

/** What {@link WrapFilter} throws instead of the error it caught. */
export class ShippingFailedError extends Error {
  override readonly name = 'ShippingFailedError';
}

/** Handles an {@link OutOfStockError}: the call counts as done, with 'backordered' as result. */
@Catch(OutOfStockError)
@Injectable()
export class BackorderFilter implements ExceptionFilter {
  constructor(private readonly probe: PipelineProbe) {}

  catch(error: OutOfStockError, host: ArgumentsHost): Observable<string> {
    const rpc = host.switchToRpc();
    this.probe.filtered.push({
      by: 'backorder',
      type: host.getType(),
      topic: rpc.getContext<BuslineContext>().topic,
      data: rpc.getData(),
      error,
    });
    return of('backordered');
  }
}

/** Catches everything and throws a {@link ShippingFailedError} that says why. */
@Catch()
@Injectable()
export class WrapFilter implements ExceptionFilter {
  catch(error: Error): never {
    throw new ShippingFailedError(`shipping failed: ${error.message}`, { cause: error });
  }
}

/** Records what it is given, and passes it on unchanged. */
export class RecordingPipe implements PipeTransform {
  constructor(
    private readonly probe: PipelineProbe,
    private readonly by: string,
  ) {}

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    this.probe.piped.push({ by: this.by, type: metadata.type, data: metadata.data, value });
    return value;
  }
}

/** Upper-cases strings, leaves the rest alone. */
export class UpperCasePipe implements PipeTransform {
  transform(value: unknown): unknown {
    return typeof value === 'string' ? value.toUpperCase() : value;
  }
}
