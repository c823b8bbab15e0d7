// Console benchmarks (production build, real control plane and dev IdP, Debian's Chromium):
//   bench console-overview-load <ms> ms  cold load of /orgs/{org} until the environments are shown (median of 5)
//   bench console-overview-js <kB> kB    gzipped JavaScript that page loads
//   bench console-save-to-evaluable-p50 <ms> ms  click on Commit in a flag's review panel until the
//     environment URL (edge → instance) answers with the new value (median of 7)
//   bench console-save-commit-p50 <ms> ms  of which: click until the write's response
// Targets: under 1,000 ms, under 250 kB, and under 1,000 ms.
import { gzipSync } from 'node:zlib';
import { hydrated, launchChromium, open, signInAtIdp } from '../../apps/web/test/browser.js';
import { isBuilt, startStack } from '../../apps/web/test/stack.js';

if (!isBuilt()) throw new Error('build first: npm run build');
const stack = await startStack();
const browser = await launchChromium();
try {
  const setup = await browser.newContext();
  const page = await setup.newPage();
  await open(page, `${stack.consoleUrl}/login`);
  await page.getByRole('link', { name: 'Sign in with SSO' }).click();
  await page.waitForURL((u) => u.href.startsWith(stack.idpIssuer));
  await signInAtIdp(page, 'alice');
  await page.waitForURL(
    (u) => u.href.startsWith(stack.consoleUrl) && !u.pathname.startsWith('/api/'),
  );
  await hydrated(page);
  // Two environments through the console's API proxy, as the browser would send them (cookie, Origin, CSRF header).
  const cookie = (await setup.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const { csrfToken } = (await (
    await fetch(`${stack.consoleUrl}/api/v1/session`, { headers: { cookie } })
  ).json()) as { csrfToken: string };
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(`${stack.consoleUrl}${path}`, {
      method,
      headers: {
        cookie,
        origin: stack.consoleUrl,
        'content-type': 'application/json',
        'x-csrf-token': csrfToken,
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return { json: (await res.json()) as Record<string, unknown>, etag: res.headers.get('etag') };
  };
  const post = (path: string, body: unknown) => call('POST', path, body);
  await post('/api/v1/orgs', { slug: 'bench', name: 'Bench' });
  for (const key of ['production', 'staging'])
    await post('/api/v1/orgs/bench/environments', { key, name: key });
  const state = await setup.storageState();
  await setup.close();

  const times: number[] = [];
  let jsBytes = 0;
  for (let i = 0; i < 6; i++) {
    // A new context each time: empty HTTP cache, same session cookie.
    const context = await browser.newContext({ storageState: state });
    const p = await context.newPage();
    const scripts: Promise<number>[] = [];
    p.on('response', (res) => {
      if (res.request().resourceType() === 'script')
        scripts.push(
          res.body().then(
            (b) => gzipSync(b).length,
            () => 0,
          ),
        );
    });
    const start = performance.now();
    await p.goto(`${stack.consoleUrl}/orgs/bench`);
    await p.locator('ul[aria-label="Environments"] li').nth(1).waitFor();
    const ms = performance.now() - start;
    // The first load warms the server (route compilation caches); it is not counted.
    if (i > 0) times.push(ms);
    jsBytes = (await Promise.all(scripts)).reduce((a, b) => a + b, 0);
    await context.close();
  }
  times.sort((a, b) => a - b);
  process.stdout.write(
    `bench console-overview-load ${Math.round(times[Math.floor(times.length / 2)]!)} ms\n`,
  );
  process.stdout.write(`bench console-overview-js ${(jsBytes / 1024).toFixed(1)} kB\n`);

  // Save to evaluable: a boolean flag toggled in the console, committed from the review panel,
  // timed until the environment URL answers with the new value.
  const flags = '/api/v1/orgs/bench/environments/production/namespaces/default/flags';
  const list = await call('GET', flags);
  await call(
    'PUT',
    `${flags}/bench-toggle`,
    { key: 'bench-toggle', name: 'Bench toggle', type: 'BOOLEAN_FLAG_TYPE', enabled: false },
    { 'if-match': list.etag! },
  );
  const token = (
    await post('/api/v1/orgs/bench/client-tokens', { name: 'bench', environments: ['production'] })
  ).json.token as string;
  const answer = async (): Promise<boolean | undefined> => {
    const res = await fetch(`${stack.edgeUrl}/e/bench/production/evaluate/v1/boolean`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ namespaceKey: 'default', flagKey: 'bench-toggle', entityId: 'e1' }),
    }).catch(() => undefined);
    if (!res?.ok) return undefined;
    return ((await res.json()) as { enabled: boolean }).enabled;
  };
  // The organisation's instance starts and syncs on its own first.
  for (let i = 0; (await answer()) !== false; i++) {
    if (i > 1200) throw new Error('the environment URL never answered');
    await new Promise((r) => setTimeout(r, 50));
  }
  const context = await browser.newContext({ storageState: state });
  const editor = await context.newPage();
  await open(
    editor,
    `${stack.consoleUrl}/orgs/bench/environments/production/flags/default/bench-toggle`,
  );
  const saves: number[] = [];
  const commits: number[] = [];
  let expected = false;
  for (let i = 0; i < 8; i++) {
    expected = !expected;
    await editor.getByRole('switch', { name: 'Enabled' }).click();
    await editor.getByRole('button', { name: 'Review and save' }).click();
    const commit = editor.getByRole('dialog').getByRole('button', { name: 'Commit' });
    await commit.waitFor();
    const committed = editor.waitForResponse(
      (r) => r.request().method() === 'PUT' && r.url().includes('/flags/bench-toggle'),
    );
    const start = performance.now();
    await commit.click();
    await committed;
    const commitMs = performance.now() - start;
    for (let n = 0; (await answer()) !== expected; n++) {
      if (n > 2000) throw new Error('the new value never reached the environment URL');
      await new Promise((r) => setTimeout(r, 5));
    }
    // The first save warms the route and the instance's sync path: not counted.
    if (i > 0) {
      saves.push(performance.now() - start);
      commits.push(commitMs);
    }
    await editor.getByRole('dialog').waitFor({ state: 'detached' });
  }
  await context.close();
  const p50 = (xs: number[]) => Math.round(xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!);
  process.stdout.write(`bench console-save-to-evaluable-p50 ${p50(saves)} ms\n`);
  // Of which: the commit itself (click until the control plane answered the write).
  process.stdout.write(`bench console-save-commit-p50 ${p50(commits)} ms\n`);
} finally {
  await browser.close();
  await stack.stop();
}
