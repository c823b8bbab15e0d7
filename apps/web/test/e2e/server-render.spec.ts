import { expect, signIn, test } from './fixtures';

/**
 * The environments are in the first HTML the server sends (read while the page renders), so the
 * overview shows them before any JavaScript runs: with JavaScript off, the cards are there.
 */
test('the overview and the environments page render their environments on the server', async ({
  browser,
  stack,
}) => {
  const signedIn = await browser.newContext();
  await signIn(stack, signedIn, 'alice');
  const state = await signedIn.storageState();
  await signedIn.close();

  const noScript = await browser.newContext({ storageState: state, javaScriptEnabled: false });
  try {
    const page = await noScript.newPage();
    for (const path of ['/orgs/acme-corp', '/orgs/acme-corp/environments']) {
      await page.goto(`${stack.consoleUrl}${path}`);
      const card = page.locator('ul[aria-label="Environments"] li [data-environment="production"]');
      await expect(card, path).toBeVisible();
      await expect(card).toContainText(`${stack.edgeUrl}/e/acme-corp/production`);
      await expect(card.locator('[data-sync]')).toHaveCount(1);
    }
  } finally {
    await noScript.close();
  }
});
