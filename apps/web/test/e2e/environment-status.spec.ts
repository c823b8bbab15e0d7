import { randomUUID } from 'node:crypto';
import type { BrowserContext, Page } from '@playwright/test';
import { createGitRepo, UNKNOWN_SEGMENT_FLAGS_YAML } from '@switchyard/testing';
import pg from 'pg';
import {
  callApi,
  checkBothThemes,
  expect,
  instancePid,
  open,
  shot,
  signIn,
  test,
} from './fixtures';

/**
 * Environment sync status and instance status on the overview and the environment page, for an
 * organisation of its own (`status-demo`, its own instance): a hosted environment before and after
 * the instance loads it, and an environment on an external repository (the stack's test git
 * server) whose latest commit is bad: failing with commit, file, line and column while the last
 * good revision keeps serving. Admins see the instance's last error; viewers do not.
 */
test.describe.configure({ mode: 'serial' });

const ORG = 'status-demo';
const GOOD = [
  'version: "1.4"',
  'namespace:',
  '  key: default',
  'flags:',
  '  - key: banner',
  '    name: Banner',
  '    type: BOOLEAN_FLAG_TYPE',
  '    enabled: false',
  '',
].join('\n');

interface Commit {
  sha: string;
  author: { name: string } | null;
  message: string | null;
}
interface Status {
  sync: string;
  revision: Commit | null;
  error: {
    commit: Commit | null;
    file: string | null;
    line: number | null;
    column: number | null;
  } | null;
}

let owner: BrowserContext;
let page: Page;

test.afterAll(async () => {
  await owner?.close();
});

const card = (p: Page, key: string) =>
  p
    .locator('ul[aria-label="Environments"] li')
    .filter({ has: p.locator(`[data-environment="${key}"]`) });

test('a hosted environment: never synced until the instance loads it, then in sync with the revision served', async ({
  browser,
  stack,
}) => {
  owner = await browser.newContext();
  page = await signIn(stack, owner, 'alice', '/account');
  const org = await callApi(stack, owner, 'POST', '/orgs', { slug: ORG, name: 'Status Demo' });
  expect(org.status, JSON.stringify(org.json)).toBe(201);
  const invited = await callApi(stack, owner, 'POST', `/orgs/${ORG}/members`, {
    // Carol: she has an account already (the flow invited her). Inviting Bob would create his
    // account by e-mail, and sso-profiles.spec.ts needs him without one.
    email: 'carol@example.com',
    role: 'VIEWER',
  });
  expect(invited.status, JSON.stringify(invited.json)).toBe(201);
  await expect
    .poll(async () => (await callApi(stack, owner, 'GET', `/orgs/${ORG}/instance`)).json.status, {
      timeout: 45_000,
    })
    .toBe('ready');
  const pid = instancePid(stack, org.json.id as string);
  expect(pid, 'the instance records its pid').toBeDefined();

  // The instance is paused while the environment is created: nothing can have loaded it, so the
  // console shows what it shows before any instance reports (deterministically, not by a race).
  process.kill(pid!, 'SIGSTOP');
  try {
    const created = await callApi(stack, owner, 'POST', `/orgs/${ORG}/environments`, {
      key: 'staging',
      name: 'Staging',
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    await open(page, `${stack.consoleUrl}/orgs/${ORG}`);
    const sync = card(page, 'staging').getByTestId('environment-status').locator('[data-sync]');
    await expect(sync).toHaveAttribute('data-sync', 'never_synced');
    await expect(sync).toHaveText('Never synced');
  } finally {
    process.kill(pid!, 'SIGCONT');
  }

  const staging = card(page, 'staging');
  await expect(staging.locator('[data-sync]')).toHaveAttribute('data-sync', 'in_sync', {
    timeout: 30_000,
  });
  await expect(staging.locator('[data-sync]')).toHaveText('In sync');
  const status = (await callApi(stack, owner, 'GET', `/orgs/${ORG}/environments/staging`)).json
    .status as Status;
  const revision = status.revision!;
  expect(revision.sha).toMatch(/^[0-9a-f]{40}$/);
  const served = staging.getByTestId('revision-served');
  await expect(served.locator(`code[data-commit="${revision.sha}"]`)).toHaveText(
    revision.sha.slice(0, 7),
  );
  await expect(served).toContainText(revision.message!);
  await expect(served).toContainText(revision.author!.name);
});

test('a revision with a constraint Flipt loads but cannot read is served, with the warning at file and line', async ({
  stack,
}) => {
  const base = `/orgs/${ORG}/environments/staging/namespaces/default`;
  const list = await callApi(stack, owner, 'GET', `${base}/segments`);
  // `isoneof` holding a number: Flipt loads it and the constraint never matches.
  const put = await callApi(
    stack,
    owner,
    'PUT',
    `${base}/segments/mixed-list`,
    {
      key: 'mixed-list',
      name: 'Mixed list',
      match_type: 'ALL_MATCH_TYPE',
      constraints: [
        {
          type: 'STRING_COMPARISON_TYPE',
          property: 'plan',
          operator: 'isoneof',
          value: '["pro", 5]',
        },
      ],
    },
    { 'if-match': list.headers['etag']! },
  );
  expect(put.status, JSON.stringify(put.json)).toBe(200);
  const revision = put.json.revision as string;
  await open(page, `${stack.consoleUrl}/orgs/${ORG}/environments/staging`);
  const warnings = page.getByTestId('sync-warnings');
  await expect(warnings).toBeVisible({ timeout: 30_000 });
  await expect(warnings).toContainText('1 warning');
  await expect(warnings.locator('code')).toHaveText(/features\.yaml:\d+:\d+$/);
  await expect(
    page.getByTestId('revision-served').locator(`code[data-commit="${revision}"]`),
  ).toBeVisible();
  await expect(page.getByTestId('sync-error')).toHaveCount(0);
});

test('an external repository whose latest commit is bad: sync failing with file, line and column, the last good revision served', async ({
  stack,
}) => {
  const repo = await createGitRepo({ projectRoot: stack.gitProjectRoot, name: 'status-flags' });
  const good = await repo.commitFiles({ 'flags/default/features.yaml': GOOD }, 'initial flags');
  // Arranged in the database: the API accepts only https:// and ssh:// remotes (the test git
  // server is plain http on loopback, allowed by the operator switches the stack sets).
  const orgId = (await callApi(stack, owner, 'GET', `/orgs/${ORG}`)).json.id as string;
  const repositoryId = randomUUID();
  const db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  try {
    await db.query(
      'INSERT INTO git_repositories (id, "orgId", name, url, "updatedAt") VALUES ($1, $2, $3, $4, now())',
      [repositoryId, orgId, 'flags', `${stack.gitServerUrl}/status-flags.git`],
    );
  } finally {
    await db.end();
  }
  const created = await callApi(stack, owner, 'POST', `/orgs/${ORG}/environments`, {
    key: 'external',
    name: 'External',
    repositoryId,
    directory: 'flags',
  });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  await open(page, `${stack.consoleUrl}/orgs/${ORG}`);
  const external = card(page, 'external');
  await expect(external.locator('[data-sync]')).toHaveAttribute('data-sync', 'in_sync', {
    timeout: 30_000,
  });
  await expect(external.locator(`code[data-commit="${good}"]`)).toBeVisible();

  // The bad commit, announced the way the repository's host would (its push webhook).
  const bad = await repo.commitFiles(
    { 'flags/default/features.yaml': UNKNOWN_SEGMENT_FLAGS_YAML },
    'rollout on a missing segment',
  );
  const hook = await callApi(
    stack,
    owner,
    'GET',
    `/orgs/${ORG}/repositories/${repositoryId}/webhook`,
  );
  expect(hook.status, JSON.stringify(hook.json)).toBe(200);
  const gitlab = hook.json.gitlab as { path: string; token: string };
  const delivered = await fetch(`${stack.consoleUrl}${gitlab.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-gitlab-token': gitlab.token },
    body: JSON.stringify({ ref: 'refs/heads/main' }),
  });
  expect(delivered.status, await delivered.text()).toBeLessThan(300);

  const sync = external.locator('[data-sync]');
  await expect(sync).toHaveAttribute('data-sync', 'failing', { timeout: 30_000 });
  await expect(sync).toHaveText('Sync failing');
  const error = external.getByTestId('sync-error');
  await expect(error).toContainText('Last sync failed');
  // The commit's details come from the control plane's mirror (fetched by the webhook).
  await expect(error.locator(`code[data-commit="${bad}"]`)).toBeVisible();
  await expect(error).toContainText('rollout on a missing segment');
  const status = (await callApi(stack, owner, 'GET', `/orgs/${ORG}/environments/external`)).json
    .status as Status;
  expect(status.error).toMatchObject({ file: 'default/features.yaml', commit: { sha: bad } });
  expect(status.error!.line).toBeGreaterThan(0);
  expect(status.error!.column).toBeGreaterThan(0);
  // Shown as a repository path: the environment's directory, then the file the instance reports.
  await expect(error.getByTestId('sync-error-location')).toHaveText(
    `flags/default/features.yaml:${status.error!.line}:${status.error!.column}`,
  );
  await expect(error).toContainText(
    'The last good revision keeps being served until a commit fixes this.',
  );
  await expect(
    external.locator(`[data-testid="revision-served"] code[data-commit="${good}"]`),
  ).toBeVisible();

  // The instance: degraded, both environments serving, one failing; its last error for admins.
  const instance = page.getByTestId('instance-status');
  await expect(instance.getByRole('heading')).toHaveText('Instance');
  await expect(instance.locator('[data-instance-status]')).toHaveAttribute(
    'data-instance-status',
    'degraded',
  );
  await expect(instance).toContainText('Last report');
  await expect(instance).toContainText('2 of 2 serving');
  await expect(instance).toContainText('1 failing to sync');
  await expect(instance.getByTestId('instance-restarts')).toHaveText(/^\d+$/);
  await expect(instance.getByText('Last error (admins only)')).toBeVisible();
  await shot(page, 'overview-sync-failing');

  // The environment page: the same block under "Status", and the instance card.
  await open(page, `${stack.consoleUrl}/orgs/${ORG}/environments/external`);
  await expect(page.getByRole('heading', { name: 'Status' })).toBeVisible();
  const block = page.getByTestId('environment-status');
  await expect(block.locator('[data-sync]')).toHaveAttribute('data-sync', 'failing');
  await expect(block.getByTestId('sync-error-location')).toHaveText(
    `flags/default/features.yaml:${status.error!.line}:${status.error!.column}`,
  );
  await expect(page.getByTestId('instance-status').locator('[data-instance-status]')).toBeVisible();
  await shot(page, 'environment-sync-failing');
  await repo.cleanup();
});

test('axe on the overview and the environment page with a failing environment, light and dark', async ({
  stack,
}) => {
  const shown = (p: Page) => [
    p.locator('[data-sync="failing"]'),
    p.getByTestId('sync-error'),
    p.locator('[data-instance-status]'),
  ];
  for (const path of [`/orgs/${ORG}`, `/orgs/${ORG}/environments/external`]) {
    const p = await owner.newPage();
    await checkBothThemes(p, `${stack.consoleUrl}${path}`, path, shown);
    await p.close();
  }
});

test('a viewer sees the status but not the instance’s last error', async ({ browser, stack }) => {
  const context = await browser.newContext();
  const viewer = await signIn(stack, context, 'carol', `/orgs/${ORG}`);
  await open(viewer, `${stack.consoleUrl}/orgs/${ORG}`);
  await expect(card(viewer, 'external').locator('[data-sync]')).toHaveAttribute(
    'data-sync',
    'failing',
  );
  const instance = viewer.getByTestId('instance-status');
  await expect(instance.locator('[data-instance-status]')).toHaveAttribute(
    'data-instance-status',
    'degraded',
  );
  await expect(instance).toContainText('2 of 2 serving');
  await expect(instance.getByText('Last error (admins only)')).toHaveCount(0);
  await context.close();
});
