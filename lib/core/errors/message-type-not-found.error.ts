import { BuslineError } from './busline.error';

/** No class is registered under a message type read from the wire. */
export class MessageTypeNotFoundError extends BuslineError {
  constructor(readonly messageType: string) {
    super(
      `No message class is registered as '${messageType}'; decorate the class with @Message(` +
        `${JSON.stringify(messageType)}) or call addToRegistry(${messageType}) before events arrive`,
    );
  }
}
