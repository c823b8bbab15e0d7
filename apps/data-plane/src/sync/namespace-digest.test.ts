import { describe, expect, it } from 'vitest';
import { namespaceDigest } from './namespace-digest.js';

describe('namespaceDigest', () => {
  // Values of the engine's former built-in SHA-1: ETags held by SDKs stay valid across the upgrade.
  it.each([
    ['golden', 'default', '7c3893536e9610f942d2bd12d9ef10103fad5ffa'],
    ['aaaa', 'default', 'cb4931f801da312b0e96436f882ce2836d6970bc'],
    ['r', 'ns-ü😀', 'cd553010afe567c76560dd003fc2be50b8c7488c'],
    ['a\ud800', 'b', 'a085a91b5bdd73e5b625ccadaa03af26ccc46373'],
  ])('digest(%j, %j)', (revision, ns, want) => {
    expect(namespaceDigest(revision, ns)).toBe(want);
  });
});
