import type { BrowserContext, Locator, Page } from '@playwright/test';
import { checkBothThemes, expectAccessible, open, shot, signIn, test as base } from './fixtures';

/**
 * axe-core on every page of the console, light and dark: no serious or critical WCAG 2.2 AA
 * violation. Runs after the `flow` project, on the organisation it built (acme-corp, with an
 * environment, tokens, members, an SSO connection and an audit trail), as its owner. One test per
 * page, spread over the workers; each worker signs in once.
 */
const ORG = 'acme-corp';

const test = base.extend<object, { owner: BrowserContext }>({
  owner: [
    async ({ browser, stack }, use) => {
      const context = await browser.newContext();
      await (await signIn(stack, context, 'alice', `/orgs/${ORG}`)).close();
      await use(context);
      await context.close();
    },
    { scope: 'worker' },
  ],
});
test.describe.configure({ mode: 'parallel' });

/** Status blocks load on their own: axe runs once the sync state and the instance are shown. */
const statusShown = (p: Page) => [
  p.locator('[data-testid="environment-status"] [data-sync]'),
  p.locator('[data-testid="instance-status"] [data-instance-status]'),
];

const PAGES: Array<{ path: string; ready?: (p: Page) => Locator[] }> = [
  { path: `/orgs/${ORG}/environments` },
  { path: `/orgs/${ORG}/environments/production`, ready: statusShown },
  { path: `/orgs/${ORG}/tokens` },
  { path: `/orgs/${ORG}/members` },
  { path: `/orgs/${ORG}/repositories` },
  {
    path: `/orgs/${ORG}/settings/sso`,
    ready: (p) => [p.getByRole('heading', { name: 'Domains' })],
  },
  { path: `/orgs/${ORG}/settings/webhooks` },
  { path: `/orgs/${ORG}/audit` },
  { path: `/orgs/${ORG}/environments/production/flags` },
  // A flag being created: the whole editor (form, variants, rules) without depending on data.
  {
    path: `/orgs/${ORG}/environments/production/flags/default/axe-check?new=VARIANT_FLAG_TYPE`,
    ready: (p) => [p.getByRole('button', { name: 'Add rule' })],
  },
  { path: `/orgs/${ORG}/environments/production/stale` },
  { path: `/orgs/${ORG}/environments/production/segments` },
  {
    path: `/orgs/${ORG}/environments/production/segments/default/axe-check?new`,
    ready: (p) => [p.getByRole('heading', { name: 'Used by' })],
  },
  { path: `/orgs/${ORG}/history` },
  {
    path: `/orgs/${ORG}/environments/production/history`,
    ready: (p) => [p.getByRole('list', { name: 'Commits' })],
  },
  { path: `/orgs/${ORG}/proposals` },
  { path: `/orgs/${ORG}/promotion` },
  { path: `/orgs/${ORG}/playground` },
  { path: '/account', ready: (p) => [p.locator('table[aria-label="Sessions"] tr[data-current]')] },
  // After "you already have an account": the offer to link the other sign-in method.
  {
    path: '/account?link=0195f0c2-aaaa-7bbb-8ccc-0123456789ab',
    ready: (p) => [p.getByTestId('link-sign-in')],
  },
];

for (const { path, ready } of PAGES)
  test(`${path}: no serious or critical accessibility violation, light and dark`, async ({
    owner,
    stack,
  }) => {
    const page = await owner.newPage();
    await checkBothThemes(page, `${stack.consoleUrl}${path}`, path, ready);
    await page.close();
  });

test(`/orgs/${ORG} (overview): no serious or critical accessibility violation, light and dark`, async ({
  owner,
  stack,
}) => {
  const page = await owner.newPage();
  const url = `${stack.consoleUrl}/orgs/${ORG}`;
  await checkBothThemes(page, url, `/orgs/${ORG}`, (p) => [
    ...statusShown(p),
    // The flow's flag commit is served: the screenshots show a revision with its message.
    p.locator('[data-environment="production"] [data-sync="in_sync"]'),
    p.locator('[data-environment="production"] [data-testid="revision-served"] code[data-commit]'),
  ]);
  await shot(page, 'overview-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForFunction(() => !document.documentElement.classList.contains('dark'));
  await shot(page, 'overview');
  await page.close();
});

/** The sign-in page plain, and with a refusal message and a company connection to continue with. */
const LOGIN_PAGES = [
  { path: '/login', shot: 'login' },
  {
    path: '/login?error=sso-required&connection=0195f0c2-aaaa-7bbb-8ccc-0123456789ab&org=acme-corp',
    shot: 'login-sso-required',
  },
  { path: '/login?error=not-member', shot: undefined },
];

for (const { path, shot: name } of LOGIN_PAGES)
  test(`${path}: no serious or critical accessibility violation, dark and light`, async ({
    browser,
    stack,
  }) => {
    const anonymous = await browser.newContext({ colorScheme: 'dark' });
    const login = await anonymous.newPage();
    await open(login, `${stack.consoleUrl}${path}`);
    await expectAccessible(login, `dark ${path}`);
    await login.emulateMedia({ colorScheme: 'light' });
    await expectAccessible(login, `light ${path}`, { coloursOnly: true });
    if (name) await shot(login, name);
    await anonymous.close();
  });
