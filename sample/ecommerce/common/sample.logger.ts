import type { LoggerService, LogLevel } from '@nestjs/common';

/** Where the sample's lines go (standard output and error unless a test captures them). */
export interface LogSink {
  out(line: string): void;
  err(line: string): void;
}

const CONSOLE: LogSink = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Options of {@link SampleLogger}. */
export interface SampleLoggerOptions {
  /** Shown before every line: the instance name, when several instances of a service run. */
  instance?: string;
  /** Also show NestJS's own startup lines (module loading, routes). */
  verbose?: boolean;
  /** The contexts whose `log` lines are always shown (every warning and error is). */
  contexts: readonly string[];
  sink?: LogSink;
}

/**
 * The NestJS logger of the sample's applications: one line per message, the logging class (its
 * `Logger` context) first, so each flow line says which service printed it. NestJS's own startup
 * chatter is left out unless `verbose`.
 *
 * NestJS keeps one logger per process: every application of a process logs through the last one
 * given, so the context, not the application, tells who speaks.
 */
export class SampleLogger implements LoggerService {
  private readonly contexts: ReadonlySet<string>;
  private readonly width: number;
  private readonly sink: LogSink;

  constructor(private readonly options: SampleLoggerOptions) {
    this.contexts = new Set(options.contexts);
    this.width = Math.max(...options.contexts.map((c) => c.length));
    this.sink = options.sink ?? CONSOLE;
  }

  log(message: unknown, context?: string): void {
    if (this.options.verbose || (context !== undefined && this.contexts.has(context))) {
      this.sink.out(this.format(message, context));
    }
  }

  warn(message: unknown, context?: string): void {
    this.sink.err(this.format(message, context, 'warning: '));
  }

  error(message: unknown, stackOrContext?: string, context?: string): void {
    // NestJS passes (message, stack, context), or (message, context) when there is no stack.
    const where = context ?? stackOrContext;
    const stack = context !== undefined ? stackOrContext : undefined;
    this.sink.err(this.format(message, where, 'error: '));
    if (this.options.verbose && stack) this.sink.err(stack);
  }

  fatal(message: unknown, context?: string): void {
    this.sink.err(this.format(message, context, 'fatal: '));
  }

  debug(message: unknown, context?: string): void {
    if (this.options.verbose) this.sink.out(this.format(message, context));
  }

  verbose(message: unknown, context?: string): void {
    if (this.options.verbose) this.sink.out(this.format(message, context));
  }

  setLogLevels(_levels: LogLevel[]): void {}

  private format(message: unknown, context = '', level = ''): string {
    const text = message instanceof Error ? message.message : String(message);
    const instance = this.options.instance ? `[${this.options.instance}] ` : '';
    return `${instance}${context.padEnd(this.width)}  ${level}${text}`;
  }
}
