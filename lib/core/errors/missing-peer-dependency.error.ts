import { BuslineError } from './busline.error';

/**
 * An entry point (or an option) needs a package that Busline lists as an optional peer, and it
 * is not installed. The message names the package and the command that installs it.
 */
export class MissingPeerDependencyError extends BuslineError {
  constructor(
    /** The packages to install. */
    readonly packageNames: readonly string[],
    /** What needs them, for example `busline/mqtt`. */
    readonly neededBy: string,
  ) {
    const list = packageNames.map((name) => `'${name}'`).join(', ');
    super(
      `${neededBy} needs ${list}, which ${packageNames.length === 1 ? 'is' : 'are'} not ` +
        `installed: run npm install ${packageNames.join(' ')}`,
    );
  }
}
