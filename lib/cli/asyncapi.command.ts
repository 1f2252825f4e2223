import { writeFileSync } from 'node:fs';
import { requirePeers } from '../core/peer-dependencies';
import { onePositional, parseCommand } from './cli.args';
import { CommandError, UsageError } from './cli.errors';
import type { CommandIo } from './cli.io';
import { isApplication, isClass, isModule } from './asyncapi.exports';
import { loadModule, loadRequired } from './cli.require';

/** `busline asyncapi --help`. */
export const ASYNCAPI_USAGE = `Usage: busline asyncapi <module-file> [options]

Write the AsyncAPI 3.0 document of NestJS applications from their Busline decorators, without
starting them: the modules are compiled in NestJS's preview mode, nothing is instantiated or
connected. The file exports the root module(s): a module class, a DynamicModule
(AppModule.forRoot(...)), an application it created (best with { preview: true }), an array of
them, or (as its default export) a function returning any of those. Without --export, the default export is used, else every exported module.

Options:
  -o, --output <file>        write to a file (default: standard output)
      --format <json|yaml>   default: yaml for a .yaml/.yml output, json otherwise
  -e, --export <name>        the export to use
      --title <text>         the document's title
      --api-version <text>   the document's info.version (default 1.0.0)
  -r, --require <module>     load a module first (a TypeScript loader such as
                             @swc-node/register); repeatable
  -h, --help                 this text

Example: busline asyncapi dist/app.module.js -o asyncapi.yaml`;

/** `busline asyncapi`: the AsyncAPI document of the modules a file exports. */
export async function asyncApiCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const parsed = parseCommand(args, io, ASYNCAPI_USAGE, {
    output: { type: 'string', short: 'o' },
    format: { type: 'string' },
    export: { type: 'string', short: 'e' },
    title: { type: 'string' },
    'api-version': { type: 'string' },
  });
  if (parsed === undefined) return 0;
  const { values, positionals } = parsed;
  const file = onePositional(
    'asyncapi',
    positionals,
    'file',
    'the file that exports your root module, such as dist/app.module.js',
  );
  const format = values.format ?? (/\.ya?ml$/i.test(values.output ?? '') ? 'yaml' : 'json');
  if (format !== 'json' && format !== 'yaml') {
    throw new UsageError(`--format takes json or yaml, not '${format}'`);
  }
  try {
    requirePeers('busline asyncapi', ['@nestjs/common', '@nestjs/core', 'rxjs', 'class-validator']);
  } catch (error) {
    throw new CommandError((error as Error).message, { cause: error });
  }
  loadRequired(values.require);
  const exported = loadModule(file, 'the module file', true);
  const modules = await modulesOf(exported, values.export, file);

  type Nest = typeof import('./asyncapi.nest');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { documentOfModules } = require('./asyncapi.nest') as Nest;
  const text = await documentOfModules(modules, {
    title: values.title,
    version: values['api-version'],
    format,
  });
  if (values.output === undefined) {
    io.out(text.trimEnd());
  } else {
    writeFileSync(values.output, text);
    io.err(`busline asyncapi: wrote ${values.output} (${Buffer.byteLength(text)} bytes)`);
  }
  return 0;
}

/** The NestJS modules among a file's exports (see the usage text). */
async function modulesOf(
  exported: unknown,
  name: string | undefined,
  file: string,
): Promise<unknown[]> {
  const namespace = (exported ?? {}) as Record<string, unknown>;
  let candidates: unknown[];
  let callable = false;
  if (name !== undefined) {
    if (!(name in namespace)) {
      throw new CommandError(
        `${file} has no export '${name}' (it has: ${Object.keys(namespace).join(', ')})`,
      );
    }
    candidates = [namespace[name]];
    callable = true;
  } else if (namespace.default !== undefined) {
    candidates = [namespace.default];
    callable = true;
  } else if (isModule(exported) || typeof exported === 'function') {
    candidates = [exported]; // module.exports = AppModule
    callable = true;
  } else {
    candidates = Object.values(namespace);
  }
  const modules: unknown[] = [];
  const collect = async (value: unknown, mayCall: boolean): Promise<void> => {
    if (isModule(value) || isApplication(value)) modules.push(value);
    else if (Array.isArray(value)) for (const item of value) await collect(item, false);
    else if (mayCall && typeof value === 'function' && !isClass(value)) {
      await collect(await (value as () => unknown)(), false);
    }
  };
  for (const candidate of candidates) await collect(candidate, callable);
  if (modules.length === 0) {
    throw new CommandError(
      `${file} exports no NestJS module: export the root module class, a DynamicModule, an ` +
        'array of them, or a default function that returns them (or name one with --export)',
    );
  }
  return modules;
}
