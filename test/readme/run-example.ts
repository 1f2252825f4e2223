import { join } from 'node:path';
import { root } from './markdown';

/*
 * Runs an example of docs/ the way the page shows it: its exported main(), with what it printed
 * through console.log collected and compared by the spec.
 */

/** How {@link runExample} loads and runs an example. */
export interface RunExampleOptions {
  /**
   * Load the example in a module registry of its own (`jest.isolateModules`): for examples that
   * register message classes under names another example uses too. Leave it off for examples
   * that check library errors with `instanceof` or load a transport lazily: those need the
   * registry of the spec.
   */
  readonly isolated?: boolean;
  /**
   * Called inside the example's own registry before it loads (implies `isolated`), to spy on a
   * module of that registry (NestJS's `Logger`, for one).
   */
  readonly beforeLoad?: () => void;
  /** Collect console.warn apart (in `warnings`) instead of letting it through. */
  readonly captureWarnings?: boolean;
  /** Fail after this many milliseconds rather than wait for the Jest timeout. */
  readonly timeoutMs?: number;
}

/** What an example printed. */
export interface ExampleOutput {
  /** One entry per console.log call, its arguments joined with spaces. */
  readonly lines: string[];
  /** The console.warn calls, when `captureWarnings` is set. */
  readonly warnings: string[];
}

interface Example {
  main: () => Promise<void>;
}

const text = (args: unknown[]): string => args.map(String).join(' ');

/** Run the `main()` of an example (a path from the repository root) and return what it printed. */
export async function runExample(
  file: string,
  options: RunExampleOptions = {},
): Promise<ExampleOutput> {
  const lines: string[] = [];
  const warnings: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...args) => lines.push(text(args)));
  const warn = options.captureWarnings
    ? jest.spyOn(console, 'warn').mockImplementation((...args) => warnings.push(text(args)))
    : undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const example = load(file, options);
    const finished = example.main();
    await (options.timeoutMs === undefined
      ? finished
      : Promise.race([
          finished,
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`${file} did not finish in ${options.timeoutMs} ms`)),
              options.timeoutMs,
            );
          }),
        ]));
  } finally {
    clearTimeout(timer);
    log.mockRestore();
    warn?.mockRestore();
  }
  return { lines, warnings };
}

/** The lines an example printed with console.log (see {@link runExample}). */
export async function printed(file: string, options?: RunExampleOptions): Promise<string[]> {
  return (await runExample(file, options)).lines;
}

function load(file: string, options: RunExampleOptions): Example {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const requireExample = () => require(join(root, file)) as Example;
  if (!options.isolated && options.beforeLoad === undefined) return requireExample();
  let example!: Example;
  jest.isolateModules(() => {
    options.beforeLoad?.();
    example = requireExample();
  });
  return example;
}
