import { callApi, expect, hydrated, open, signIn, signInAtIdp, test } from './fixtures';

/**
 * Sign-in through each dev IdP profile: the platform login is the Google-like one (every
 * `signIn` checks it), the `flow` project signs Bob in through an organisation's Okta connection,
 * and this spec adds an Auth0 connection (Auth0's issuer shape with its trailing slash, its
 * namespaced roles claim mapped to a role) to another organisation and signs in through it, then
 * turns it off.
 */
test('an Auth0 connection signs a new member in, with the role its roles claim maps to', async ({
  browser,
  stack,
}) => {
  const owner = await browser.newContext();
  const page = await signIn(stack, owner, 'alice', '/account');
  const org = await callApi(stack, owner, 'POST', '/orgs', { slug: 'globex', name: 'Globex' });
  expect(org.status, JSON.stringify(org.json)).toBe(201);

  await open(page, `${stack.consoleUrl}/orgs/globex/settings/sso`);
  await page.getByRole('button', { name: 'New connection' }).click();
  await page.getByLabel('Provider').selectOption('AUTH0');
  await page.getByLabel('Name').fill('Globex Auth0');
  await page.getByLabel('Issuer URL (instead of the domain)').fill(stack.orgIdps.auth0);
  await page.getByLabel('Client ID').fill('switchyard');
  await page.getByLabel('Client secret').fill('dev-secret');
  await page.getByRole('button', { name: 'Add a mapping' }).click();
  await page.getByLabel('Group or role value').fill('editor');
  await page.getByLabel('Role', { exact: true }).selectOption('EDITOR');
  await page.getByRole('button', { name: 'Create connection' }).click();
  await page.getByRole('heading', { name: 'Globex Auth0' }).waitFor();
  const link = (await page.locator('code', { hasText: '/login?connection=' }).textContent()) ?? '';
  expect(link).toMatch(new RegExp(`^${stack.consoleUrl}/login\\?connection=`));

  // Bob is no member of Globex: the shared link offers the company's SSO, Auth0 signs him in and
  // his "editor" role is mapped.
  const context = await browser.newContext();
  const bob = await context.newPage();
  await open(bob, link);
  await bob.getByRole('link', { name: 'Continue with your company’s SSO' }).click();
  await bob.waitForURL((u) => u.href.startsWith(stack.orgIdps.auth0));
  await signInAtIdp(bob, 'bob', 'auth0');
  await bob.waitForURL(`${stack.consoleUrl}/orgs/globex`);
  await hydrated(bob);
  await expect(bob.getByText('Your role: editor')).toBeVisible();
  await context.close();

  // Turned off, the connection starts no sign-in: its link lands on a message saying so.
  await page.getByRole('button', { name: 'Turn off Globex Auth0' }).click();
  await expect(page.getByText('turned off', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Turn on Globex Auth0' })).toBeVisible();
  await owner.close();
  const later = await browser.newContext();
  const visitor = await later.newPage();
  await open(visitor, link);
  await visitor.getByRole('link', { name: 'Continue with your company’s SSO' }).click();
  await visitor.waitForURL((u) => u.pathname === '/login' && u.searchParams.has('error'));
  await expect(
    visitor.locator('main [role="alert"][data-login-error="connection-disabled"]'),
  ).toContainText('This sign-in method is turned off');
  await later.close();
});
