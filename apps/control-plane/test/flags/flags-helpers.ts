import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitStore } from '@switchyard/git-store';
import { startApp, type Caller, type TestApp } from '../harness.js';

/** A control plane with its own git data directory, an org `home` and one environment. */
export interface FlagsFixture {
  t: TestApp;
  dataDir: string;
  owner: Caller & { kind: 'pat' };
  editor: Caller & { kind: 'pat' };
  editor2: Caller & { kind: 'pat' };
  viewer: Caller & { kind: 'pat' };
  base: (env: string) => string;
  store: (env: string) => Promise<GitStore>;
  revision: (env: string) => Promise<string>;
}

/** Starts the app and creates `envs` through the API. */
export async function flagsFixture(
  envs: { key: string; protected?: boolean }[] = [{ key: 'prod' }],
  extra: Record<string, string> = {},
): Promise<FlagsFixture> {
  const dataDir = await mkdtemp(join(tmpdir(), 'cp-git-'));
  const t = await startApp({ GIT_DATA_DIR: dataDir, ...extra });
  // Closing the app also removes its hosted repositories.
  const close = t.close.bind(t);
  t.close = async () => {
    await close();
    await rm(dataDir, { recursive: true, force: true });
  };
  const home = await t.org('home', {
    'owner@example.com': 'OWNER',
    'editor@example.com': 'EDITOR',
    'editor2@example.com': 'EDITOR',
    'viewer@example.com': 'VIEWER',
  });
  const owner = home.callers['owner@example.com']!;
  await t.db.user.update({
    where: { email: 'editor@example.com' },
    data: { name: 'Eddie Editor' },
  });
  for (const e of envs) {
    const res = await t.call(owner, {
      method: 'POST',
      url: '/api/v1/orgs/home/environments',
      body: { key: e.key, name: e.key, protected: e.protected ?? false },
    });
    if (res.status !== 201) throw new Error(JSON.stringify(res.json));
  }
  const base = (env: string) => `/api/v1/orgs/home/environments/${env}`;
  const store = async (env: string) => {
    const row = await t.db.environment.findFirstOrThrow({ where: { key: env, orgId: home.id } });
    return new GitStore(join(dataDir, 'hosted', home.id, `${row.id}.git`));
  };
  return {
    t,
    dataDir,
    owner,
    editor: home.callers['editor@example.com']!,
    editor2: home.callers['editor2@example.com']!,
    viewer: home.callers['viewer@example.com']!,
    base,
    store,
    async revision(env) {
      const res = await t.call(owner, { method: 'GET', url: `${base(env)}/namespaces` });
      if (res.status !== 200) throw new Error(JSON.stringify(res.json));
      return res.json.revision as string;
    },
  };
}

/** A valid variant flag body. */
export function variantFlag(key: string, extra: Record<string, unknown> = {}) {
  return { key, name: key, enabled: true, variants: [{ key: 'on' }, { key: 'off' }], ...extra };
}

/** Number of commits on a branch. */
export async function commitCount(store: GitStore, branch = 'main'): Promise<number> {
  return Number(
    (await store.git(['rev-list', '--count', `refs/heads/${branch}`])).toString().trim(),
  );
}

/**
 * A second member approves `revision` of proposal `id`, then the author merges it; returns the
 * merge commit. Fails the test when either step does not answer 200.
 */
export async function approveThenMerge(
  f: FlagsFixture,
  env: string,
  id: string,
  revision: string,
  approver: Caller = f.editor2,
): Promise<string> {
  const headers = { 'if-match': `"${revision}"` };
  const url = `${f.base(env)}/proposals/${id}`;
  const approved = await f.t.call(approver, { method: 'POST', url: `${url}/approve`, headers });
  if (approved.status !== 200) throw new Error(`approve: ${JSON.stringify(approved.json)}`);
  const merged = await f.t.call(f.editor, { method: 'POST', url: `${url}/merge`, headers });
  if (merged.status !== 200) throw new Error(`merge: ${JSON.stringify(merged.json)}`);
  return merged.json.revision as string;
}
