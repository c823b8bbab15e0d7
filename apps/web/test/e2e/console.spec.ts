import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hydrated, launchChromium, open, signInAtIdp } from './browser';
import { isBuilt, startStack, type Stack } from './stack';

/**
 * The console end to end in Debian's Chromium: production build (`next start`), the real control
 * plane on a fresh database, the real dev IdP. Steps depend on each other (one organisation is
 * built up), so they run in order on one stack.
 */
const SHOTS = process.env['UPDATE_SCREENSHOTS']
  ? fileURLToPath(new URL('../../../docs/console/', import.meta.url))
  : null;
const ORG = 'acme-corp';
let stack: Stack;
let browser: Browser;
let alice: BrowserContext;
let page: Page;

async function shot(p: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  // Toasts from the previous step would cover the page.
  const hide = await p.addStyleTag({
    content: '[data-sonner-toaster] { display: none !important; }',
  });
  await p.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
  await hide.evaluate((el) => el.parentNode?.removeChild(el));
}

/** Signs in through the platform SSO (the dev IdP) as `user`, starting from `path`; returns the page. */
async function signIn(context: BrowserContext, user: string, path = '/'): Promise<Page> {
  const p = await context.newPage();
  await open(p, `${stack.consoleUrl}${path}`);
  expect(new URL(p.url()).pathname).toBe('/login');
  await p.getByRole('link', { name: 'Sign in with SSO' }).click();
  await p.waitForURL((u) => u.href.startsWith(stack.idpIssuer));
  await signInAtIdp(p, user);
  await p.waitForURL((u) => u.href.startsWith(stack.consoleUrl) && !u.pathname.startsWith('/api/'));
  await hydrated(p);
  return p;
}

/** No serious or critical WCAG 2.x A/AA violation on the current page. */
async function expectAccessible(p: Page, label: string): Promise<void> {
  const result = await new AxeBuilder({ page: p })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map(
      (v) =>
        `${label}: ${v.id} (${v.impact}) ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    ),
  ).toEqual([]);
}

beforeAll(async () => {
  if (!isBuilt())
    throw new Error('build first: `npm run build` (control plane, dev IdP and the console)');
  stack = await startStack();
  browser = await launchChromium();
  alice = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('console', () => {
  it('refused logins get a message on the sign-in page, not JSON', async () => {
    const p = await alice.newPage();
    await p.goto(
      `${stack.consoleUrl}/api/v1/auth/login?connection=0195f0c2-aaaa-7bbb-8ccc-0123456789ab`,
    );
    expect(new URL(p.url()).pathname).toBe('/login');
    await expect
      .poll(() => p.locator('main [role="alert"]').textContent())
      .toContain('Unknown sign-in link');
    await p.goto(`${stack.consoleUrl}/api/v1/auth/callback/platform?code=x&state=y`);
    await expect
      .poll(() => p.locator('main [role="alert"]').textContent())
      .toContain('Sign-in was refused');
    await p.close();
  });

  it('signs in through the dev IdP and lands on the console, which offers to create the first organisation', async () => {
    page = await signIn(alice, 'alice');
    expect(
      await page.getByRole('heading', { name: 'Create your first organisation' }).isVisible(),
    ).toBe(true);
    expect(await page.content()).not.toContain('"code"');
  });

  it('creates an organisation and lands on its overview', async () => {
    await page.getByLabel('Name').fill('Acme Corp');
    expect(await page.getByLabel('Slug').inputValue()).toBe(ORG);
    await page.getByRole('button', { name: 'Create organisation' }).click();
    await page.waitForURL(`${stack.consoleUrl}/orgs/${ORG}`);
    await page.getByRole('heading', { name: 'No environments yet' }).waitFor();
    // `/` now returns to the organisation used last.
    await open(page, `${stack.consoleUrl}/`);
    expect(page.url()).toBe(`${stack.consoleUrl}/orgs/${ORG}`);
  });

  it('shows API field errors next to the field', async () => {
    await page.getByRole('button', { name: 'New environment' }).click();
    await page.getByLabel('Name').fill('Staging');
    await page.getByLabel('Branch').fill('bad..branch');
    await page.getByRole('button', { name: 'Create environment' }).click();
    await page.locator('#env-branch-error').waitFor();
    expect(await page.locator('#env-branch-error').textContent()).toContain('invalid branch name');
    await page.keyboard.press('Escape');
  });

  it('creates an environment and shows its URLs with copy buttons and SDK snippets', async () => {
    await page.getByRole('button', { name: 'New environment' }).click();
    await page.getByLabel('Name').fill('Production');
    await page.getByRole('button', { name: 'Create environment' }).click();
    await page.waitForURL(`${stack.consoleUrl}/orgs/${ORG}/environments/production`);
    await page.getByRole('heading', { name: 'URLs' }).waitFor();
    const rest = `/e/${ORG}/production`;
    expect(await page.locator('code', { hasText: rest }).first().textContent()).toMatch(
      new RegExp(`^https?://[^/]+${rest}$`),
    );
    await page.getByRole('button', { name: 'Copy REST URL' }).click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toMatch(new RegExp(`${rest}$`));
    await page.getByRole('button', { name: 'Copy the curl snippet' }).click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toContain(`${rest}/evaluate/v1/boolean`);
    await page.getByRole('tab', { name: 'OpenFeature (OFREP)' }).click();
    expect(await page.locator('[data-snippet="ofrep"]').textContent()).toContain(
      `${rest}/ofrep/v1/evaluate/flags/`,
    );
    await shot(page, 'environment');
  });

  it('creates a client token, shows the secret once, and revokes it', async () => {
    await open(page, `${stack.consoleUrl}/orgs/${ORG}/tokens`);
    await page.getByRole('heading', { name: 'No client tokens yet' }).waitFor();
    await page.getByRole('button', { name: 'New client token' }).click();
    await page.getByLabel('Name', { exact: true }).fill('checkout service');
    await page.getByLabel('Production (production)').check();
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByRole('heading', { name: 'Copy your token now' }).waitFor();
    const secret = (await page.getByRole('dialog').locator('code').textContent()) ?? '';
    expect(secret.length).toBeGreaterThan(20);
    await page.getByRole('button', { name: 'Copy client token' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await page.getByRole('button', { name: 'Done' }).click();
    const row = page.locator('tr[data-token="checkout service"]');
    await row.waitFor();
    expect(await page.content()).not.toContain(secret);
    await shot(page, 'tokens');
    await row.getByRole('button', { name: 'Revoke checkout service' }).click();
    await page.getByRole('button', { name: 'Revoke token' }).click();
    await row.getByText('revoked').waitFor();
  });

  it('invites a member and changes the role; the last owner cannot be demoted', async () => {
    await open(page, `${stack.consoleUrl}/orgs/${ORG}/members`);
    await page.getByRole('button', { name: 'Invite member' }).click();
    await page.getByLabel('E-mail').fill('carol@example.com');
    await page.getByLabel('Role', { exact: true }).selectOption('EDITOR');
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    const carol = page.getByLabel('Role of carol@example.com');
    await carol.waitFor();
    expect(await carol.inputValue()).toBe('EDITOR');
    await carol.selectOption('VIEWER');
    await page.getByText('carol@example.com is now viewer').waitFor();
    expect(await page.getByLabel('Role of alice@example.com').count()).toBe(0);
    expect(await page.getByText('always keeps at least one owner').isVisible()).toBe(true);
    await shot(page, 'members');
  });

  it('a viewer signs in and finds no edit controls', async () => {
    const context = await browser.newContext();
    const viewer = await signIn(context, 'carol');
    expect(viewer.url()).toBe(`${stack.consoleUrl}/orgs/${ORG}`);
    await viewer.getByRole('link', { name: 'Production' }).waitFor();
    expect(await viewer.getByRole('button', { name: 'New environment' }).count()).toBe(0);
    await open(viewer, `${stack.consoleUrl}/orgs/${ORG}/members`);
    await viewer.locator('tr[data-member="alice@example.com"]').waitFor();
    expect(await viewer.getByRole('button', { name: 'Invite member' }).count()).toBe(0);
    expect(await viewer.getByRole('combobox').count()).toBe(0);
    await open(viewer, `${stack.consoleUrl}/orgs/${ORG}/tokens`);
    await viewer.getByRole('heading', { name: 'Editors and above see client tokens' }).waitFor();
    await context.close();
  });

  it('adds an SSO connection (discovery against a second dev IdP) whose sign-in link works', async () => {
    const issuer = await stack.startIdp('okta');
    await open(page, `${stack.consoleUrl}/orgs/${ORG}/settings/sso`);
    await page.getByRole('button', { name: 'New connection' }).click();
    await page.getByRole('button', { name: 'Create connection' }).click();
    expect(await page.locator('#sso-client-id-error').textContent()).toBe('Required.');
    await page.getByLabel('Name').fill('Acme Okta');
    await page.getByLabel('Issuer URL (instead of the domain)').fill(issuer);
    await page.getByLabel('Client ID').fill('switchyard');
    await page.getByLabel('Client secret').fill('dev-secret');
    await page.getByRole('button', { name: 'Add a mapping' }).click();
    await page.getByLabel('Group or role value').fill('switchyard-editors');
    await page.getByLabel('Role', { exact: true }).selectOption('EDITOR');
    await page.getByRole('button', { name: 'Create connection' }).click();
    await page.getByRole('heading', { name: 'Acme Okta' }).waitFor();
    const link =
      (await page.locator('code', { hasText: '/login?connection=' }).textContent()) ?? '';
    expect(await page.locator('code', { hasText: '/api/v1/auth/callback/' }).textContent()).toMatch(
      new RegExp(`^${stack.consoleUrl}/api/v1/auth/callback/`),
    );
    await shot(page, 'sso');

    // Bob is not a member: the company link signs him in and maps his Okta group to editor.
    const context = await browser.newContext();
    const bob = await context.newPage();
    await open(bob, `${stack.consoleUrl}/login`);
    await bob.getByLabel('Sign in with your company’s SSO').fill(link);
    await bob.getByRole('button', { name: 'Continue' }).click();
    await bob.waitForURL((u) => u.href.startsWith(issuer));
    await signInAtIdp(bob, 'bob');
    await bob.waitForURL(`${stack.consoleUrl}/orgs/${ORG}`);
    await hydrated(bob);
    expect(await bob.getByText('Your role: editor').isVisible()).toBe(true);
    await context.close();
  });

  it('the audit log lists all of it, with filters in the URL', async () => {
    await open(page, `${stack.consoleUrl}/orgs/${ORG}/audit`);
    await page.locator('tr[data-action]').first().waitFor();
    const actions = await page
      .locator('tr[data-action]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    for (const a of [
      'org.create',
      'environment.create',
      'client_token.create',
      'client_token.revoke',
      'member.invite',
      'member.role_change',
      'sso_connection.create',
      'member.sso_provision',
    ])
      expect(actions).toContain(a);
    await shot(page, 'audit');
    await page.getByLabel('Action').fill('member.invite');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/action=member.invite/);
    await expect
      .poll(() =>
        page
          .locator('tr[data-action]')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action'))),
      )
      .toEqual(['member.invite']);
  });

  it('⌘K opens the command palette and navigates', async () => {
    await open(page, `${stack.consoleUrl}/orgs/${ORG}`);
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: 'Command palette' }).fill('members');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${stack.consoleUrl}/orgs/${ORG}/members`);
  });

  it(
    'main pages have no serious or critical accessibility violation, light and dark',
    { timeout: 150_000 },
    async () => {
      const paths = [
        '',
        '/environments/production',
        '/tokens',
        '/members',
        '/settings/sso',
        '/audit',
      ].map((p) => `/orgs/${ORG}${p}`);
      for (const path of [...paths, '/account']) {
        await page.emulateMedia({ colorScheme: 'light' });
        await open(page, `${stack.consoleUrl}${path}`);
        await page.locator('main [role="status"]').first().waitFor({ state: 'detached' });
        await expectAccessible(page, `light ${path}`);
        // The theme follows the system setting: switch it in place rather than loading the page again.
        await page.emulateMedia({ colorScheme: 'dark' });
        await page.waitForFunction(() => document.documentElement.classList.contains('dark'));
        await expectAccessible(page, `dark ${path}`);
        if (path === `/orgs/${ORG}`) await shot(page, 'overview-dark');
      }
      await page.emulateMedia({ colorScheme: 'light' });
      await open(page, `${stack.consoleUrl}/orgs/${ORG}`);
      await page.locator('main [role="status"]').first().waitFor({ state: 'detached' });
      await shot(page, 'overview');
      const anonymous = await browser.newContext({ colorScheme: 'dark' });
      const login = await anonymous.newPage();
      await open(login, `${stack.consoleUrl}/login`);
      await expectAccessible(login, 'dark /login');
      await login.emulateMedia({ colorScheme: 'light' });
      await expectAccessible(login, 'light /login');
      await shot(login, 'login');
      await anonymous.close();
    },
  );

  it('signs out; the old session cookie is refused afterwards', async () => {
    const cookie = (await alice.cookies()).find((c) => c.name === '__Host-switchyard_session');
    expect(cookie).toBeDefined();
    await open(page, `${stack.consoleUrl}/orgs/${ORG}`);
    await page.getByRole('button', { name: 'Account: alice@example.com' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith(`/orgs/`));
    // The dev IdP may ask to confirm its own sign-out (RP-initiated logout).
    if (page.url().startsWith(stack.idpIssuer)) await page.locator('button[name="logout"]').click();
    await page.waitForURL((u) => u.href.startsWith(`${stack.consoleUrl}/login`));
    const res = await fetch(`${stack.consoleUrl}/api/v1/session`, {
      headers: { cookie: `${cookie!.name}=${cookie!.value}` },
    });
    expect(res.status).toBe(401);
  });
});
