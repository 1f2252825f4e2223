import { MissingPeerDependencyError } from '../../../lib/core/errors/missing-peer-dependency.error';
import { requirePeers } from '../../../lib/core/peer-dependencies';

describe('requirePeers', () => {
  it('passes when every package is installed', () => {
    expect(() => requirePeers('busline/mqtt', ['mqtt', 'avsc'])).not.toThrow();
  });

  it('names each missing package, what needs it, and the install command', () => {
    let error: unknown;
    try {
      requirePeers('busline/nest', ['@nestjs/common', 'no-such-package-a', 'no-such-package-b']);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MissingPeerDependencyError);
    expect(error).toMatchObject({
      neededBy: 'busline/nest',
      packageNames: ['no-such-package-a', 'no-such-package-b'],
    });
    expect((error as Error).message).toBe(
      "busline/nest needs 'no-such-package-a', 'no-such-package-b', which are not installed: " +
        'run npm install no-such-package-a no-such-package-b',
    );
  });
});
