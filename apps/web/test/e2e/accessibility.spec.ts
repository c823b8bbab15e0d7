import type { BrowserContext, Page } from '@playwright/test';
import { expect, expectAccessible, open, shot, signIn, test as base } from './fixtures';

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

/** Opens `path` in light, checks it, switches to dark in place and checks again. */
async function checkBothThemes(page: Page, url: string, label: string): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' });
  await open(page, url);
  // Loading states gone (LoadingRows: "Loading …"): the page shows its data, or its empty or
  // error state.
  await expect(page.locator('main [role="status"]', { hasText: /^Loading/ })).toHaveCount(0);
  await expectAccessible(page, `light ${label}`);
  // The theme follows the system setting: switch it in place rather than loading the page again.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForFunction(() => document.documentElement.classList.contains('dark'));
  await expectAccessible(page, `dark ${label}`);
}

const PAGES = [
  `/orgs/${ORG}/environments`,
  `/orgs/${ORG}/environments/production`,
  `/orgs/${ORG}/tokens`,
  `/orgs/${ORG}/members`,
  `/orgs/${ORG}/repositories`,
  `/orgs/${ORG}/settings/sso`,
  `/orgs/${ORG}/audit`,
  '/account',
];

for (const path of PAGES)
  test(`${path}: no serious or critical accessibility violation, light and dark`, async ({
    owner,
    stack,
  }) => {
    const page = await owner.newPage();
    await checkBothThemes(page, `${stack.consoleUrl}${path}`, path);
    await page.close();
  });

test(`/orgs/${ORG} (overview): no serious or critical accessibility violation, light and dark`, async ({
  owner,
  stack,
}) => {
  const page = await owner.newPage();
  const url = `${stack.consoleUrl}/orgs/${ORG}`;
  await checkBothThemes(page, url, `/orgs/${ORG}`);
  await shot(page, 'overview-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForFunction(() => !document.documentElement.classList.contains('dark'));
  await shot(page, 'overview');
  await page.close();
});

test('/login: no serious or critical accessibility violation, dark and light', async ({
  browser,
  stack,
}) => {
  const anonymous = await browser.newContext({ colorScheme: 'dark' });
  const login = await anonymous.newPage();
  await open(login, `${stack.consoleUrl}/login`);
  await expectAccessible(login, 'dark /login');
  await login.emulateMedia({ colorScheme: 'light' });
  await expectAccessible(login, 'light /login');
  await shot(login, 'login');
  await anonymous.close();
});
