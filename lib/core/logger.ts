/** Where Busline writes what it has to say. NestJS's `Logger` fits as it is. */
export interface BuslineLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug?(message: string): void;
}

/** The default logger: warnings and errors to the console, nothing else. */
export const consoleLogger: BuslineLogger = {
  log: () => undefined,
  warn: (message) => console.warn(`[busline] ${message}`),
  error: (message) => console.error(`[busline] ${message}`),
};
