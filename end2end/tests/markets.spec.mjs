// End-to-end for the sellers' market finder: a category picked, a weight moved, the order changes —
// at once with JavaScript (no page load), through the form without it; phone width and axe-core.
import { test, expect } from '@playwright/test';
import { seriousViolations } from './helpers.mjs';

const names = (page) => page.locator('.ranking-wrap > .ranking > li .market-name').evaluateAll(
  (els) => els.map((e) => e.firstChild.textContent.trim()));

test('picking a category and moving a weight re-ranks at once, and the address follows', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/markets');
  // Choices made before the page is live would be lost with the page load they no longer cause.
  await expect(page.locator('form[data-live-form]')).toHaveCount(1);
  await page.evaluate(() => { window.__stayed = true; });
  await page.selectOption('select[name=category]', 'Miscellaneous');
  await page.waitForURL(/category=Miscellaneous/);
  await expect(page.locator('.ranking-wrap')).toHaveClass(/is-live/);
  await expect(page.locator('.market-why').first()).toContainText('ranks 1st');
  const before = await names(page);
  expect(before.length).toBe(10);
  // Nearness only: the markets next to China come first.
  for (const key of ['size', 'share', 'growth', 'all_growth', 'income', 'internet', 'logistics', 'tariff']) {
    await page.locator(`input[name=w_${key}]`).fill('0');
  }
  await page.locator('input[name=w_distance]').fill('100');
  await expect.poll(async () => (await names(page)).join('|')).not.toBe(before.join('|'));
  expect(await page.evaluate(() => window.__stayed)).toBe(true);
  await expect(page).toHaveURL(/weights=distance%3A100/);
  // The browser's order is the server's for the same weights.
  const api = await (await page.request.get('/api/v1/markets?category=Miscellaneous&weights=distance:100')).json();
  expect(await names(page)).toEqual(api.markets.slice(0, 10).map((m) => m.name));
  // The download link carries the new weights.
  await expect(page.getByRole('link', { name: 'Ranking as CSV' })).toHaveAttribute('href', /weights=distance%3A100/);
  expect(errors).toEqual([]);
});

test('without JavaScript the form re-ranks by the weights given', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/markets?category=Miscellaneous');
  const before = await names(page);
  for (const key of ['size', 'share', 'growth', 'all_growth', 'income', 'internet', 'logistics', 'tariff']) {
    await page.locator(`input[name=w_${key}]`).fill('0');
  }
  await page.locator('input[name=w_distance]').fill('100');
  await page.getByRole('button', { name: 'Rank markets' }).click();
  await page.waitForURL(/w_distance=100/);
  const after = await names(page);
  expect(after.join('|')).not.toBe(before.join('|'));
  const api = await (await page.request.get('/api/v1/markets?category=Miscellaneous&weights=distance:100')).json();
  expect(after).toEqual(api.markets.slice(0, 10).map((m) => m.name));
  await expect(page.locator('.market-why').first()).toContainText('close to China');
  await context.close();
});

test('a bad question says what is wrong; the phone layout fits; no serious accessibility faults', async ({ page }) => {
  await page.goto('/markets?category=Spaceships');
  await expect(page.getByRole('alert')).toContainText("unknown category 'Spaceships'");
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto('/markets?category=Textiles');
  await expect(page.locator('.ranking-wrap')).toHaveClass(/is-live/);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  expect(await seriousViolations(page)).toEqual([]);
});

test('a weight on tariffs re-ranks by the duty goods from China meet', async ({ page }) => {
  await page.goto('/markets?category=Textiles&weights=size:100');
  await expect(page.locator('.ranking-wrap')).toHaveClass(/is-live/);
  const before = await names(page);
  await page.locator('input[name=w_tariff]').fill('100');
  await page.locator('input[name=w_size]').fill('0');
  await expect(page).toHaveURL(/weights=tariff%3A100/);
  const api = await (await page.request.get('/api/v1/markets?category=Textiles&weights=tariff:100')).json();
  await expect.poll(async () => (await names(page)).join('|')).toBe(api.markets.slice(0, 10).map((m) => m.name).join('|'));
  expect((await names(page)).join('|')).not.toBe(before.join('|'));
  // Each tariff says what kind of rate it is.
  await page.locator('.market-values summary').first().click();
  await expect(page.locator('.market-values dd').last()).toContainText(/applied simple mean|MFN|US duty/);
});
