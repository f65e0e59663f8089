// End-to-end for the researcher's first question, "which markets' imports from China grew fastest in
// the last five years, as CSV?": from the explorer it is two actions (open Rankings, download the CSV).
// Also: sorting and paging by keyboard alone, the wide view, a phone, no JavaScript, axe-core; and the
// explorer's opening chart, plain-phrase search and the chart before the list.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { seriousViolations } from './helpers.mjs';

const growth = (page) => page.locator('table.rank-table tbody tr td:nth-child(7)').evaluateAll(
  (tds) => tds.map((td) => td.textContent.trim()));

test('fastest-growing markets as CSV: two actions from the explorer', async ({ page }) => {
  await page.goto('/explore');
  // Action 1: open Rankings. It opens on partner-reported imports from China, fastest growth first.
  await page.getByRole('link', { name: 'Rankings', exact: true }).click();
  await expect(page).toHaveURL(/\/rankings$/);
  await expect(page.locator('.ranking-summary')).toContainText(/\d+ places, sorted by CAGR % a year, 20\d\d–20\d\d/);
  const values = (await growth(page)).filter((v) => v !== '—').map((v) => parseFloat(v.replace(/[+,%\s]/g, '')));
  expect(values.length).toBeGreaterThan(20);
  for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1]);
  // Action 2: the CSV, with the derived columns named by their formulas and a licence on every row.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'CSV with derived columns' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^tradewinds-ranking-.*\.csv$/);
  const text = readFileSync(await download.path(), 'utf8');
  const [head, first] = text.split('\n');
  expect(head).toContain('cagr_pct (derived: ((value');
  expect(head).toContain('licence');
  expect(first.split(',')[0]).toBe('1');
});

test('sorting, paging and the wide view work by keyboard alone', async ({ page }) => {
  await page.goto('/rankings');
  // Sort by share (a link in the column head), reached and followed with the keyboard.
  const sortLink = page.locator('th a', { hasText: 'Change %' });
  await sortLink.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/sort=-change_pct/);
  await expect(page.locator('th[aria-sort=descending]')).toContainText('Change %');
  await page.locator('a[rel=next]').focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/page=2/);
  await expect(page.locator('table.rank-table tbody tr').first().locator('td').first()).toHaveText('51');
  await page.getByRole('link', { name: 'Places × years', exact: true }).click();
  await expect(page.locator('table.rank-table.wide thead th')).toContainText(['Place', '2019', '2020']);
});

test('on a phone the table scrolls inside itself and nothing serious fails axe-core', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto('/rankings?table=ots-china-partners%2Fots_exports&category=Footwear+and+Headwear');
  await expect(page.locator('.ranking-summary')).toContainText('places');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(page.locator('.sources')).toContainText('CC BY-NC');
  expect(await seriousViolations(page)).toEqual([]);
});

test('without JavaScript the form picks another table and years', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/rankings');
  await page.selectOption('select[name=table]', 'imf-dots-china/dots_exports-fob');
  await page.getByRole('button', { name: 'Show ranking' }).click();
  await expect(page).toHaveURL(/table=imf-dots-china%2Fdots_exports-fob/);
  // The year lists are now the new table's.
  await page.selectOption('select[name=from]', '2010');
  await page.selectOption('select[name=to]', '2020');
  await page.getByRole('button', { name: 'Show ranking' }).click();
  await expect(page).toHaveURL(/table=imf-dots-china%2Fdots_exports-fob/);
  await expect(page.locator('.ranking-summary')).toContainText('2010–2020');
  await context.close();
});

test('the explorer opens on a chart, finds plain phrases, and puts the chart first', async ({ page }) => {
  await page.goto('/explore');
  await expect(page.locator('.explore-chart h2').first()).toContainText('Imports from China, as each partner reports them');
  // The first Tab stop after the header and quick views is the skip link; it lands on the chart.
  await page.locator('.skip-link').focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#chart$/);
  await page.fill('input[name=q]', 'imports from China');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/q=imports\+from\+China/);
  await expect(page.locator('.series-list legend')).not.toContainText(' 0 ');
  await expect(page.locator('.series-list li').first()).toContainText('China');
  await page.fill('input[name=q]', 'zzqx');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/q=zzqx/);
  await expect(page.locator('.series-list .notice')).toContainText('No series match');
});
