import { expect, expectAccessible, open, shot, signIn, test } from './fixtures';

/**
 * axe-core on every page of the console, light and dark: no serious or critical WCAG 2.2 AA
 * violation. Runs after the `flow` project, on the organisation it built (acme-corp, with an
 * environment, tokens, members, an SSO connection and an audit trail), as its owner.
 */
const ORG = 'acme-corp';

test('every page has no serious or critical accessibility violation, light and dark', async ({
  browser,
  stack,
}) => {
  test.setTimeout(150_000);
  const context = await browser.newContext();
  const page = await signIn(stack, context, 'alice', `/orgs/${ORG}`);
  const paths = [
    '',
    '/environments',
    '/environments/production',
    '/tokens',
    '/members',
    '/repositories',
    '/settings/sso',
    '/audit',
  ].map((p) => `/orgs/${ORG}${p}`);
  for (const path of [...paths, '/account']) {
    await page.emulateMedia({ colorScheme: 'light' });
    await open(page, `${stack.consoleUrl}${path}`);
    // Loading states gone: the page shows its data (or its empty or error state).
    await expect(page.locator('main [role="status"]')).toHaveCount(0);
    await expectAccessible(page, `light ${path}`);
    // The theme follows the system setting: switch it in place rather than loading the page again.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForFunction(() => document.documentElement.classList.contains('dark'));
    await expectAccessible(page, `dark ${path}`);
    if (path === `/orgs/${ORG}`) await shot(page, 'overview-dark');
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await open(page, `${stack.consoleUrl}/orgs/${ORG}`);
  await expect(page.locator('main [role="status"]')).toHaveCount(0);
  await shot(page, 'overview');
  await context.close();

  const anonymous = await browser.newContext({ colorScheme: 'dark' });
  const login = await anonymous.newPage();
  await open(login, `${stack.consoleUrl}/login`);
  await expectAccessible(login, 'dark /login');
  await login.emulateMedia({ colorScheme: 'light' });
  await expectAccessible(login, 'light /login');
  await shot(login, 'login');
  await anonymous.close();
});
