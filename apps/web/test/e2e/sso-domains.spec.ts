import type { BrowserContext, Page } from '@playwright/test';
import { expect, open, setDns, shot, signIn, test } from './fixtures';

/**
 * Domain verification on the SSO settings page of acme-corp (the flow's organisation, with its
 * Okta connection): add, a bad name, the TXT record to publish, a failed and then a successful
 * verification against the stack's DNS server, sign-in by e-mail through the verified domain, the
 * read-only view of a viewer, and the deletion. In order: each step builds on the previous one.
 */
test.describe.configure({ mode: 'serial' });

const ORG = 'acme-corp';
const DOMAIN = 'acme.example';
let owner: BrowserContext;
let page: Page;

test.afterAll(async () => {
  await owner?.close();
});

test('an owner adds a domain and sees the TXT record to publish', async ({ browser, stack }) => {
  owner = await browser.newContext();
  page = await signIn(stack, owner, 'alice', `/orgs/${ORG}/settings/sso`);
  await expect(page.getByRole('heading', { name: 'Domains' })).toBeVisible();
  const field = page.getByLabel('Domain', { exact: true });
  await field.fill('https://acme.example/');
  await page.getByRole('button', { name: 'Add domain' }).click();
  await expect(page.locator('#domain-name-error')).toContainText('must be a domain name');
  await field.fill(DOMAIN);
  await page.getByRole('button', { name: 'Add domain' }).click();
  const domain = page.locator(`[data-domain="${DOMAIN}"]`);
  await expect(domain).toBeVisible();
  await expect(page.locator('#domain-name-error')).toBeHidden();
  await expect(domain.getByText('pending verification')).toBeVisible();
  await expect(
    domain.locator('code', { hasText: `_switchyard-challenge.${DOMAIN}` }),
  ).toBeVisible();
  await expect(
    domain.locator('code', { hasText: /^switchyard-domain-verification=/ }),
  ).toBeVisible();
});

test('verification fails until the record is published, then succeeds', async ({ stack }) => {
  const domain = page.locator(`[data-domain="${DOMAIN}"]`);
  await domain.getByRole('button', { name: `Verify ${DOMAIN}` }).click();
  await expect(domain.getByRole('alert')).toHaveText(/^Not verified yet:/);
  const value =
    (await domain.locator('code', { hasText: /^switchyard-domain-verification=/ }).textContent()) ??
    '';
  await setDns(stack, `_switchyard-challenge.${DOMAIN}`, { TXT: ['v=spf1 -all', value] });
  await domain.getByRole('button', { name: `Verify ${DOMAIN}` }).click();
  await expect(domain.getByRole('status')).toHaveText(`${DOMAIN} is verified.`);
  await expect(domain.getByText('verified', { exact: true })).toBeVisible();
  await expect(domain.getByRole('alert')).toHaveCount(0);
  await shot(page, 'sso');
});

test('sign-in by e-mail finds the organisation through its verified domain', async ({
  browser,
  stack,
}) => {
  const context = await browser.newContext();
  const p = await context.newPage();
  await open(p, `${stack.consoleUrl}/login`);
  await p.getByLabel('Sign in with your company’s SSO').fill(`ada@${DOMAIN}`);
  await p.getByRole('button', { name: 'Continue' }).click();
  await p.waitForURL((u) => u.href.startsWith(stack.orgIdps.okta));
  await context.close();
});

test('a viewer sees the domains but cannot add, verify or delete one', async ({
  browser,
  stack,
}) => {
  const context = await browser.newContext();
  const viewer = await signIn(stack, context, 'carol', `/orgs/${ORG}/settings/sso`);
  await expect(viewer.locator(`[data-domain="${DOMAIN}"]`)).toBeVisible();
  await expect(viewer.getByRole('button', { name: 'Add domain' })).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: /^Verify / })).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: /^Delete / })).toHaveCount(0);
  await context.close();
});

test('an owner deletes the domain after confirming', async ({ stack }) => {
  await open(page, `${stack.consoleUrl}/orgs/${ORG}/settings/sso`);
  const domain = page.locator(`[data-domain="${DOMAIN}"]`);
  await domain.getByRole('button', { name: `Delete ${DOMAIN}` }).click();
  await page.getByRole('button', { name: 'Delete domain' }).click();
  await expect(domain).toHaveCount(0);
  await setDns(stack, `_switchyard-challenge.${DOMAIN}`, null);
});
