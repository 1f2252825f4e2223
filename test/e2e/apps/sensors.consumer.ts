import { Injectable, Module } from '@nestjs/common';
import { IsNumber, Max, Min } from 'class-validator';
import { Message } from '../../../lib/core/message.decorator';
import { JsonMessage } from '../../../lib/core/messages/json.message';
import { Payload } from '../../../lib/nest/decorators/payload.decorator';
import { Subscribe } from '../../../lib/nest/decorators/subscribe.decorator';
import { TopicParams } from '../../../lib/nest/decorators/topic-params.decorator';
import { NS } from './topics';

export const SENSOR_TOPICS = {
  temperature: `${NS}/sensors/+room/temperature`,
  of: (room: string) => `${NS}/sensors/${room}/temperature`,
} as const;

/** What a temperature sensor publishes, as plain JSON: `{"celsius": 21.5}`. */
@Message('e2e.Reading')
export class Reading extends JsonMessage {
  @IsNumber() @Min(-50) @Max(60) celsius = 0;
}

/** Takes plain JSON from sensors that know nothing of Busline. */
@Injectable()
export class SensorsConsumer {
  readonly readings: { room: string; reading: Reading }[] = [];
  readonly rooms: string[] = [];

  @Subscribe(SENSOR_TOPICS.temperature, { envelope: { raw: Reading } })
  onReading(@Payload() reading: Reading, @TopicParams('room') room: string): void {
    if (!(reading instanceof Reading) || reading.celsius > 60) {
      throw new Error('an invalid reading reached the handler');
    }
    this.readings.push({ room, reading });
  }

  /**
   * A second handler of the same filter: they share one subscription, and its envelope. It reads
   * the topic only, so it does not validate (nor report) readings.
   */
  @Subscribe(SENSOR_TOPICS.temperature, { envelope: { raw: Reading }, validate: false })
  onRoom(@TopicParams('room') room: string): void {
    this.rooms.push(room);
  }
}

@Module({ providers: [SensorsConsumer] })
export class SensorsConsumerModule {}
