// End-to-end for the API documentation: a researcher opens /api from the header, reads an endpoint's
// parameters, follows its example link and gets JSON — by mouse, by keyboard only, without JavaScript
// and on a phone; axe-core finds nothing serious.
import { test, expect } from '@playwright/test';
import { seriousViolations } from './helpers.mjs';

test('the header leads to /api, and an example link answers with JSON', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API' }).click();
  await expect(page).toHaveURL(/\/api$/);
  await expect(page.locator('h1')).toContainText('The Tradewinds API');
  await expect(page.locator('.api-basics')).toContainText('CC BY-NC 4.0');
  const series = page.locator('section', { has: page.locator('#get-api-v1-series') });
  await expect(series.getByRole('table')).toContainText('offset');
  await expect(series.locator('.api-response')).toContainText('"links"');
  const example = series.locator('a.api-example');
  const href = await example.getAttribute('href');
  expect(href).toMatch(/^\/api\/v1\/series\?/);
  const [response] = await Promise.all([page.waitForResponse((r) => r.url().includes(href)), example.click()]);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('application/json');
  const body = await response.json();
  expect(body.total).toBeGreaterThan(0);
  expect(body.series[0].links.explorer).toMatch(/^\/explore\?s=/);
});

test('keyboard only: Tab reaches the API link and an example link, Enter follows them', async ({ page }) => {
  await page.goto('/');
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('href'));
  let found = false;
  for (let i = 0; i < 20 && !found; i++) {
    await page.keyboard.press('Tab');
    found = (await focused()) === '/api';
  }
  expect(found).toBe(true);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/api$/);
  // The contents list jumps to an endpoint; from there the example link is a few Tabs away.
  const toc = page.locator('.api-toc a[href="#get-api-v1-datasets-id"]');
  await toc.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#get-api-v1-datasets-id$/);
  await page.locator('#get-api-v1-datasets-id').evaluate((h) => { h.setAttribute('tabindex', '-1'); h.focus(); });
  let href = null;
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('Tab');
    href = await focused();
    if (href && href.startsWith('/api/v1/datasets/')) break;
  }
  expect(href).toMatch(/^\/api\/v1\/datasets\/[^/?]+$/);
  const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith(href)), page.keyboard.press('Enter')]);
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body.links.self).toBe(href);
});

test('without JavaScript and on a phone the docs are complete and nothing scrolls the page sideways', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 812 } });
  const page = await context.newPage();
  await page.goto('/api');
  await expect(page.locator('.api-endpoint')).toHaveCount(10);
  await expect(page.locator('section', { has: page.locator('#get-api-v1-observations') }).locator('table')).toContainText('series');
  await expect(page.locator('.api-basics')).toContainText('At most 50 series');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await context.close();
});

test('axe-core finds no serious or critical problem on /api', async ({ page }) => {
  await page.goto('/api');
  expect(await seriousViolations(page)).toEqual([]);
});
