import {
  type ArgumentsHost,
  type CallHandler,
  type CanActivate,
  Catch,
  type ExceptionFilter,
  type ExecutionContext,
  Injectable,
  Module,
  type NestInterceptor,
  ParseIntPipe,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { JsonMessage, Message } from 'busline';
import {
  BUSLINE_CONTEXT_TYPE,
  BuslineClient,
  type BuslineContext,
  type BuslineContextType,
  BuslineModule,
  Ctx,
  Payload,
  Subscribe,
  TopicParams,
} from 'busline/nest';
import { type Observable, of, tap } from 'rxjs';

@Message('shop.Payment')
export class Payment extends JsonMessage {
  amount = ''; // text, as a legacy producer sends it
  currency = 'EUR';
}

/** Each Busline handler call: how it ended, and how long it took. */
@Injectable()
export class TimingInterceptor implements NestInterceptor {
  readonly durations: number[] = [];

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    // Global interceptors also run around HTTP requests: this one only times Busline handlers.
    if (context.getType<BuslineContextType>() !== BUSLINE_CONTEXT_TYPE) return next.handle();
    const { topic, transport } = context.switchToRpc().getContext<BuslineContext>();
    const started = performance.now();
    const done = (outcome: string): void => {
      this.durations.push(performance.now() - started);
      console.log(`${context.getHandler().name} on ${topic} via ${transport}: ${outcome}`);
    };
    return next.handle().pipe(
      tap({
        next: (result) => done(`returned '${String(result)}'`),
        error: (error: Error) => done(`threw '${error.message}'`),
      }),
    );
  }
}

/** The currencies a handler accepts, for the CurrencyGuard. */
export const Currencies = Reflector.createDecorator<string[]>();

@Injectable()
export class CurrencyGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const accepted = this.reflector.get(Currencies, context.getHandler());
    return accepted.includes(context.switchToRpc().getData<Payment>().currency);
  }
}

export class GatewayDownError extends Error {}

/** Handles a gateway outage: the payment waits in a queue, and the call counts as done. */
@Catch(GatewayDownError)
export class QueueForLaterFilter implements ExceptionFilter {
  catch(_error: GatewayDownError, host: ArgumentsHost): Observable<string> {
    const { topic, attempt } = host.switchToRpc().getContext<BuslineContext>();
    console.log(`queued for later: ${topic}, attempt ${attempt}`);
    return of('queued');
  }
}

@Injectable()
export class Payments {
  @Subscribe('payments/+account/charge')
  @UseGuards(CurrencyGuard)
  @Currencies(['EUR', 'USD'])
  @UseFilters(QueueForLaterFilter)
  charge(
    @Payload('amount', ParseIntPipe) amount: number,
    @TopicParams('account') account: string,
    @Ctx() context: BuslineContext,
  ): string {
    if (amount > 1_000) throw new GatewayDownError('gateway down');
    return `charged ${amount} to ${account} (event ${context.event.payload?.constructor.name})`;
  }
}

@Module({
  imports: [
    BuslineModule.forRoot({
      local: true,
      onError: (error, context) =>
        console.log(`onError: ${context.binding}, ${(error.cause as Error).name}`),
    }),
  ],
  providers: [Payments],
})
export class AppModule {}

export async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule, { logger: false });
  const timing = new TimingInterceptor();
  app.useGlobalInterceptors(timing); // before init() (or listen())
  await app.init();
  const bus = app.get(BuslineClient);
  const pay = (amount: string, currency = 'EUR') =>
    bus.publish('payments/acme/charge', Object.assign(new Payment(), { amount, currency }));

  await pay('250');
  await pay('5000'); // the gateway is down: the filter queues it
  await pay('10', 'GBP'); // the guard refuses it
  await pay('ten'); // ParseIntPipe rejects it
  await bus.drain();
  console.log(`timed calls: ${timing.durations.length}`);
  await app.close();
}
