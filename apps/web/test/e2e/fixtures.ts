import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test as base, type BrowserContext, type Page } from '@playwright/test';
import type { StackInfo } from '../stack';

/** The stack global-setup.ts started (the same for every worker). */
export function stackInfo(): StackInfo {
  const raw = process.env['SY_E2E_STACK'];
  if (!raw)
    throw new Error('SY_E2E_STACK is not set: run through playwright.config.ts (globalSetup)');
  return JSON.parse(raw) as StackInfo;
}

/** `test` with the shared stack as a worker fixture. */
export const test = base.extend<object, { stack: StackInfo }>({
  // eslint-disable-next-line no-empty-pattern
  stack: [async ({}, use) => use(stackInfo()), { scope: 'worker' }],
});
export { expect };

/** Waits until React has hydrated (clicks before that can be lost). */
export async function hydrated(page: Page): Promise<void> {
  await page.waitForSelector('html[data-hydrated="true"]', { timeout: 30_000 });
}

/** Navigates and waits for hydration. */
export async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await hydrated(page);
}

/**
 * Signs in at a dev IdP's login page as `user` (its sub or e-mail); the page must be on the IdP,
 * and the IdP must imitate `profile` (its page names it).
 */
export async function signInAtIdp(page: Page, user: string, profile?: string): Promise<void> {
  if (profile) await expect(page.getByRole('heading', { level: 1 })).toContainText(`(${profile})`);
  await page.locator(`button[name="login"][value="${user}"]`).click();
}

/** Signs in through the platform SSO (the Google-like dev IdP) as `user`, starting from `path`. */
export async function signIn(
  stack: StackInfo,
  context: BrowserContext,
  user: string,
  path = '/',
): Promise<Page> {
  const p = await context.newPage();
  await open(p, `${stack.consoleUrl}${path}`);
  expect(new URL(p.url()).pathname).toBe('/login');
  await p.getByRole('link', { name: 'Sign in with SSO' }).click();
  await p.waitForURL((u) => u.href.startsWith(stack.idpIssuer));
  await signInAtIdp(p, user, 'google');
  await p.waitForURL((u) => u.href.startsWith(stack.consoleUrl) && !u.pathname.startsWith('/api/'));
  await hydrated(p);
  return p;
}

/**
 * Calls the API as the browser context's signed-in user, the way the console does (session
 * cookie, Origin, CSRF header).
 */
export async function callApi(
  stack: StackInfo,
  context: BrowserContext,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown>; headers: Record<string, string> }> {
  const session = await context.request.get(`${stack.consoleUrl}/api/v1/session`);
  expect(session.status(), 'signed in').toBe(200);
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const res = await context.request.fetch(`${stack.consoleUrl}/api/v1${path}`, {
    method,
    headers: { origin: stack.consoleUrl, 'x-csrf-token': csrfToken, ...headers },
    ...(body === undefined ? {} : { data: body }),
  });
  return {
    status: res.status(),
    json: ((await res.json().catch(() => undefined)) ?? {}) as Record<string, unknown>,
    headers: res.headers(),
  };
}

/** No serious or critical WCAG 2.x A/AA violation on the current page. */
export async function expectAccessible(p: Page, label: string): Promise<void> {
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

const SHOTS = process.env['UPDATE_SCREENSHOTS']
  ? fileURLToPath(new URL('../../../../docs/console/', import.meta.url))
  : null;

/** With UPDATE_SCREENSHOTS=1, writes `docs/console/<name>.png` (the README shows them). */
export async function shot(p: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  // Toasts from the previous step would cover the page.
  const hide = await p.addStyleTag({
    content: '[data-sonner-toaster] { display: none !important; }',
  });
  await p.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
  await hide.evaluate((el) => el.parentNode?.removeChild(el));
}
