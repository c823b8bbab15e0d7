// Console benchmarks (production build, real control plane and dev IdP, Debian's Chromium):
//   bench console-overview-load <ms> ms  cold load of /orgs/{org} until the environments are shown (median of 5)
//   bench console-overview-js <kB> kB    gzipped JavaScript that page loads
// Targets: under 1,000 ms and under 250 kB (a first console load on an ordinary connection).
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
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${stack.consoleUrl}${path}`, {
      method: 'POST',
      headers: {
        cookie,
        origin: stack.consoleUrl,
        'content-type': 'application/json',
        'x-csrf-token': csrfToken,
      },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  };
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
} finally {
  await browser.close();
  await stack.stop();
}
