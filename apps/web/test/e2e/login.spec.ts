import { expect, open, test } from './fixtures';

/**
 * The sign-in page without a session: company SSO by e-mail or organisation, and a message for
 * every refused login (`/login?error=<code>`, where the API's refusals land).
 */
test('company SSO: an unverified e-mail domain is told so; an organisation with a connection goes to its IdP', async ({
  page,
  stack,
}) => {
  await open(page, `${stack.consoleUrl}/login`);
  const field = page.getByLabel('Sign in with your company’s SSO');
  await field.fill('ada@nowhere.example');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.locator('#company-sso-error')).toContainText(
    'No company sign-in is set up for this',
  );
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  // acme-corp has the Okta connection the flow added.
  await field.fill('acme-corp');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((u) => u.href.startsWith(stack.orgIdps.okta));
  await expect(page.getByRole('heading', { level: 1 })).toContainText('(okta)');
});

const REFUSALS: Array<[code: string, title: string]> = [
  ['not-member', 'You are not a member of this organisation'],
  ['idp-denied', 'Sign-in was cancelled'],
  ['connection-disabled', 'This sign-in method is turned off'],
  ['state-expired', 'The sign-in took too long or was already used'],
  ['email-not-allowed', 'This account is not allowed here'],
];

test('every refused login lands on a message of its own', async ({ page, stack }) => {
  for (const [code, title] of REFUSALS) {
    await page.goto(`${stack.consoleUrl}/login?error=${code}`);
    const alert = page.locator(`main [role="alert"][data-login-error="${code}"]`);
    await expect(alert).toContainText(title);
  }
  // A code the console does not know is still a message, never a blank page.
  await page.goto(`${stack.consoleUrl}/login?error=something-new`);
  await expect(page.locator('main [role="alert"][data-login-error="refused"]')).toContainText(
    'Sign-in was refused',
  );
});

test('sso-required offers the company connection, or fills in the organisation', async ({
  page,
  stack,
}) => {
  const connection = '0195f0c2-aaaa-7bbb-8ccc-0123456789ab';
  await open(page, `${stack.consoleUrl}/login?error=sso-required&connection=${connection}`);
  await expect(page.locator('main [role="alert"][data-login-error="sso-required"]')).toContainText(
    'This organisation requires its own SSO',
  );
  const link = page.getByRole('link', { name: 'Continue with your company’s SSO' });
  await expect(link).toHaveAttribute('href', new RegExp(`connection=${connection}`));
  await open(page, `${stack.consoleUrl}/login?error=sso-required&org=acme`);
  await expect(page.locator('#company-sso')).toHaveValue('acme');
  await expect(page.getByRole('link', { name: 'Continue with your company’s SSO' })).toHaveCount(0);
});

test('an account that exists already: sign in the usual way, then /account offers the link', async ({
  page,
  stack,
}) => {
  const connection = '0195f0c2-aaaa-7bbb-8ccc-0123456789ab';
  await open(page, `${stack.consoleUrl}/login?error=link-required&connection=${connection}`);
  await expect(page.locator('[data-login-error="link-required"]')).toBeVisible();
  // The refused connection is not offered again; the usual sign-in comes back to the link offer.
  await expect(page.getByRole('link', { name: 'Continue with your company’s SSO' })).toHaveCount(0);
  const href = await page.getByRole('link', { name: 'Sign in with SSO' }).getAttribute('href');
  expect(new URL(href!, stack.consoleUrl).searchParams.get('returnTo')).toBe(
    `/account?link=${connection}`,
  );
});
