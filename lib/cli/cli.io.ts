/** Where a command writes and how it learns it should stop (Ctrl+C); tests pass their own. */
export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
  onStop(listener: () => void): void;
  offStop(listener: () => void): void;
}

/** Standard output and error, stopping on SIGINT and SIGTERM. */
export const PROCESS_IO: CommandIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  onStop: (listener) => {
    process.on('SIGINT', listener);
    process.on('SIGTERM', listener);
  },
  offStop: (listener) => {
    process.off('SIGINT', listener);
    process.off('SIGTERM', listener);
  },
};
