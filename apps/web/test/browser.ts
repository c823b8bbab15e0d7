import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, headless, as the tests and the bench drive it. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** Navigates and waits until React has hydrated (clicks before that can be lost). */
export async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await hydrated(page);
}

export async function hydrated(page: Page): Promise<void> {
  await page.waitForSelector('html[data-hydrated="true"]', { timeout: 30_000 });
}

/** Signs in at the dev IdP's login page as `user` (its sub or e-mail); the page must be on the IdP. */
export async function signInAtIdp(page: Page, user: string): Promise<void> {
  await page.locator(`button[name="login"][value="${user}"]`).click();
}
