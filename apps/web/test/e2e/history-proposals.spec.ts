import type { BrowserContext, Page } from '@playwright/test';
import { callApi, expect, expectAccessible, open, shot, signIn, test } from './fixtures';

/**
 * Review and history in the console, on an organisation of its own: restore one flag after a
 * neighbour changed, promote development → staging (field-level preview), a proposal into a
 * protected environment approved by a second member, then merged and served through the
 * environment URL, pages following commits made elsewhere live, and the playground's explanation
 * agreeing with what the instance answers.
 */
const ORG = 'review-demo';

let alice: BrowserContext;
let carol: BrowserContext;
let page: Page;

test.afterAll(async () => {
  await alice?.close();
  await carol?.close();
});

const flagsPath = (env: string) => `/orgs/${ORG}/environments/${env}/namespaces/default/flags`;

async function putFlag(env: string, flag: Record<string, unknown>, query = '', ifMatch?: string) {
  const etag = ifMatch ?? (await callApi(stack(), alice, 'GET', flagsPath(env))).headers['etag']!;
  const res = await callApi(
    stack(),
    alice,
    'PUT',
    `${flagsPath(env)}/${String(flag['key'])}${query}`,
    flag,
    { 'if-match': etag },
  );
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json.revision as string;
}

let stackRef: Parameters<typeof callApi>[0];
const stack = () => stackRef;

const variant = (key: string, extra: Record<string, unknown> = {}) => ({
  key,
  name: key,
  type: 'VARIANT_FLAG_TYPE',
  enabled: true,
  variants: [{ key: 'blue' }, { key: 'green' }],
  ...extra,
});

/** axe on the page as it is now (no reload: it keeps its state), light then dark's colours. */
async function bothThemes(p: Page, label: string) {
  await p.emulateMedia({ colorScheme: 'light' });
  await p.waitForFunction(() => !document.documentElement.classList.contains('dark'));
  await expectAccessible(p, `light ${label}`);
  await p.emulateMedia({ colorScheme: 'dark' });
  await p.waitForFunction(() => document.documentElement.classList.contains('dark'));
  await expectAccessible(p, `dark ${label}`, { coloursOnly: true });
  await p.emulateMedia({ colorScheme: 'light' });
}

test('history, restore, promotion, proposals and the playground', async ({ browser, stack: s }) => {
  test.setTimeout(360_000);
  stackRef = s;
  alice = await browser.newContext();
  page = await signIn(s, alice, 'alice', '/account');
  const org = await callApi(s, alice, 'POST', '/orgs', { slug: ORG, name: 'Review Demo' });
  expect(org.status, JSON.stringify(org.json)).toBe(201);
  const invited = await callApi(s, alice, 'POST', `/orgs/${ORG}/members`, {
    email: 'carol@example.com',
    role: 'EDITOR',
  });
  expect(invited.status, JSON.stringify(invited.json)).toBe(201);
  for (const [key, prot] of [
    ['development', false],
    ['staging', false],
    ['production', true],
  ] as const) {
    const env = await callApi(s, alice, 'POST', `/orgs/${ORG}/environments`, {
      key,
      name: key,
      protected: prot,
    });
    expect(env.status, JSON.stringify(env.json)).toBe(201);
  }

  // Restore one flag after its neighbour in the same file changed later: no conflict.
  await putFlag('development', variant('checkout', { description: 'first' }));
  const v1 = await putFlag('development', variant('banner', { description: 'one' }));
  await putFlag('development', variant('checkout', { description: 'second', enabled: false }));
  await putFlag('development', variant('banner', { description: 'two' }));
  await open(
    page,
    `${s.consoleUrl}/orgs/${ORG}/environments/development/flags/default/checkout/history`,
  );
  const commits = page.getByRole('list', { name: 'Commits' }).locator(':scope > li');
  await expect(commits).toHaveCount(2);
  // The older of the two checkout commits: the state to restore.
  const first = commits.last();
  expect(v1).toMatch(/^[0-9a-f]{40}$/);
  await first.getByRole('button', { name: 'Show changes' }).click();
  await expect(first.getByRole('table', { name: /Changes of checkout/ })).toBeVisible();
  await first.getByRole('button', { name: 'Restore this flag to this revision' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Restore' }).click();
  await expect(first.getByRole('status')).toContainText('Restored as');
  const checkout = await callApi(s, alice, 'GET', `${flagsPath('development')}/checkout`);
  expect(checkout.json.flag).toMatchObject({ description: 'first', enabled: true });
  const banner = await callApi(s, alice, 'GET', `${flagsPath('development')}/banner`);
  expect((banner.json.flag as { description: string }).description).toBe('two');
  // The history follows commits made elsewhere, live (no reload).
  await expect(commits).toHaveCount(3);
  await putFlag('development', variant('checkout', { description: 'third' }));
  await expect(commits).toHaveCount(4);

  // Promote development → staging: pick the flag in the grid, preview, promote as one commit.
  await open(page, `${s.consoleUrl}/orgs/${ORG}/promotion`);
  await page.getByLabel('From').selectOption('development');
  await page.getByLabel('To').selectOption('staging');
  await page.getByRole('checkbox', { name: 'Select checkout' }).check();
  await page.getByRole('button', { name: /^Preview/ }).click();
  // Field-level changes per flag first (as the review panel shows them), the YAML patch a tab away.
  const promoted = page.getByTestId('entity-change');
  await expect(promoted).toHaveCount(1);
  await expect(promoted).toContainText('flag default/checkout');
  await expect(
    promoted.getByRole('table', { name: 'Changed fields of flag default/checkout' }),
  ).toBeVisible();
  await bothThemes(page, 'promotion preview');
  await shot(page, 'promotion-preview');
  await page.getByRole('tab', { name: 'YAML patch' }).click();
  await expect(page.getByLabel('Promotion diff')).toContainText('key: checkout');
  await page.getByRole('button', { name: 'Promote to staging' }).click();
  await expect(page.getByRole('status')).toContainText('Promoted as');
  const staged = await callApi(s, alice, 'GET', flagsPath('staging'));
  expect((staged.json.flags as { key: string }[]).map((f) => f.key)).toEqual(['checkout']);

  // The segments list follows a commit made elsewhere, and says who changed what.
  await open(page, `${s.consoleUrl}/orgs/${ORG}/environments/staging/segments`);
  await expect(page.getByText('No segments')).toBeVisible();
  const listed = await callApi(s, alice, 'GET', flagsPath('staging'));
  const beta = await callApi(
    s,
    alice,
    'PUT',
    `/orgs/${ORG}/environments/staging/namespaces/default/segments/beta`,
    { key: 'beta', name: 'Beta', match_type: 'ALL_MATCH_TYPE', constraints: [] },
    { 'if-match': listed.headers['etag']! },
  );
  expect(beta.status, JSON.stringify(beta.json)).toBe(200);
  await expect(page.getByRole('link', { name: 'Beta' })).toBeVisible();
  await expect(page.getByText(/committed to staging/)).toBeVisible();

  // A protected environment takes a proposal; a second member approves it in the console, then
  // merges it.
  const proposal = await callApi(
    s,
    alice,
    'POST',
    `/orgs/${ORG}/environments/production/proposals`,
    {
      title: 'Launch checkout',
    },
  );
  expect(proposal.status, JSON.stringify(proposal.json)).toBe(201);
  const segment = {
    key: 'pro',
    name: 'Pro',
    match_type: 'ALL_MATCH_TYPE',
    constraints: [
      { type: 'STRING_COMPARISON_TYPE', property: 'plan', operator: 'eq', value: 'pro' },
    ],
  };
  const seg = await callApi(
    s,
    alice,
    'PUT',
    `/orgs/${ORG}/environments/production/namespaces/default/segments/pro?proposal=${String(proposal.json.id)}`,
    segment,
    { 'if-match': `"${String(proposal.json.revision)}"` },
  );
  expect(seg.status, JSON.stringify(seg.json)).toBe(200);
  await putFlag(
    'production',
    variant('checkout', {
      rules: [
        {
          segment: 'pro',
          distributions: [
            { variant: 'blue', rollout: 50 },
            { variant: 'green', rollout: 50 },
          ],
        },
      ],
    }),
    `?proposal=${String(proposal.json.id)}`,
    `"${String(seg.json.revision)}"`,
  );
  carol = await browser.newContext();
  const carolPage = await signIn(s, carol, 'carol', `/orgs/${ORG}/proposals`);
  await carolPage.getByRole('link', { name: 'Launch checkout' }).click();
  await expect(carolPage.getByTestId('entity-change')).toHaveText([
    /flag default\/checkout/,
    /segment default\/pro/,
  ]);
  await carolPage.getByRole('tab', { name: 'YAML patch' }).click();
  await expect(carolPage.getByLabel('Proposal diff')).toContainText('key: checkout');
  // Carol asks for a change; the author's next commit on the proposal withdraws the request.
  await carolPage.getByLabel('Request changes').fill('Describe the launch');
  await carolPage.getByRole('button', { name: 'Request changes' }).click();
  await expect(carolPage.getByRole('list', { name: 'Requested changes' })).toContainText(
    'carol@example.com requested changes: Describe the launch',
  );
  const proposalUrl = `/orgs/${ORG}/environments/production/proposals/${String(proposal.json.id)}`;
  const current = await callApi(s, alice, 'GET', proposalUrl);
  await putFlag(
    'production',
    variant('checkout', {
      description: 'The new checkout',
      rules: [
        {
          segment: 'pro',
          distributions: [
            { variant: 'blue', rollout: 50 },
            { variant: 'green', rollout: 50 },
          ],
        },
      ],
    }),
    `?proposal=${String(proposal.json.id)}`,
    `"${String(current.json.revision)}"`,
  );
  await open(carolPage, carolPage.url());
  await expect(carolPage.getByLabel('Proposal diff')).toContainText('The new checkout');
  await expect(carolPage.getByRole('list', { name: 'Requested changes' })).toHaveCount(0);
  // The author watches the proposal: it follows the merge live.
  await open(page, `${s.consoleUrl}/orgs/${ORG}/proposals/production/${String(proposal.json.id)}`);
  await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  const merge = carolPage.getByRole('button', { name: 'Merge' });
  await expect(merge).toBeDisabled();
  await expect(carolPage.getByText(/needs an approval of its current revision/)).toBeVisible();
  await carolPage.getByRole('button', { name: 'Approve' }).click();
  await expect(carolPage.getByText('approved by carol@example.com')).toBeVisible();
  await expect(merge).toBeEnabled();
  await shot(carolPage, 'proposal-approved');
  await bothThemes(carolPage, 'approved proposal');
  await merge.click();
  await expect(carolPage.getByText('merged by carol@example.com')).toBeVisible();
  await expect(page.getByText('merged by carol@example.com')).toBeVisible();

  // The playground explains the answer; the instance serves the same through the environment URL.
  await open(page, `${s.consoleUrl}/orgs/${ORG}/playground`);
  await page.getByLabel('Flags (empty: every flag of the namespace)').fill('checkout');
  await page.getByLabel('Entity id').fill('user-42');
  await page.getByLabel('Context (JSON object)').fill('{"plan": "pro"}');
  await page.getByRole('button', { name: 'Evaluate' }).click();
  const result = page.getByTestId('result-production-checkout');
  const answer = (await result.getByTestId('answer').textContent())!;
  expect(['blue', 'green']).toContain(answer);
  await result.getByText('Why?').click();
  await expect(result).toContainText('saw pro');
  await expect(result).toContainText(`falls in variant "${answer}"`);

  const token = await callApi(s, alice, 'POST', `/orgs/${ORG}/client-tokens`, {
    name: 'review',
    environments: ['production'],
  });
  expect(token.status, JSON.stringify(token.json)).toBe(201);
  await expect
    .poll(
      async () => {
        const res = await fetch(`${s.edgeUrl}/e/${ORG}/production/evaluate/v1/variant`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${String(token.json.token)}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({
            namespaceKey: 'default',
            flagKey: 'checkout',
            entityId: 'user-42',
            context: { plan: 'pro' },
          }),
        }).catch(() => null);
        if (!res?.ok) return null;
        return ((await res.json()) as { variantKey: string }).variantKey;
      },
      { timeout: 60_000, intervals: [500] },
    )
    .toBe(answer);
});
