import { callApi, expect, expectAccessible, open, signIn, test } from './fixtures';

/**
 * Scheduling from the review panel, in a browser whose time zone is not UTC: the panel shows the
 * zone, the API stores the instant in UTC, the flag page lists the change as scheduled, and the
 * stack's worker applies it a few seconds later ("applied by scheduler", the flag enabled).
 */
const ORG = 'schedule-demo';
const ENV = 'production';
const FLAGS = `/orgs/${ORG}/environments/${ENV}/namespaces/default/flags`;

test('a change scheduled a few seconds ahead is applied by the scheduler', async ({
  browser,
  stack,
}) => {
  test.setTimeout(360_000);
  const alice = await browser.newContext({ timezoneId: 'Europe/Paris' });
  try {
    const page = await signIn(stack, alice, 'alice', '/account');
    const org = await callApi(stack, alice, 'POST', '/orgs', { slug: ORG, name: 'Schedule Demo' });
    expect(org.status, JSON.stringify(org.json)).toBe(201);
    const env = await callApi(stack, alice, 'POST', `/orgs/${ORG}/environments`, {
      key: ENV,
      name: 'Production',
      protected: false,
    });
    expect(env.status, JSON.stringify(env.json)).toBe(201);
    const list = await callApi(stack, alice, 'GET', FLAGS);
    const put = await callApi(
      stack,
      alice,
      'PUT',
      `${FLAGS}/launch`,
      { key: 'launch', name: 'Launch', enabled: false, variants: [{ key: 'on' }] },
      { 'if-match': list.headers['etag']! },
    );
    expect(put.status, JSON.stringify(put.json)).toBe(200);

    await open(page, `${stack.consoleUrl}/orgs/${ORG}/environments/${ENV}/flags/default/launch`);
    await page.getByRole('switch', { name: 'Enabled' }).click();
    await page.getByRole('button', { name: 'Review and save' }).click();
    const panel = page.getByRole('dialog');
    await expect(panel.getByTestId('field-change').first()).toContainText('enabled');
    await panel.getByRole('button', { name: 'Schedule…' }).click();
    const at = panel.getByLabel('Apply at (Europe/Paris)');
    await expect(at).toBeVisible();
    await expectAccessible(page, 'review panel with scheduling');
    // 10 s ahead, written in the browser's zone the way a person types it.
    const { local, iso } = await page.evaluate(() => {
      const d = new Date(Math.ceil((Date.now() + 10_000) / 1000) * 1000);
      const p = (n: number) => String(n).padStart(2, '0');
      return {
        local: `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`,
        iso: d.toISOString(),
      };
    });
    await at.fill(local);
    await expect(panel.getByText(`Stored as ${iso} (UTC)`)).toBeVisible();
    await panel.getByLabel('Commit message').fill('Launch at the scheduled time');
    await panel.getByRole('button', { name: 'Schedule', exact: true }).click();
    await expect(panel).toBeHidden();

    const scheduled = page.getByRole('list', { name: 'Scheduled changes' }).getByRole('listitem');
    await expect(scheduled).toHaveCount(1);
    await expect(scheduled).toContainText('Launch at the scheduled time');
    await expect(scheduled).toContainText('(Europe/Paris)');
    const api = await callApi(
      stack,
      alice,
      'GET',
      `/orgs/${ORG}/environments/${ENV}/scheduled-changes`,
    );
    const items = api.json['items'] as { runAt: string; status: string }[];
    expect(items.map((i) => i.runAt)).toEqual([iso]);
    // The confirmation toast is still open: axe judges it too (its colours meet AA).
    await expect(
      page.locator('[data-sonner-toast]', { hasText: 'Change scheduled' }),
    ).toBeVisible();
    await expectAccessible(page, 'flag page with a scheduled change and its toast');

    // The worker applies it at its time; the page follows without a reload.
    await expect(scheduled.getByText('applied by scheduler')).toBeVisible({ timeout: 90_000 });
    await expect(page.getByRole('switch', { name: 'Enabled' })).toHaveAttribute(
      'aria-checked',
      'true',
    );
    const flag = await callApi(stack, alice, 'GET', `${FLAGS}/launch`);
    expect((flag.json['flag'] as { enabled: boolean }).enabled).toBe(true);
    await open(
      page,
      `${stack.consoleUrl}/orgs/${ORG}/environments/${ENV}/flags/default/launch/history`,
    );
    await expect(
      page.getByRole('list', { name: 'Commits' }).getByRole('listitem').first(),
    ).toContainText('Switchyard scheduler on behalf of');
    await expectAccessible(page, 'flag history with an applied scheduled change');
  } finally {
    await alice.close();
  }
});
