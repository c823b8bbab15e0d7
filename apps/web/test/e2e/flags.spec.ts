import type { BrowserContext, Page } from '@playwright/test';
import type { Flag } from '@switchyard/flags';
import { callApi, expect, expectAccessible, hydrated, open, shot, signIn, test } from './fixtures';

/**
 * Flag and segment editing in the console: every save goes through the review panel (field and
 * YAML diff, commit message, If-Match). Evaluations go through acme-corp's environment URL (the
 * edge and its running instance); the protected environment lives in an organisation of its own.
 */
const ORG = 'acme-corp';
const ENV = 'production';
const FLAGS = `/orgs/${ORG}/environments/${ENV}/namespaces/default/flags`;

test.describe.configure({ mode: 'serial' });

let alice: BrowserContext;
let page: Page;

test.beforeAll(async ({ browser, stack }) => {
  alice = await browser.newContext();
  page = await signIn(stack, alice, 'alice', `/orgs/${ORG}`);
});
test.afterAll(async () => {
  await alice.close();
});

/** Opens the review panel, checks it shows a change, and commits with the given message. */
async function reviewAndCommit(p: Page, message: string): Promise<void> {
  await p.getByRole('button', { name: 'Review and save' }).click();
  const panel = p.getByRole('dialog');
  await expect(panel.getByTestId('field-change').first()).toBeVisible();
  await panel.getByLabel('Commit message').fill(message);
  await panel.getByRole('button', { name: 'Commit' }).click();
  await expect(panel).toBeHidden();
}

async function putFlag(stack: { consoleUrl: string }, flag: Partial<Flag>): Promise<void> {
  const list = await callApi(stack as never, alice, 'GET', FLAGS);
  const put = await callApi(stack as never, alice, 'PUT', `${FLAGS}/${flag.key}`, flag, {
    'if-match': list.headers['etag']!,
  });
  expect(put.status, JSON.stringify(put.json)).toBe(200);
}

test('a variant flag with a 50/50 rule on a segment, reviewed and committed, splits 1,000 entities through the environment URL', async ({
  stack,
}) => {
  // The segment, from its editor.
  await open(page, `${stack.consoleUrl}/orgs/${ORG}/environments/${ENV}/segments`);
  await page.getByLabel('New segment key').fill('pro-users');
  await page.getByRole('button', { name: 'New segment' }).click();
  await page.getByRole('button', { name: 'Add constraint' }).click();
  await page.getByLabel('Property').fill('plan');
  await page.getByLabel('Value', { exact: true }).fill('pro');
  await reviewAndCommit(page, 'Pro users segment');

  // The flag: new, two variants, one rule on the segment split 50/50, enabled.
  await open(page, `${stack.consoleUrl}/orgs/${ORG}/environments/${ENV}/flags`);
  await page.getByRole('button', { name: 'New flag' }).first().click();
  await page.getByLabel('Key').fill('split-test');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(/\/flags\/default\/split-test/);
  await hydrated(page);
  for (const [i, key] of ['a', 'b'].entries()) {
    await page.getByRole('button', { name: 'Add variant' }).click();
    await page.getByLabel(`Variant ${i + 1} key`).fill(key);
  }
  await page.getByLabel('Variant 1 attachment (JSON)').fill('{"color": ');
  await expect(page.getByText(/Not valid JSON/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Review and save' })).toBeDisabled();
  await page.getByLabel('Variant 1 attachment (JSON)').fill('{"color": "blue"}');
  await page.getByRole('button', { name: 'Add rule' }).click();
  await page.getByRole('checkbox', { name: 'pro-users' }).check();
  await page.getByLabel('Rule 1 percentage for a').fill('50');
  await expect(page.getByTestId('Rule 1-total')).toHaveText(/must add up to 100/);
  await page.getByLabel('Rule 1 percentage for b').fill('50');
  await expect(page.getByTestId('Rule 1-total')).toHaveText('Total 100%');
  await page.getByRole('switch', { name: 'Enabled' }).click();
  await page.getByRole('button', { name: 'Review and save' }).click();
  const panel = page.getByRole('dialog');
  await expect(panel.getByRole('region', { name: 'YAML diff' })).toContainText('key: split-test');
  await shot(page, 'flag-review', { fullPage: false });
  await panel.getByRole('button', { name: 'Commit' }).click();
  await expect(panel).toBeHidden();
  await expect(page).toHaveURL(/\/flags\/default\/split-test$/);

  // 1,000 entities of the segment through the edge, once the instance serves the commit.
  const token = await callApi(stack, alice, 'POST', `/orgs/${ORG}/client-tokens`, {
    name: 'split check',
    environments: [ENV],
  });
  expect(token.status, JSON.stringify(token.json)).toBe(201);
  const requests = Array.from({ length: 1000 }, (_, i) => ({
    namespaceKey: 'default',
    flagKey: 'split-test',
    entityId: `user-${i}`,
    context: { plan: 'pro' },
  }));
  let counts: Record<string, number> = {};
  await expect
    .poll(
      async () => {
        const res = await fetch(`${stack.edgeUrl}/e/${ORG}/${ENV}/evaluate/v1/batch`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token.json.token as string}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ requests }),
        });
        if (!res.ok) return `HTTP ${res.status}`;
        const body = (await res.json()) as {
          responses: Array<{ variantResponse?: { variantKey: string } }>;
        };
        counts = {};
        for (const r of body.responses) {
          const v = r.variantResponse?.variantKey ?? '';
          counts[v] = (counts[v] ?? 0) + 1;
        }
        return (counts['a'] ?? 0) + (counts['b'] ?? 0);
      },
      { timeout: 30_000, intervals: [250] },
    )
    .toBe(1000);
  // Buckets are a hash of the entity id: about half each (±6 % leaves room for the hash's spread).
  expect(counts['a']).toBeGreaterThan(440);
  expect(counts['b']).toBeGreaterThan(440);
});

test('two editors of one flag: the second gets the conflict, sees what changed and re-applies', async ({
  browser,
  stack,
}) => {
  await putFlag(stack, { key: 'shared-edit', name: 'Shared edit', enabled: false });
  const url = `${stack.consoleUrl}/orgs/${ORG}/environments/${ENV}/flags/default/shared-edit`;
  const second = await browser.newContext();
  const other = await signIn(stack, second, 'alice', url.slice(stack.consoleUrl.length));
  await open(page, url);
  await expect(other.getByLabel('Name')).toHaveValue('Shared edit');

  // The second starts an edit (enables it, unsaved); the first renames and commits meanwhile.
  await other.getByRole('switch', { name: 'Enabled' }).click();
  await page.getByLabel('Name').fill('Shared edit (renamed)');
  await reviewAndCommit(page, 'Rename');

  // The second hears of it live and keeps its edit; saving gives the 409: what changed, re-apply.
  await expect(other.getByText('changed this flag (Rename)', { exact: false })).toBeVisible();
  await expect(other.getByLabel('Name')).toHaveValue('Shared edit');
  await other.getByRole('button', { name: 'Review and save' }).click();
  const panel = other.getByRole('dialog');
  await panel.getByRole('button', { name: 'Commit' }).click();
  await expect(panel.getByText('Someone committed meanwhile')).toBeVisible();
  await expect(panel.getByRole('table', { name: 'Changed meanwhile' })).toContainText(
    'Shared edit (renamed)',
  );
  await panel.getByRole('button', { name: 'Re-apply my edit on top' }).click();
  await expect(panel.getByTestId('field-change')).toHaveCount(1);
  await expect(panel.getByTestId('field-change')).toContainText('enabled');
  await panel.getByRole('button', { name: 'Commit' }).click();
  await expect(panel).toBeHidden();
  await second.close();

  const got = await callApi(stack, alice, 'GET', `${FLAGS}/shared-edit`);
  expect(got.json.flag).toMatchObject({ name: 'Shared edit (renamed)', enabled: true });
});

test('a page with no unsaved edit follows a commit by someone else live, and says who changed what', async ({
  stack,
}) => {
  await putFlag(stack, { key: 'live-follow', name: 'Live follow', enabled: false });
  await open(page, `${stack.consoleUrl}/orgs/${ORG}/environments/${ENV}/flags/default/live-follow`);
  await expect(page.getByLabel('Name')).toHaveValue('Live follow');
  // Another client (the API, as automation would) commits while the page stays open.
  await putFlag(stack, { key: 'live-follow', name: 'Live follow (renamed)', enabled: false });
  await expect(page.getByLabel('Name')).toHaveValue('Live follow (renamed)');
  await expect(page.getByText('changed this flag', { exact: false })).toBeVisible();
  await expect(page.getByText('Unsaved changes')).toBeHidden();
});

/** A flag's or segment's stored YAML lines through the API (the YAML tab's source). */
async function source(
  stack: { consoleUrl: string },
  path: string,
): Promise<{ text: string; startLine: number; revision: string; file: string }> {
  const res = await callApi(stack as never, alice, 'GET', `${path}/source`);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json as never;
}

/** Review and commit a change that may have no field change (a comment in the YAML). */
async function commitText(p: Page, message: string): Promise<void> {
  await p.getByRole('button', { name: 'Review and save' }).click();
  const panel = p.getByRole('dialog');
  await panel.getByLabel('Commit message').fill(message);
  await panel.getByRole('button', { name: 'Commit' }).click();
  await expect(panel).toBeHidden();
}

test('the YAML tab shows the flag as stored in git (comments included), round-trips byte for byte and validates at file line and column', async ({
  stack,
}) => {
  await putFlag(stack, {
    key: 'yaml-tab',
    name: 'YAML tab',
    enabled: true,
    metadata: { team: 'web', tier: 2 },
    variants: [{ key: 'on', attachment: { list: [1, 2], nested: { yes: 'on' } } } as never],
  });
  // A comment written into the file through the API's verbatim save (as a git push would).
  const first = await source(stack, `${FLAGS}/yaml-tab`);
  const withComment = first.text.replace(/\n/, '\n    # owned by the web team\n');
  const put = await callApi(
    stack,
    alice,
    'PUT',
    `${FLAGS}/yaml-tab/source`,
    {
      text: withComment,
    },
    { 'if-match': `"${first.revision}"` },
  );
  expect(put.status, JSON.stringify(put.json)).toBe(200);
  const stored = await source(stack, `${FLAGS}/yaml-tab`);
  expect(stored.text).toBe(withComment);

  await open(page, `${stack.consoleUrl}/orgs/${ORG}/environments/${ENV}/flags/default/yaml-tab`);
  await page.getByRole('tab', { name: 'YAML' }).click();
  const editor = page.getByLabel(/^yaml-tab as stored in \S+ from line \d+/);
  await expect(editor).toHaveValue(stored.text);
  await expectAccessible(page, 'flag YAML tab');
  await shot(page, 'flag-yaml');
  // Back and forth through the form changes nothing.
  await page.getByRole('tab', { name: 'Form' }).click();
  await page.getByRole('tab', { name: 'YAML' }).click();
  await expect(editor).toHaveValue(stored.text);
  await expect(page.getByRole('button', { name: 'Review and save' })).toBeDisabled();

  // An edit in YAML reaches the form; an invalid one is reported at its line in the file.
  await editor.fill(stored.text.replace('enabled: true', 'enabled: false'));
  await page.getByRole('tab', { name: 'Form' }).click();
  await expect(page.getByRole('switch', { name: 'Enabled' })).toHaveAttribute(
    'aria-checked',
    'false',
  );
  await page.getByRole('tab', { name: 'YAML' }).click();
  await editor.fill(stored.text.replace('enabled: true', 'enabled: maybe'));
  const line = stored.startLine + stored.text.split('\n').findIndex((l) => l.includes('enabled'));
  await expect(
    page.getByRole('alert').getByText(new RegExp(`^Line ${line}, column \\d+: `)),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Review and save' })).toBeDisabled();
  await editor.fill(stored.text);
  await expect(page.getByRole('button', { name: 'Review and save' })).toBeDisabled();

  // A comment alone is a change; the save replaces exactly the flag's lines.
  const commented = stored.text.replace('enabled: true', 'enabled: true # on since launch');
  await editor.fill(commented);
  await commitText(page, 'Note when yaml-tab went on');
  expect((await source(stack, `${FLAGS}/yaml-tab`)).text).toBe(commented);

  // A form edit keeps both comments: only the value changes.
  await page.getByRole('tab', { name: 'Form' }).click();
  await page.getByRole('switch', { name: 'Enabled' }).click();
  await reviewAndCommit(page, 'Turn yaml-tab off');
  const after = await source(stack, `${FLAGS}/yaml-tab`);
  expect(after.text).toBe(commented.replace('enabled: true', 'enabled: false'));
  await page.getByRole('tab', { name: 'YAML' }).click();
  await expect(editor).toHaveValue(after.text);
});

test('the segment editor has the same YAML tab: stored text, saved verbatim', async ({ stack }) => {
  const SEGMENTS = `/orgs/${ORG}/environments/${ENV}/namespaces/default/segments`;
  const list = await callApi(stack, alice, 'GET', SEGMENTS);
  const created = await callApi(
    stack,
    alice,
    'PUT',
    `${SEGMENTS}/yaml-seg`,
    { key: 'yaml-seg', name: 'YAML segment', match_type: 'ANY_MATCH_TYPE' },
    { 'if-match': list.headers['etag']! },
  );
  expect(created.status, JSON.stringify(created.json)).toBe(200);
  const stored = await source(stack, `${SEGMENTS}/yaml-seg`);
  await open(page, `${stack.consoleUrl}/orgs/${ORG}/environments/${ENV}/segments/default/yaml-seg`);
  await page.getByRole('tab', { name: 'YAML' }).click();
  const editor = page.getByLabel(/^yaml-seg as stored in \S+ from line \d+/);
  await expect(editor).toHaveValue(stored.text);
  await expectAccessible(page, 'segment YAML tab');
  const edited = `${stored.text}    description: people in the beta # from the sign-up form\n`;
  await editor.fill(edited);
  await page.getByRole('tab', { name: 'Form' }).click();
  await expect(page.getByLabel('Description')).toHaveValue('people in the beta');
  await commitText(page, 'Describe yaml-seg');
  expect((await source(stack, `${SEGMENTS}/yaml-seg`)).text).toBe(edited);
});

test('saving in a protected environment opens a proposal with the change', async ({ stack }) => {
  const org = 'flags-guarded';
  expect(
    (await callApi(stack, alice, 'POST', '/orgs', { slug: org, name: 'Guarded' })).status,
  ).toBe(201);
  const env = await callApi(stack, alice, 'POST', `/orgs/${org}/environments`, {
    key: 'live',
    name: 'Live',
    protected: true,
  });
  expect(env.status, JSON.stringify(env.json)).toBe(201);
  await open(
    page,
    `${stack.consoleUrl}/orgs/${org}/environments/live/flags/default/guarded?new=BOOLEAN_FLAG_TYPE`,
  );
  await expect(page.getByText('Live is protected')).toBeVisible();
  await page.getByRole('switch', { name: 'Enabled' }).click();
  await page.getByRole('button', { name: 'Review and save' }).click();
  const panel = page.getByRole('dialog');
  await panel.getByLabel('Commit message').fill('Turn guarded on');
  await panel.getByRole('button', { name: 'Open proposal' }).click();
  await expect(panel.getByRole('link', { name: 'Open the proposal' })).toBeVisible();
  const proposals = await callApi(stack, alice, 'GET', `/orgs/${org}/environments/live/proposals`);
  const items = proposals.json.items as Array<{ title: string; status: string }>;
  expect(items).toEqual([expect.objectContaining({ title: 'Turn guarded on', status: 'open' })]);
  // Nothing reached the protected environment itself.
  expect(
    (await callApi(stack, alice, 'GET', `/orgs/${org}/environments/live/namespaces/default/flags`))
      .json.flags,
  ).toEqual([]);
});

test('rules reorder from the keyboard, and leaving with unsaved changes asks first', async ({
  stack,
}) => {
  await open(page, `${stack.consoleUrl}/orgs/${ORG}/environments/${ENV}/flags/default/split-test`);
  await page.getByRole('button', { name: 'Add rule' }).click();
  const rules = page.getByRole('list', { name: 'Rules' }).locator(':scope > li');
  await expect(rules).toHaveCount(2);
  await page.getByRole('button', { name: 'Move rule 2 up' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText('Rule 2 moved to position 1 of 2')).toBeAttached();
  // The new, empty rule is first now; the 50/50 rule on pro-users second.
  await expect(rules.nth(0).getByRole('checkbox', { name: 'pro-users' })).not.toBeChecked();
  await expect(rules.nth(1).getByRole('checkbox', { name: 'pro-users' })).toBeChecked();

  // An in-app link asks before dropping the edit; refusing stays on the page.
  const asked = page.waitForEvent('dialog');
  const click = page.getByRole('link', { name: 'Flags of default' }).click();
  const dialog = await asked;
  expect(dialog.message()).toMatch(/unsaved changes/);
  await dialog.dismiss();
  await click;
  await expect(page).toHaveURL(/\/flags\/default\/split-test$/);
});
