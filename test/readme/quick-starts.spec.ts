import { execFile } from 'node:child_process';
import { codeBlocks, documents, read, root } from './markdown';

/*
 * The quick starts are scripts: pasted as they are, they run, print and exit. Each runs here as a
 * user runs it, in a process of its own (`node -r @swc-node/register FILE`, which maps `busline`
 * to lib/ through tsconfig.json's paths), and what it prints must be what the document shows in
 * the ```text block after the `<!-- output: FILE -->` marker. A `...` line there stands for any
 * number of lines; NestJS's `[Nest] <pid>  - <date>` prefix and `+12ms` suffix are compared
 * without their varying parts.
 */

jest.setTimeout(60_000);

const QUICK_STARTS = [
  'examples/quick-start.ts',
  'examples/mqtt/quick-start.ts',
  'examples/nest/quick-start.ts',
];

interface Shown {
  readonly document: string;
  readonly file: string;
  readonly lines: string[];
  readonly exampleShown: boolean;
}

const shown: Shown[] = documents.flatMap((document) => {
  const blocks = codeBlocks(read(document));
  return blocks
    .filter((block) => block.marker?.kind === 'output')
    .map((block) => ({
      document,
      file: block.marker!.value,
      lines: block.code.split('\n'),
      exampleShown: blocks.some(
        (other) => other.marker?.kind === 'example' && other.marker.value === block.marker!.value,
      ),
    }));
});

function run(file: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-r', '@swc-node/register', file],
      { cwd: root, timeout: 30_000, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${file} failed: ${error.message}\n${stdout}\n${stderr}`));
        else resolve({ stdout, stderr });
      },
    );
  });
}

/** A printed or shown line without colours, process id, date and elapsed time. */
function normalize(line: string): string {
  return (
    line
      // eslint-disable-next-line no-control-regex
      .replace(/\x1b\[[0-9;]*m/g, '')
      .replace(/^\[Nest\] \d+ +- .*? +(LOG|WARN|ERROR|DEBUG|VERBOSE|FATAL) /, '[Nest] $1 ')
      .replace(/ \+\d+ms$/, '')
      .trimEnd()
  );
}

/** Whether `printed` is what `expected` shows, a `...` line standing for any lines. */
function matches(expected: readonly string[], printed: readonly string[], i = 0, j = 0): boolean {
  if (i === expected.length) return j === printed.length;
  if (expected[i] === '...') {
    for (let k = j; k <= printed.length; k++) if (matches(expected, printed, i + 1, k)) return true;
    return false;
  }
  return (
    j < printed.length && expected[i] === printed[j] && matches(expected, printed, i + 1, j + 1)
  );
}

it('every quick start shows what it prints, next to its code', () => {
  const withOutput = shown.filter((s) => s.document === 'README.md').map((s) => s.file);
  expect(withOutput.sort()).toEqual([...QUICK_STARTS].sort());
  expect(shown.filter((s) => !s.exampleShown)).toEqual([]);
});

describe.each(shown.map((s) => [s.file, s] as const))('%s', (_file, { file, lines }) => {
  it('prints what the document shows when run as it is, then exits', async () => {
    const { stdout, stderr } = await run(file);
    const printed = stdout.trimEnd().split('\n').map(normalize);
    const expected = lines.map(normalize);
    if (!matches(expected, printed)) {
      // Shows both sides in the failure.
      expect(printed.join('\n')).toBe(expected.join('\n'));
    }
    expect(stderr).toBe('');
  });
});
