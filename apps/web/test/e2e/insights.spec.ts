import { randomUUID } from 'node:crypto';
import type { BrowserContext, Page } from '@playwright/test';
import { createGitRepo } from '@switchyard/testing';
import pg from 'pg';
import { callApi, checkBothThemes, expect, open, shot, signIn, test } from './fixtures';

/**
 * Flag insights in the console, on an organisation of its own (`insights-demo`, its own
 * instance): evaluations through the environment URL show up in the flag's chart (per value,
 * with a marker at the commit to the flag), as a trend line in the flag list and as "last
 * evaluated"; the stale view lists a flag nobody evaluated for 30 days (its last commit is 40
 * days old) and archives it in one commit. axe in light and dark on the chart and the stale view.
 */
const ORG = 'insights-demo';
const FLAGS = [
  'version: "1.4"',
  'namespace:',
  '  key: default',
  'flags:',
  '  - key: checkout',
  '    name: Checkout',
  '    enabled: true',
  '    variants:',
  '      - key: blue',
  '        default: true',
  '      - key: green',
  '  - key: old',
  '    name: Old',
  '    type: BOOLEAN_FLAG_TYPE',
  '    enabled: false',
  '',
].join('\n');

let owner: BrowserContext;
let page: Page;

let cleanup: (() => Promise<void>) | undefined;

test.afterAll(async () => {
  await owner?.close();
  await cleanup?.();
});

test('evaluation chart, trend lines, last evaluated, and the stale view with bulk archive', async ({
  browser,
  stack,
}) => {
  test.setTimeout(480_000);
  owner = await browser.newContext();
  page = await signIn(stack, owner, 'alice', '/account');
  const org = await callApi(stack, owner, 'POST', '/orgs', { slug: ORG, name: 'Insights Demo' });
  expect(org.status, JSON.stringify(org.json)).toBe(201);

  // An external repository whose flags were last changed 40 days ago.
  const repo = await createGitRepo({ projectRoot: stack.gitProjectRoot, name: 'insights-flags' });
  cleanup = () => repo.cleanup();
  await repo.write({ 'default/features.yaml': FLAGS });
  await repo.git(['add', '--all']);
  await repo.git([
    'commit',
    '--quiet',
    '-m',
    'initial flags',
    '--date',
    new Date(Date.now() - 40 * 86_400_000).toISOString(),
  ]);
  await repo.push();
  const repositoryId = randomUUID();
  const db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  try {
    await db.query(
      'INSERT INTO git_repositories (id, "orgId", name, url, "updatedAt") VALUES ($1, $2, $3, $4, now())',
      [repositoryId, org.json.id, 'flags', `${stack.gitServerUrl}/insights-flags.git`],
    );
  } finally {
    await db.end();
  }
  const env = await callApi(stack, owner, 'POST', `/orgs/${ORG}/environments`, {
    key: 'production',
    name: 'Production',
    repositoryId,
  });
  expect(env.status, JSON.stringify(env.json)).toBe(201);
  const token = await callApi(stack, owner, 'POST', `/orgs/${ORG}/client-tokens`, {
    name: 'sdk',
    environments: ['production'],
  });
  expect(token.status, JSON.stringify(token.json)).toBe(201);
  const url = (env.json.urls as { rest: string }).rest;
  const evaluate = () =>
    fetch(`${url}/evaluate/v1/variant`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token.json.token as string}`,
        'content-type': 'application/json',
      },
      body: '{"namespaceKey":"default","flagKey":"checkout","entityId":"u1"}',
    }).then((r) => r.status);
  await expect.poll(evaluate, { timeout: 60_000, intervals: [250] }).toBe(200);
  for (let i = 0; i < 19; i++) expect(await evaluate()).toBe(200);

  // A commit to the flag: a marker on its chart.
  const flagsPath = `/orgs/${ORG}/environments/production/namespaces/default/flags`;
  const etag = (await callApi(stack, owner, 'GET', flagsPath)).headers['etag']!;
  const put = await callApi(
    stack,
    owner,
    'PUT',
    `${flagsPath}/checkout?message=${encodeURIComponent('describe checkout')}`,
    {
      key: 'checkout',
      name: 'Checkout',
      description: 'the checkout button colour',
      type: 'VARIANT_FLAG_TYPE',
      enabled: true,
      variants: [{ key: 'blue', default: true }, { key: 'green' }],
    },
    { 'if-match': etag },
  );
  expect(put.status, JSON.stringify(put.json)).toBe(200);
  // Counted by the instance within its 5 s interval.
  await expect
    .poll(
      async () =>
        (
          await callApi(
            stack,
            owner,
            'GET',
            `${flagsPath}/checkout/usage?granularity=minute&from=${new Date(Date.now() - 3_600_000).toISOString()}`,
          )
        ).json.total as number,
      { timeout: 30_000 },
    )
    .toBe(20);

  const flagUrl = `${stack.consoleUrl}/orgs/${ORG}/environments/production/flags/default/checkout`;
  await checkBothThemes(page, flagUrl, 'flag chart', (p) => [
    p.getByTestId('usage-chart'),
    p.getByRole('list', { name: 'Values served' }),
  ]);
  await page.getByRole('button', { name: '1h' }).click();
  const chart = page.getByTestId('usage-chart');
  await expect(chart).toHaveAttribute('aria-label', /20 in total; blue 20/);
  await expect(page.getByRole('list', { name: 'Values served' })).toContainText('blue');
  await expect(chart.getByTestId('commit-marker')).toHaveCount(1);
  await expect(chart.getByTestId('commit-marker').locator('title')).toHaveText(
    /: describe checkout \(/,
  );
  await expect(page.getByTestId('last-evaluated-production')).toContainText(/Last evaluated \d+/);
  await shot(page, 'flag-usage');
  await expect(
    page.getByText('Client-side SDKs that evaluate a downloaded snapshot are not seen.'),
  ).toBeVisible();

  // The flag list: a trend line per flag.
  await open(page, `${stack.consoleUrl}/orgs/${ORG}/environments/production/flags`);
  await expect(page.getByTestId('sparkline')).toHaveCount(2);
  await expect(
    page.getByRole('link', { name: /Checkout/ }).getByRole('img', { name: /evaluations in 24 h/ }),
  ).toBeVisible();

  // The stale view: `old` was never evaluated and last changed 40 days ago.
  const staleUrl = `${stack.consoleUrl}/orgs/${ORG}/environments/production/stale`;
  await checkBothThemes(page, staleUrl, 'stale flags', (p) => [
    p.getByRole('list', { name: 'Stale flags' }),
  ]);
  const list = page.getByRole('list', { name: 'Stale flags' });
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await expect(list).toContainText('not evaluated for 30 days in any environment (last: never)');
  await shot(page, 'stale-flags');
  await page.getByRole('checkbox', { name: 'Select default/old' }).check();
  await page.getByRole('button', { name: 'Archive selected (1)' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Archive' }).click();
  await expect(page.getByText('No stale flags')).toBeVisible();
  const flags = await callApi(stack, owner, 'GET', flagsPath);
  expect((flags.json.flags as Array<{ key: string }>).map((f) => f.key)).toEqual(['checkout']);
  const history = await callApi(
    stack,
    owner,
    'GET',
    `/orgs/${ORG}/environments/production/history?limit=1`,
  );
  expect((history.json.commits as Array<{ summary: string }>)[0]!.summary).toBe(
    'Archive 1 stale flag',
  );
});
