import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_GIT_ENV } from '@switchyard/testing';
import { commitCount, flagsFixture, variantFlag, type FlagsFixture } from './flags-helpers.js';

/**
 * The YAML tab's API on a hosted repository: a file written by hand (comments, odd quoting, blank
 * lines) and pushed over smart HTTP; the stored text of one flag and one segment; API writes that
 * keep every other byte of the file; verbatim saves of one object's lines.
 */
const exec = promisify(execFile);
let f: FlagsFixture;
let base: string;
let dir: string;
let work: string;
beforeAll(async () => {
  f = await flagsFixture([{ key: 'dev' }]);
  await f.t.app.listen(0, '127.0.0.1');
  base = (await f.t.app.getUrl()).replace('[::1]', '127.0.0.1');
  const rev = await f.revision('dev');
  const put = await f.t.call(f.editor, {
    method: 'PUT',
    url: `${f.base('dev')}/namespaces/default/flags/seed`,
    headers: { 'if-match': rev },
    body: variantFlag('seed'),
  });
  expect(put.status).toBe(200);
  dir = await mkdtemp(join(tmpdir(), 'source-'));
  const remote = `${base.replace('http://', `http://x:${f.editor.token}@`)}/git/home/dev.git`;
  await git(dir, ['clone', '--quiet', remote, 'c']);
  work = join(dir, 'c');
  await writeFile(join(work, 'default/features.yaml'), FILE);
  await git(work, ['commit', '-qam', 'hand-written flags']);
  await git(work, ['push', '-q', remote, 'HEAD:main']);
});
afterAll(async () => {
  await f.t.close();
  await rm(dir, { recursive: true, force: true });
});

const git = (cwd: string, args: string[]) =>
  exec('git', args, { cwd, env: TEST_GIT_ENV }).then((r) => r.stdout.trim());

const FILE = `# Flags of the web shop. Owner: #shop
version: "1.4"
namespace:
  key: default
  name: 'Default'

flags:
  # The redesign, behind a flag since March.
  - key: checkout   # do not rename
    name: "Checkout"
    enabled: true
    variants:
      - key: old
      - key: new   # the redesign

  - key: banner
    name: 'Banner'
    enabled: false
segments:
  # Early access.
  - key: beta
    name: Beta
    match_type: ANY_MATCH_TYPE
`;
const CHECKOUT = `  - key: checkout   # do not rename
    name: "Checkout"
    enabled: true
    variants:
      - key: old
      - key: new   # the redesign
`;
const PATH = 'default/features.yaml';
const url = (kind: 'flags' | 'segments', key: string) =>
  `${f.base('dev')}/namespaces/default/${kind}/${key}/source`;

async function fileAt(rev: string): Promise<string> {
  return (await (await f.store('dev')).git(['show', `${rev}:${PATH}`])).toString();
}

describe('object sources (the YAML tab)', () => {
  it('returns a flag and a segment exactly as stored, with file, line range and ETag', async () => {
    const head = await f.revision('dev');
    const res = await f.t.call(f.viewer, { method: 'GET', url: url('flags', 'checkout') });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toEqual({
      revision: head,
      file: PATH,
      startLine: 9,
      endLine: 14,
      text: CHECKOUT,
      version: '1.4',
    });
    expect(res.headers['etag']).toBe(`"${head}"`);
    const seg = await f.t.call(f.viewer, { method: 'GET', url: url('segments', 'beta') });
    expect(seg.json).toMatchObject({ startLine: 21, endLine: 23 });
    expect(seg.json.text).toBe('  - key: beta\n    name: Beta\n    match_type: ANY_MATCH_TYPE\n');
    const missing = await f.t.call(f.viewer, { method: 'GET', url: url('flags', 'nope') });
    expect(missing.status).toBe(404);
  });

  it('a form write through the API changes only that flag’s line; comments and quoting stay', async () => {
    const head = await f.revision('dev');
    const flag = await f.t.call(f.viewer, {
      method: 'GET',
      url: `${f.base('dev')}/namespaces/default/flags/banner`,
    });
    const put = await f.t.call(f.editor, {
      method: 'PUT',
      url: `${f.base('dev')}/namespaces/default/flags/banner`,
      headers: { 'if-match': head },
      body: { ...flag.json.flag, enabled: true },
    });
    expect(put.status, JSON.stringify(put.json)).toBe(200);
    expect(await fileAt(put.json.revision)).toBe(
      FILE.replace(
        "    name: 'Banner'\n    enabled: false",
        "    name: 'Banner'\n    enabled: true",
      ),
    );
    // The text read at the older revision is still the old one.
    const old = await f.t.call(f.viewer, {
      method: 'GET',
      url: `${url('flags', 'banner')}?revision=${head}`,
    });
    expect(old.json.text).toContain('enabled: false');
    const bad = await f.t.call(f.viewer, {
      method: 'GET',
      url: `${url('flags', 'banner')}?revision=${'0'.repeat(40)}`,
    });
    expect(bad.status).toBe(400);
  });

  it('saving the text unchanged writes no commit; an edit replaces exactly its lines', async () => {
    const store = await f.store('dev');
    const read = await f.t.call(f.viewer, { method: 'GET', url: url('flags', 'checkout') });
    const count = await commitCount(store);
    const same = await f.t.call(f.editor, {
      method: 'PUT',
      url: url('flags', 'checkout'),
      headers: { 'if-match': read.json.revision },
      body: { text: read.json.text },
    });
    expect(same.status, JSON.stringify(same.json)).toBe(200);
    expect(same.json.revision).toBe(read.json.revision);
    expect(await commitCount(store)).toBe(count);

    const edited = read.json.text.replace('    enabled: true\n', '    enabled: false # paused\n');
    const saved = await f.t.call(f.editor, {
      method: 'PUT',
      url: `${url('flags', 'checkout')}?message=${encodeURIComponent('Pause checkout')}`,
      headers: { 'if-match': read.json.revision },
      body: { text: edited },
    });
    expect(saved.status, JSON.stringify(saved.json)).toBe(200);
    const before = await fileAt(read.json.revision);
    expect(await fileAt(saved.json.revision)).toBe(
      before.replace(
        CHECKOUT,
        CHECKOUT.replace('    enabled: true\n', '    enabled: false # paused\n'),
      ),
    );
    const summary = (await store.git(['log', '-1', '--format=%an|%s', saved.json.revision]))
      .toString()
      .trim();
    expect(summary).toBe('Eddie Editor|Pause checkout');
    const flag = await f.t.call(f.viewer, {
      method: 'GET',
      url: `${f.base('dev')}/namespaces/default/flags/checkout`,
    });
    expect(flag.json.flag.enabled).toBe(false);

    // A stale revision is a conflict, like every write.
    const stale = await f.t.call(f.editor, {
      method: 'PUT',
      url: url('flags', 'checkout'),
      headers: { 'if-match': read.json.revision },
      body: { text: edited },
    });
    expect(stale.status).toBe(409);
  });

  it('invalid YAML is a 400 at the file’s line and column; other objects and the key cannot change', async () => {
    const read = await f.t.call(f.viewer, { method: 'GET', url: url('flags', 'checkout') });
    const send = (text: string) =>
      f.t.call(f.editor, {
        method: 'PUT',
        url: url('flags', 'checkout'),
        headers: { 'if-match': read.json.revision },
        body: { text },
      });
    const bad = await send(
      read.json.text.replace('- key: old', '- key: old\n        rollout: [oops'),
    );
    expect(bad.status, JSON.stringify(bad.json)).toBe(400);
    expect(bad.json.details[0]).toMatchObject({ file: PATH });
    expect(bad.json.details[0].line).toBeGreaterThanOrEqual(read.json.startLine);
    const unknown = await send(read.json.text.replace('enabled: false', 'enabled: maybe'));
    expect(unknown.status).toBe(400);
    expect(unknown.json.details[0]).toMatchObject({ file: PATH, line: read.json.startLine + 2 });
    const renamed = await send(read.json.text.replace('key: checkout', 'key: checkout2'));
    expect(renamed.status).toBe(400);
    expect(renamed.json.message).toMatch(/key must stay "checkout"/);
    const viewer = await f.t.call(f.viewer, {
      method: 'PUT',
      url: url('flags', 'checkout'),
      headers: { 'if-match': read.json.revision },
      body: { text: read.json.text },
    });
    expect(viewer.status).toBe(403);
  });

  it('a segment saves the same way', async () => {
    const read = await f.t.call(f.viewer, { method: 'GET', url: url('segments', 'beta') });
    const text = `${read.json.text}    description: people who asked # first\n`;
    const saved = await f.t.call(f.editor, {
      method: 'PUT',
      url: url('segments', 'beta'),
      headers: { 'if-match': read.json.revision },
      body: { text },
    });
    expect(saved.status, JSON.stringify(saved.json)).toBe(200);
    const file = await fileAt(saved.json.revision);
    expect(file.endsWith(`  # Early access.\n${text}`)).toBe(true);
    expect(file.startsWith('# Flags of the web shop. Owner: #shop\n')).toBe(true);
  });
});
