import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from '../support/wait-for';

/** The repository root: the CLI runs from the sources, as `npm run sample` runs the sample. */
export const ROOT = join(__dirname, '..', '..');

/** A `busline` command running as a child process. */
export interface CliRun {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  /** Resolves with the exit code (a signal counts as -1). */
  readonly exit: Promise<number>;
  /** Resolves once standard error or output contains `text`; rejects after `timeoutMs`. */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
}

/** Start `busline <args>` (lib/cli/main.ts through @swc-node/register) in the repository. */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(ROOT, 'lib', 'cli', 'main.ts'), ...args],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const run: CliRun = {
    child,
    stdout: '',
    stderr: '',
    exit: new Promise((resolve) => child.on('close', (code) => resolve(code ?? -1))),
    waitForOutput: (text, timeoutMs = 30_000) =>
      waitFor(
        () => run.stdout.includes(text) || run.stderr.includes(text),
        timeoutMs,
        `busline ${args.join(' ')} to print ${JSON.stringify(text)}; stderr: ${run.stderr}`,
      ),
  };
  child.stdout!.on('data', (chunk: Buffer) => (run.stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (run.stderr += chunk.toString('utf8')));
  return run;
}

/** Run `busline <args>` to its end. */
export async function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = startCli(args, env);
  const code = await run.exit;
  return { code, stdout: run.stdout, stderr: run.stderr };
}

/** Stop a running command as Ctrl+C does; resolves with its exit code. */
export async function interrupt(run: CliRun): Promise<number> {
  run.child.kill('SIGINT');
  return run.exit;
}
