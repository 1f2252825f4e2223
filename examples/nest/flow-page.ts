import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PubSubClient, StringMessage } from 'busline';
import { BuslineModule, Payload, Publishes, Subscribe } from 'busline/nest';

@Injectable()
@Publishes('greetings', StringMessage)
export class Greeter {
  @Subscribe('greetings')
  onGreeting(@Payload() greeting: StringMessage): void {
    if (greeting.value === '') throw new Error('an empty greeting');
  }
}

@Module({
  imports: [
    BuslineModule.forRoot({
      identifier: 'greeter',
      local: true,
      flowPage: { path: '/busline' }, // open http://<host>:<port>/busline in a browser
    }),
  ],
  providers: [Greeter],
})
export class AppModule {}

/** The part of `/busline/flow.json` this example reads. */
interface Flow {
  apps: {
    name: string;
    handlers: { binding: string; filter: string; counters: { events: number; errors: number } }[];
  }[];
}

export async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();

  const bus = app.get(PubSubClient);
  await bus.publish('greetings', 'hello');
  await bus.publish('greetings', '');

  // What the page shows, as data: the same counters it refreshes every second.
  const flow = (await (await fetch(`${url}/busline/flow.json`)).json()) as Flow;
  for (const { name, handlers } of flow.apps) {
    for (const { binding, filter, counters } of handlers) {
      console.log(
        `${name}: ${binding} <- ${filter}: ${counters.events} events, ${counters.errors} failed`,
      );
    }
  }
  // The AsyncAPI document of the applications on the page, to download.
  const asyncApi = (await (await fetch(`${url}/busline/asyncapi.json`)).json()) as {
    asyncapi: string;
  };
  console.log(`AsyncAPI ${asyncApi.asyncapi}`);
  await app.close();
}
