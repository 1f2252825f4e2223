import { Injectable, Module } from '@nestjs/common';
import { StringMessage } from 'busline';
import { BuslineModule, Publishes, Subscribe } from 'busline/nest';

@Injectable()
@Publishes('greetings', StringMessage)
export class Greeter {}

@Injectable()
export class Listener {
  @Subscribe('greetings')
  onGreeting(): void {}
}

@Module({
  imports: [
    BuslineModule.forRoot({
      identifier: 'greeter',
      mqtt: { url: process.env.BUSLINE_MQTT_URL ?? 'mqtt://127.0.0.1:1883' },
    }),
  ],
  providers: [Greeter, Listener],
})
export class GreeterModule {}

// What `busline asyncapi` documents: the default export (a module, a DynamicModule, an array of
// them, or a function that returns them).
export default GreeterModule;
