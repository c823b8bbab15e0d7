import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { callApi, expect, hydrated, open, shot, signIn, signInAtIdp, test } from './fixtures';

/**
 * The console end to end in Debian's Chromium: production build (`next start`), the real control
 * plane on a fresh database, the provisioning worker with a real data-plane instance, the edge,
 * the dev IdPs. Steps depend on each other (one organisation is built up), so they run in order
 * on one page; the `pages` project (accessibility, SSO profiles) runs after it on the same data.
 */
test.describe.configure({ mode: 'serial' });

const run = promisify(execFile);

const ORG = 'acme-corp';
let browser: Browser;
let alice: BrowserContext;
let page: Page;

test.beforeAll(async ({ browser: b }) => {
  browser = b;
  alice = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
});

test.afterAll(async () => {
  await alice?.close();
});

test.describe('console', () => {
  test('refused logins get a message on the sign-in page, not JSON', async ({ stack }) => {
    const p = await alice.newPage();
    await p.goto(
      `${stack.consoleUrl}/api/v1/auth/login?connection=0195f0c2-aaaa-7bbb-8ccc-0123456789ab`,
    );
    expect(new URL(p.url()).pathname).toBe('/login');
    await expect
      .poll(() => p.locator('main [role="alert"]').textContent())
      .toContain('Unknown sign-in link');
    // A callback without the login cookie this browser got when it started the sign-in.
    await p.goto(`${stack.consoleUrl}/api/v1/auth/callback/platform?code=x&state=y`);
    const alert = p.locator('main [role="alert"]');
    await expect(alert).toHaveAttribute('data-login-error', 'state-expired');
    await expect(alert).toContainText('The sign-in took too long or was already used');
    await p.close();
  });

  test('signs in through the dev IdP and lands on the console, which offers to create the first organisation', async ({
    stack,
  }) => {
    page = await signIn(stack, alice, 'alice');
    expect(
      await page.getByRole('heading', { name: 'Create your first organisation' }).isVisible(),
    ).toBe(true);
    expect(await page.content()).not.toContain('"code"');
  });

  test('creates an organisation and lands on its overview', async ({ stack }) => {
    await page.getByLabel('Name').fill('Acme Corp');
    expect(await page.getByLabel('Slug').inputValue()).toBe(ORG);
    await page.getByRole('button', { name: 'Create organisation' }).click();
    await page.waitForURL(`${stack.consoleUrl}/orgs/${ORG}`);
    await page.getByRole('heading', { name: 'No environments yet' }).waitFor();
    // `/` now returns to the organisation used last.
    await open(page, `${stack.consoleUrl}/`);
    expect(page.url()).toBe(`${stack.consoleUrl}/orgs/${ORG}`);
  });

  test('shows API field errors next to the field', async () => {
    await page.getByRole('button', { name: 'New environment' }).click();
    await page.getByLabel('Name').fill('Staging');
    await page.getByLabel('Branch').fill('bad..branch');
    await page.getByRole('button', { name: 'Create environment' }).click();
    await page.locator('#env-branch-error').waitFor();
    expect(await page.locator('#env-branch-error').textContent()).toContain('invalid branch name');
    await page.keyboard.press('Escape');
  });

  test('creates an environment and shows its URLs with copy buttons and SDK snippets', async ({
    stack,
  }) => {
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
    // What the instance serves, and the instance itself, above the URLs.
    await expect(page.getByRole('heading', { name: 'Status' })).toBeVisible();
    await expect(page.locator('[data-testid="environment-status"] [data-sync]')).toBeVisible();
    await expect(page.getByTestId('instance-status').getByRole('heading')).toHaveText('Instance');
  });

  test('creates a client token, shows the secret once, and revokes it', async ({ stack }) => {
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

  test('the curl snippet copied from the environment page evaluates through the environment URL', async ({
    stack,
  }) => {
    // A flag to evaluate (committed through the flag API, as a script would) and a client token.
    const flags = `/orgs/${ORG}/environments/production/namespaces/default/flags`;
    const list = await callApi(stack, alice, 'GET', flags);
    expect(list.status, JSON.stringify(list.json)).toBe(200);
    const put = await callApi(
      stack,
      alice,
      'PUT',
      `${flags}/new-checkout`,
      { key: 'new-checkout', name: 'New checkout', type: 'BOOLEAN_FLAG_TYPE', enabled: true },
      list.headers['etag'] ? { 'if-match': list.headers['etag'] } : {},
    );
    expect(put.status, JSON.stringify(put.json)).toBe(200);
    const token = await callApi(stack, alice, 'POST', `/orgs/${ORG}/client-tokens`, {
      name: 'curl',
      environments: ['production'],
    });
    expect(token.status, JSON.stringify(token.json)).toBe(201);

    await open(page, `${stack.consoleUrl}/orgs/${ORG}/environments/production`);
    await page.getByRole('tab', { name: 'curl' }).click();
    await page.evaluate(() => navigator.clipboard.writeText(''));
    await page.getByRole('button', { name: 'Copy the curl snippet' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain('curl');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    // The copy is exactly what the page shows.
    expect(copied).toBe(await page.locator('[data-snippet="curl"]').textContent());
    expect(copied).toContain(`${stack.edgeUrl}/e/${ORG}/production/evaluate/v1/boolean`);
    // As the page says: export SWITCHYARD_TOKEN as a client token, then paste it into a shell.
    expect(copied).toContain('"Authorization: Bearer $SWITCHYARD_TOKEN"');
    const command = `export SWITCHYARD_TOKEN=${token.json.token as string}\n${copied} -w '\\n%{http_code}'`;
    // The organisation's instance may still be starting or syncing the commit: retry until it answers.
    let last = '';
    await expect
      .poll(
        async () => {
          const { stdout } = await run('bash', ['-c', command]).catch(
            (e: { stdout?: string; message: string }) => ({ stdout: e.stdout ?? e.message }),
          );
          last = stdout;
          return stdout.trim().split('\n').pop();
        },
        { timeout: 45_000, intervals: [250] },
      )
      .toBe('200');
    const body = JSON.parse(last.trim().split('\n').slice(0, -1).join('\n')) as {
      enabled: boolean;
      flagKey: string;
    };
    expect(body).toMatchObject({ enabled: true, flagKey: 'new-checkout' });

    // The page shows the commit the instance now serves (the flag API's commit, with its author).
    type Commit = { sha: string; author: { name: string } | null; message: string | null };
    let served: Commit | null = null;
    await expect
      .poll(async () => {
        const res = await callApi(stack, alice, 'GET', `/orgs/${ORG}/environments/production`);
        const s = res.json.status as { sync: string; head: string; revision: Commit | null };
        served = s.revision;
        return s.sync === 'in_sync' && s.revision?.sha === s.head && s.revision.author !== null;
      })
      .toBe(true);
    const revision = served as unknown as Commit;
    expect(revision.sha).toMatch(/^[0-9a-f]{40}$/);
    const block = page.locator('[data-testid="environment-status"]');
    await expect(block.locator('[data-sync]')).toHaveAttribute('data-sync', 'in_sync');
    await expect(block.locator('[data-sync]')).toHaveText('In sync');
    const line = block.getByTestId('revision-served');
    await expect(line.locator(`code[data-commit="${revision.sha}"]`)).toHaveText(
      revision.sha.slice(0, 7),
    );
    await expect(line).toContainText(revision.message!);
    await expect(line).toContainText(revision.author!.name);
    await expect(page.locator('[data-instance-status="ready"]')).toBeVisible();
    await shot(page, 'environment');
  });

  test('invites a member and changes the role; the last owner cannot be demoted', async ({
    stack,
  }) => {
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

  test('a viewer signs in and finds no edit controls', async ({ stack }) => {
    const context = await browser.newContext();
    const viewer = await signIn(stack, context, 'carol');
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

  test('adds an Okta SSO connection (discovery against the Okta-like dev IdP) whose sign-in link works', async ({
    stack,
  }) => {
    const issuer = stack.orgIdps.okta;
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

    // Bob is not a member: the company link signs him in and maps his Okta group to editor.
    const context = await browser.newContext();
    const bob = await context.newPage();
    await open(bob, `${stack.consoleUrl}/login`);
    await bob.getByLabel('Sign in with your company’s SSO').fill(link);
    await bob.getByRole('button', { name: 'Continue' }).click();
    await bob.waitForURL((u) => u.href.startsWith(issuer));
    await signInAtIdp(bob, 'bob', 'okta');
    await bob.waitForURL(`${stack.consoleUrl}/orgs/${ORG}`);
    await hydrated(bob);
    expect(await bob.getByText('Your role: editor').isVisible()).toBe(true);
    await context.close();
  });

  test('the audit log lists all of it, with filters in the URL', async ({ stack }) => {
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

    // An environment's trail: its own events and the commits made in it, each linking to it.
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.waitForURL((u) => u.search === '');
    await page.getByLabel('Environment').selectOption('production');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/environment=production/);
    await expect
      .poll(() =>
        page
          .locator('tr[data-action]')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action'))),
      )
      .toEqual(['flag.put', 'environment.create']);
    const commit = page.locator('tr[data-action="flag.put"] a[data-commit]');
    await expect(commit).toHaveText(/^production@[0-9a-f]{7}$/);
    await expect(commit).toHaveAttribute('href', `/orgs/${ORG}/environments/production`);
    // A time window: nothing happened after a minute from now.
    await page.getByLabel('From').fill(localMinuteFromNow());
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/since=/);
    await expect(page.getByText('No matching events')).toBeVisible();
  });

  test('⌘K opens the command palette and navigates', async ({ stack }) => {
    await open(page, `${stack.consoleUrl}/orgs/${ORG}`);
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: 'Command palette' }).fill('members');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${stack.consoleUrl}/orgs/${ORG}/members`);
  });

  test('/account lists the sessions; revoking another one signs that browser out', async ({
    stack,
  }) => {
    // Alice's only other session: a second browser (the pages project has not started yet).
    const other = await browser.newContext();
    await (await signIn(stack, other, 'alice', '/account')).close();
    await open(page, `${stack.consoleUrl}/account`);
    const rows = page.locator('table[aria-label="Sessions"] tbody tr');
    await expect(rows).toHaveCount(2);
    const current = page.locator('tr[data-current]');
    await expect(current).toContainText('this browser');
    await expect(current.getByRole('button', { name: 'Sign out' })).toBeVisible();
    expect((await other.request.get(`${stack.consoleUrl}/api/v1/me`)).status()).toBe(200);
    await shot(page, 'account');
    await page
      .locator('table[aria-label="Sessions"] tbody tr:not([data-current])')
      .getByRole('button', { name: /^Revoke session/ })
      .click();
    await page.getByRole('button', { name: 'Revoke session' }).click();
    await expect(rows).toHaveCount(1);
    await expect(current).toBeVisible();
    expect((await other.request.get(`${stack.consoleUrl}/api/v1/me`)).status()).toBe(401);
    await other.close();
  });

  test('signs out; the old session cookie is refused afterwards', async ({ stack }) => {
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

/** A `datetime-local` value one minute from now, in the browser's (and this process's) time zone. */
function localMinuteFromNow(): string {
  const d = new Date(Date.now() + 60_000);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}
