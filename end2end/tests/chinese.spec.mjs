// End-to-end for the Chinese pages (issue 13, first part): the switch opens the same view in Chinese and
// the choice sticks; choices made on a Chinese page stay on Chinese pages; the browser's preference picks
// the home page's language; axe-core finds nothing serious on the Chinese pages.
import { test, expect } from '@playwright/test';
import { waitLive, seriousViolations } from './helpers.mjs';

const TEMU = 'platform_gmv.china.world.temu.gmv.usd-billion';
const SHEIN = 'platform_gmv.china.world.shein.gmv.usd-billion';

test('the language switch keeps the view, and choices on a Chinese page stay Chinese', async ({ page }) => {
  await page.goto(`/explore?s=${TEMU}&q=Shein`);
  await page.locator('.lang-switch').getByRole('link', { name: '简体中文' }).click();
  await expect(page).toHaveURL(new RegExp(`/zh/explore\\?s=${TEMU.replace(/\./g, '\\.')}&q=Shein$`));
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-Hans');
  await expect(page.getByRole('navigation', { name: '主导航' })).toContainText('探索');
  await expect(page.locator('.chip')).toHaveCount(1);
  await waitLive(page);
  // A tick redraws in place and stays on the Chinese page; the switch follows the new view.
  await expect(page.locator('form.picker')).toHaveAttribute('data-live-form', '');
  await page.locator(`input[type="checkbox"][value="${SHEIN}"]`).check();
  await expect(page).toHaveURL(/\/zh\/explore\?.*shein/);
  await expect(page.locator('.chip')).toHaveCount(2);
  await expect(page.locator('.lang-switch a[hreflang="en"]')).toHaveAttribute('href', /shein/);
  // The choice sticks: the home page opens in Chinese.
  await page.goto('/');
  await expect(page).toHaveURL(/\/zh$/);
  await page.locator('.lang-switch').getByRole('link', { name: 'English' }).click();
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});

test('a browser that prefers Chinese gets the Chinese home; no explicit choice needed', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'zh-CN', extraHTTPHeaders: { 'Accept-Language': 'zh-CN,zh;q=0.9' } });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page).toHaveURL(/\/zh$/);
  await expect(page.locator('h1')).toContainText('中国跨境电商');
  await context.close();
});

test('without JavaScript the Chinese finder ranks, with Chinese names and categories', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/zh/markets?category=Miscellaneous');
  await expect(page.locator('select[name=category] option:checked')).toHaveText('杂项制品');
  await expect(page.locator('.market-name').first()).toContainText(/[\u4e00-\u9fff]/);
  await context.close();
});

test('axe-core finds no serious or critical problem on the Chinese pages', async ({ page }) => {
  for (const url of ['/zh', '/zh/explore', '/zh/markets?category=Textiles', '/zh/rankings', '/zh/api']) {
    await page.goto(url);
    expect(await seriousViolations(page), url).toEqual([]);
  }
});

test('the Chinese chart speaks Chinese when stepped through: 万/亿 amounts, 年 periods, Chinese gaps', async ({ page }) => {
  await page.goto(`/zh/explore?s=${TEMU},${SHEIN}`);
  await waitLive(page);
  const chart = page.locator('#explore-chart .chart-frame');
  await chart.focus();
  await page.keyboard.press('ArrowRight');
  const tip = page.locator('#explore-chart [role="tooltip"]');
  await expect(tip).toBeVisible();
  await expect(tip.locator('.tip-period')).toContainText('年');
  await expect(tip.locator('.tip-value')).toContainText(/亿美元/);
  // A derived view explains itself in Chinese, reasons for missing values included.
  await page.goto(`/zh/explore?s=${TEMU}&tf=yoy`);
  await expect(page.locator('table, .figures').first()).toBeAttached();
  await expect(page.locator('.chart-note, .figures').first()).toContainText(/推导值|未计算|同比/);
});

test('the browser gets its words from the page, not translation tables in the wasm', async ({ page, request }) => {
  await page.goto(`/zh/explore?s=${TEMU}`);
  await waitLive(page);
  const wasm = await page.evaluate(() =>
    performance.getEntriesByType('resource').map((e) => e.name).find((n) => /\.wasm(\?|$)/.test(n)));
  expect(wasm, 'the page loaded its wasm').toBeTruthy();
  const bytes = (await (await request.get(wasm)).body()).toString('latin1');
  // Keys and strings only the server renders: the tables would bring every one of them.
  for (const only of ['home.lede', 'nav.explore', 'markets.why', 'admin.format.wdi']) {
    expect(bytes.includes(only), only).toBe(false);
  }
  // Keys an island reads from its props are in its code, so the search itself can find things.
  expect(bytes.includes('chart.readout')).toBe(true);
  // And the island still speaks Chinese: its legend's label came with the page.
  await expect(page.locator('ul.legend')).toHaveAttribute('aria-label', /[\u4e00-\u9fff]/);
});
