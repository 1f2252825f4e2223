import { MissingPeerDependencyError } from './errors/missing-peer-dependency.error';

/**
 * Throw {@link MissingPeerDependencyError} unless every package of `packageNames` can be
 * resolved from here. Entry points call it before they load what needs those packages, so a
 * missing optional peer is an error that says what to install, not `Cannot find module`.
 */
export function requirePeers(neededBy: string, packageNames: readonly string[]): void {
  const missing = packageNames.filter((name) => {
    try {
      require.resolve(name);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) throw new MissingPeerDependencyError(missing, neededBy);
}
