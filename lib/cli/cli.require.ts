import { isAbsolute, resolve } from 'node:path';
import { CommandError } from './cli.errors';

/**
 * Load what `--require` names, in order: a path (relative to the working directory) or a package
 * (resolved from the working directory), such as the user's `@Message` classes or a TypeScript
 * loader (`@swc-node/register`, `ts-node/register`).
 */
export function loadRequired(modules: readonly string[]): void {
  for (const name of modules) loadModule(name, '--require');
}

/**
 * `require()` a path or package named on the command line, with an error that says what to do.
 * A `file` is always a path (relative to the working directory), even without `./`.
 */
export function loadModule(name: string, what: string, file = false): unknown {
  const cwd = process.cwd();
  const local = file || name.startsWith('.') || isAbsolute(name);
  let path: string;
  try {
    path = require.resolve(local ? resolve(cwd, name) : name, { paths: [cwd] });
  } catch {
    throw new CommandError(`${what} ${name}: no such file or package (from ${cwd})`);
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path) as unknown;
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    const typescript = /\.[cm]?tsx?$/.test(path) && !isTypeScriptLoaded();
    throw new CommandError(
      `${what} ${name} failed to load: ${message}` +
        (typescript
          ? '\nIt is TypeScript: load a TypeScript loader first, for example ' +
            '--require @swc-node/register or --require ts-node/register'
          : ''),
      { cause: error },
    );
  }
}

function isTypeScriptLoaded(): boolean {
  return require.extensions['.ts'] !== undefined;
}
