type ClassTransformer = typeof import('class-transformer');

let loaded: ClassTransformer | undefined;

/**
 * @internal class-transformer, loaded on first use rather than with the entry: it is 34 files,
 * about a sixth of what `require('busline')` loaded, and only `JsonMessage` and `AvroMessage`
 * subclasses need it, when they (de)serialize (issue 14, load time).
 */
export function classTransformer(): ClassTransformer {
  // A lazy require: loaded on first use, not with the entry.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('class-transformer') as ClassTransformer);
}
