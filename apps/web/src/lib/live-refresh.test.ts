import { describe, expect, it } from 'vitest';
import { describeCommit } from './live-refresh';

describe('live notices', () => {
  it('say who committed what to which environment, naming the flags when known', () => {
    const commit = {
      revision: 'a'.repeat(40),
      author: { name: 'Ada', email: 'ada@example.com' },
      message: 'Turn it on',
      changedFlags: [
        { namespace: 'default', key: 'banner' },
        { namespace: 'mobile', key: 'dark' },
      ],
    };
    expect(describeCommit('staging', commit)).toBe(
      'Ada committed to staging: Turn it on (default/banner, mobile/dark)',
    );
    expect(describeCommit('prod', { ...commit, author: null, changedFlags: undefined })).toBe(
      'Someone committed to prod: Turn it on',
    );
  });
});
