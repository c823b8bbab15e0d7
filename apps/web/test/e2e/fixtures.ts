import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import type { AxeResults, Result, RunOptions } from 'axe-core';
import {
  expect,
  test as base,
  type BrowserContext,
  type Locator,
  type Page,
} from '@playwright/test';
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

/** The WCAG A/AA rules that depend on colours: all a theme switch can change. */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

type Violation = Pick<Result, 'id' | 'impact'> & { nodes: Array<{ target: unknown[] }> };

/**
 * axe-core's violations on the page. A page without frames runs axe in place: the source is
 * evaluated once per document (a theme switch keeps it) and `axe.run` returns violations only.
 * AxeBuilder evaluates the source again at every call and finishes each run in a new page, which
 * cost about four times the CPU and a third of the browser suite's time; a page with frames still
 * goes through it, as only it checks inside them.
 */
async function violations(p: Page, runOnly: RunOptions['runOnly']): Promise<Violation[]> {
  if (p.frames().length > 1) {
    const axe = new AxeBuilder({ page: p }).options({ runOnly, resultTypes: ['violations'] });
    return (await axe.analyze()).violations;
  }
  if (!(await p.evaluate(() => 'axe' in window))) await p.evaluate(AXE_SOURCE);
  return p.evaluate(
    async (options) => {
      const { axe } = window as unknown as {
        axe: { run: (ctx: Document, o: RunOptions) => Promise<AxeResults> };
      };
      const result = await axe.run(document, options);
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.nodes.map((n) => ({ target: n.target })),
      }));
    },
    { runOnly, resultTypes: ['violations'] } as RunOptions,
  );
}

/**
 * No serious or critical WCAG 2.x A/AA violation on the current page (`coloursOnly`: of the rules
 * that depend on colours, for a page already checked in another theme).
 */
export async function expectAccessible(
  p: Page,
  label: string,
  { coloursOnly = false } = {},
): Promise<void> {
  const found = await violations(
    p,
    coloursOnly ? { type: 'rule', values: COLOUR_RULES } : { type: 'tag', values: WCAG_TAGS },
  );
  const bad = found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
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

/**
 * Opens `url` in light, waits until loading rows are gone and what `ready` names is shown,
 * checks it with axe, switches to dark in place and checks its colours again (the structure is
 * the same in both themes).
 */
export async function checkBothThemes(
  page: Page,
  url: string,
  label: string,
  ready: (page: Page) => Locator[] = () => [],
): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' });
  await open(page, url);
  // Loading states gone (LoadingRows: "Loading …"): the page shows its data, or its empty or
  // error state.
  await expect(page.locator('main [role="status"]', { hasText: /^Loading/ })).toHaveCount(0);
  for (const shown of ready(page)) await expect(shown.first()).toBeVisible();
  await expectAccessible(page, `light ${label}`);
  // The theme follows the system setting: switch it in place rather than loading the page again.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForFunction(() => document.documentElement.classList.contains('dark'));
  await expectAccessible(page, `dark ${label}`, { coloursOnly: true });
}

/** Sets (replaces) the TXT/A/AAAA records of `name` on the stack's DNS server; `null` removes it. */
export async function setDns(
  stack: StackInfo,
  name: string,
  records: { TXT?: string[]; A?: string[]; AAAA?: string[] } | null,
): Promise<void> {
  const res = await fetch(`${stack.dnsControlUrl}/${encodeURIComponent(name)}`, {
    method: 'PUT',
    body: JSON.stringify(records),
  });
  expect(res.status, await res.text()).toBe(204);
}

/** The pid of the organisation's local instance (the worker records it in `instance.json`). */
export function instancePid(stack: StackInfo, orgId: string): number | undefined {
  for (const name of readdirSync(stack.instanceDir)) {
    try {
      const state = JSON.parse(
        readFileSync(join(stack.instanceDir, name, 'instance.json'), 'utf8'),
      ) as { orgId: string; pid: number };
      if (state.orgId === orgId) return state.pid;
    } catch {
      // being written, or not an instance
    }
  }
  return undefined;
}

const SHOTS = process.env['UPDATE_SCREENSHOTS']
  ? fileURLToPath(new URL('../../../../docs/console/', import.meta.url))
  : null;

/** With UPDATE_SCREENSHOTS=1, writes `docs/console/<name>.png` (the README shows them). */
export async function shot(
  p: Page,
  name: string,
  // A dialog's backdrop covers the viewport only: shoot the viewport, not the whole page.
  { fullPage = true }: { fullPage?: boolean } = {},
): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  // Toasts from the previous step would cover the page.
  const hide = await p.addStyleTag({
    content: '[data-sonner-toaster] { display: none !important; }',
  });
  await p.screenshot({ path: `${SHOTS}${name}.png`, fullPage });
  await hide.evaluate((el) => el.parentNode?.removeChild(el));
}
