import { createHmac } from 'node:crypto';
import type { BrowserContext, Page } from '@playwright/test';
import { callApi, checkBothThemes, expect, open, shot, signIn, test } from './fixtures';

/**
 * Outbound webhooks in the console, against the real stack: the owner of an organisation of its
 * own (`hooks-demo`, so the spec does not depend on the flow) creates a webhook pointing at the stack's receiver (its loopback origin is allow-listed, as an operator
 * would for an internal receiver), copies the secret shown once, sends a test delivery and sees it
 * delivered in the log, causes a real event (a client token) and sees that delivery too, checks
 * the signature the receiver got, redelivers, and deletes the webhook. Serial: each step builds on
 * the previous one.
 */
test.describe.configure({ mode: 'serial' });

const ORG = 'hooks-demo';
const NAME = 'audit-pipeline';
let owner: BrowserContext;
let page: Page;
let secret = '';

test.afterAll(async () => {
  await owner?.close();
});

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}
async function received(url: string): Promise<Received[]> {
  const res = await fetch(`${url}/received`);
  return ((await res.json()) as Received[]).filter((r) => r.path === '/acme');
}

test('a private address is refused; the webhook is created and its secret shown once', async ({
  browser,
  stack,
}) => {
  owner = await browser.newContext();
  page = await signIn(stack, owner, 'alice', '/account');
  const org = await callApi(stack, owner, 'POST', '/orgs', { slug: ORG, name: 'Hooks Demo' });
  expect(org.status, JSON.stringify(org.json)).toBe(201);
  const env = await callApi(stack, owner, 'POST', `/orgs/${ORG}/environments`, {
    key: 'production',
    name: 'Production',
  });
  expect(env.status, JSON.stringify(env.json)).toBe(201);
  await open(page, `${stack.consoleUrl}/orgs/${ORG}/settings/webhooks`);
  await expect(page.getByRole('heading', { name: 'Webhooks', exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'No webhooks yet' })).toBeVisible();
  await page.getByRole('button', { name: 'New webhook' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill(NAME);
  await dialog.getByLabel('Payload URL').fill('http://169.254.169.254/latest/meta-data');
  await dialog.getByLabel('Client token created').check();
  await dialog.getByRole('button', { name: 'Create webhook' }).click();
  await expect(dialog.locator('#hook-new-url-error')).toContainText('not allowed');
  await dialog.getByLabel('Payload URL').fill(`${stack.hookReceiverUrl}/acme`);
  await dialog.getByRole('button', { name: 'Create webhook' }).click();
  await expect(dialog.getByRole('heading', { name: 'Copy the signing secret now' })).toBeVisible();
  secret = (await dialog.locator('code').first().textContent()) ?? '';
  expect(secret).toMatch(/^whsec_/);
  await dialog.getByRole('button', { name: 'Done' }).click();
  const row = page.locator(`[data-hook="${NAME}"]`);
  await expect(row).toBeVisible();
  await expect(row.getByText('token.created')).toBeVisible();
  await expect(page.getByText(secret)).toHaveCount(0);
});

test('a test delivery and a real event appear in the log, delivered and signed', async ({
  stack,
}) => {
  await page.getByRole('link', { name: NAME }).click();
  await expect(page.getByRole('heading', { name: `Webhook “${NAME}”` })).toBeVisible();
  await page.getByRole('button', { name: 'Send test delivery' }).click();
  const ping = page.locator('[data-delivery="ping"]');
  await expect(ping).toHaveAttribute('data-status', 'SUCCEEDED', { timeout: 30_000 });
  await expect(ping.getByText('delivered')).toBeVisible();
  await expect(ping.getByRole('cell', { name: '200' })).toBeVisible();

  const token = await callApi(stack, owner, 'POST', `/orgs/${ORG}/client-tokens`, {
    name: 'webhook-check',
    environments: ['production'],
  });
  expect(token.status, JSON.stringify(token.json)).toBe(201);
  const event = page.locator('[data-delivery="token.created"]');
  await expect(async () => {
    await page.reload();
    await expect(event).toHaveAttribute('data-status', 'SUCCEEDED', { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await event.getByRole('button', { name: 'Details' }).click();
  await expect(page.getByRole('region', { name: 'Request body' })).toContainText(
    '"name": "webhook-check"',
  );
  await expect(page.getByRole('region', { name: 'Response' })).toContainText('thanks');

  const got = await received(stack.hookReceiverUrl);
  expect(got.map((r) => JSON.parse(r.body).type)).toEqual(['ping', 'token.created']);
  for (const r of got) {
    const ts = r.headers['x-switchyard-timestamp'];
    const expected = createHmac('sha256', secret).update(`${ts}.${r.body}`).digest('hex');
    expect(r.headers['x-switchyard-signature']).toBe(`v1=${expected}`);
  }
});

test('redeliver sends the same event again as a new delivery', async ({ stack }) => {
  await page
    .locator('[data-delivery="token.created"]')
    .getByRole('button', { name: /^Redeliver token\.created/ })
    .click();
  await expect(page.locator('[data-delivery="token.created"]')).toHaveCount(2);
  await expect(async () => {
    const got = await received(stack.hookReceiverUrl);
    expect(got).toHaveLength(3);
    expect(got[2]!.body).toBe(got[1]!.body);
  }).toPass({ timeout: 30_000 });
});

test('the webhook pages pass axe in both themes', async ({ stack }) => {
  await checkBothThemes(page, page.url(), 'webhook deliveries', (p) => [
    p.locator('[data-delivery="ping"]'),
  ]);
  await shot(page, 'webhook-deliveries');
  await checkBothThemes(
    page,
    `${stack.consoleUrl}/orgs/${ORG}/settings/webhooks`,
    'webhooks',
    (p) => [p.locator(`[data-hook="${NAME}"]`)],
  );
});

test('deleting the webhook removes it and its log', async ({ stack }) => {
  await open(page, `${stack.consoleUrl}/orgs/${ORG}/settings/webhooks`);
  await page.getByRole('button', { name: `Delete ${NAME}` }).click();
  await page.getByRole('button', { name: 'Delete webhook' }).click();
  await expect(page.locator(`[data-hook="${NAME}"]`)).toHaveCount(0);
});
