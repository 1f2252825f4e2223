import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IsNumber, Max, Min } from 'class-validator';
import { JsonMessage, Message } from 'busline';
import { InboundDecodeError } from 'busline/mqtt';
import {
  BuslineModule,
  MessageValidationError,
  Payload,
  Subscribe,
  TopicParams,
} from 'busline/nest';
import { startEmbeddedBroker } from 'busline/testing';
import { connectAsync } from 'mqtt';

/** What a temperature sensor publishes, as plain JSON: {"celsius": 21.5}. */
@Message('sensors.Reading')
export class Reading extends JsonMessage {
  @IsNumber() @Min(-50) @Max(60) celsius = 0;
}

@Injectable()
export class ClimateService {
  readonly readings: string[] = [];

  // No Busline envelope on this topic: the JSON is mapped onto Reading, then validated.
  @Subscribe('sensors/+room/temperature', { envelope: { raw: Reading } })
  onReading(@Payload() reading: Reading, @TopicParams('room') room: string): void {
    this.readings.push(`${room}: ${reading.celsius} °C`);
  }
}

export async function main(): Promise<void> {
  // An MQTT broker in this process, for the example; yours has a URL like mqtt://127.0.0.1:1883.
  const broker = await startEmbeddedBroker();
  const problems: string[] = [];

  @Module({
    imports: [
      BuslineModule.forRoot({
        mqtt: { url: broker.url, qos: 1 },
        onError: (error) => {
          if (error instanceof InboundDecodeError) problems.push('not JSON: skipped');
          if (error instanceof MessageValidationError) {
            problems.push(`invalid: ${error.violations.join('; ')}`);
          }
        },
      }),
    ],
    providers: [ClimateService],
  })
  class AppModule {}

  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  const climate = app.get(ClimateService);

  // The sensors: plain mqtt.js clients that know nothing of Busline.
  const sensor = await connectAsync(broker.url);
  await sensor.publishAsync('sensors/kitchen/temperature', '{"celsius": 21.5}', { qos: 1 });
  await sensor.publishAsync('sensors/kitchen/temperature', 'twenty-one', { qos: 1 });
  await sensor.publishAsync('sensors/attic/temperature', '{"celsius": 450}', { qos: 1 });
  await sensor.publishAsync('sensors/cellar/temperature', '{"celsius": 12}', { qos: 1 });

  await until(() => climate.readings.length === 2 && problems.length === 2);
  for (const line of [...climate.readings, ...problems]) console.log(line);

  await sensor.endAsync();
  await app.close();
  await broker.close();
}

/** Resolves once `condition()` holds; rejects after `timeout` ms. */
async function until(condition: () => boolean, timeout = 5_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`still waiting after ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
