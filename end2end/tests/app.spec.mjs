// End-to-end: the pages hydrate, charts move from SVG to canvas without layout shift, hover and keyboard
// tooltips show sourced values, legend toggles and URL state survive reloads, and everything still shows
// with JavaScript off and on a phone-width screen.
import { test, expect } from '@playwright/test';
import { waitLive } from './helpers.mjs';

const TEMU_GMV = 'platform_gmv.china.world.temu.gmv.usd-billion';
const SHEIN_GMV = 'platform_gmv.china.world.shein.gmv.usd-billion';

/** Non-background pixels on a canvas. */
async function inkedPixels(page, selector) {
  return page.locator(selector).first().evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240) n++;
    return n;
  });
}

test('home page hydrates and redraws every chart on a canvas in the same box', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page.locator('h1')).toContainText('China cross-border e-commerce at a glance');
  await waitLive(page);
  expect(await inkedPixels(page, '#totals .chart-canvas')).toBeGreaterThan(2000);
  const svgBox = await page.locator('#totals .chart-svg').boundingBox();
  const canvasBox = await page.locator('#totals .chart-canvas').boundingBox();
  expect(Math.abs(svgBox.width - canvasBox.width)).toBeLessThan(1);
  expect(Math.abs(svgBox.height - canvasBox.height)).toBeLessThan(1);
  await expect(page.locator('#totals .sources')).toContainText('Sources');
  expect(errors).toEqual([]);
});

test('keyboard steps through points and hovering a point shows its sourced value', async ({ page }) => {
  await page.goto(`/explore?s=${TEMU_GMV}`);
  await waitLive(page);
  const frame = page.locator('#explore-chart .chart-frame');
  const tip = page.locator('#explore-chart [role="tooltip"]');
  await frame.focus();
  await page.keyboard.press('ArrowRight');
  await expect(tip).toBeVisible();
  await expect(tip).toContainText('2023');
  await expect(tip).toContainText('18');
  await expect(tip).toContainText('USD billion');
  await expect(tip).toContainText('36Kr');
  // The marker shows where the point is; hover exactly there after moving away.
  const marker = page.locator('#explore-chart .chart-marker');
  const box = await marker.boundingBox();
  await page.keyboard.press('Escape');
  await expect(tip).toBeHidden();
  await page.mouse.move(5, 5);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect(tip).toBeVisible();
  await expect(tip).toContainText('2023');
  await expect(tip).toContainText('18');
  // Next point: 2024-H1, "about 20" — shown as approximate.
  await frame.focus();
  await page.keyboard.press('ArrowRight');
  await expect(tip).toContainText('2024-H1');
  await expect(tip).toContainText('≈ 20');
});

test('legend toggle hides a series, is kept in the URL and survives a reload', async ({ page }) => {
  await page.goto(`/explore?s=${TEMU_GMV},${SHEIN_GMV}`);
  await waitLive(page);
  const before = await page.locator('#explore-chart canvas').evaluate((c) => c.toDataURL());
  const shein = page.locator('#explore-chart .legend-item', { hasText: 'Shein' });
  await expect(shein).toHaveAttribute('aria-pressed', 'true');
  await shein.click();
  await expect(shein).toHaveAttribute('aria-pressed', 'false');
  await expect(page).toHaveURL(new RegExp(`hide=${SHEIN_GMV.replace(/\./g, '\\.')}`));
  const after = await page.locator('#explore-chart canvas').evaluate((c) => c.toDataURL());
  expect(after).not.toEqual(before);
  // Keyboard stepping only reaches Temu's three points now.
  const frame = page.locator('#explore-chart .chart-frame');
  await frame.focus();
  for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
  await expect(page.locator('#explore-chart [role="tooltip"]')).toContainText('Temu');
  await page.reload();
  await waitLive(page);
  await expect(page.locator('#explore-chart .legend-item', { hasText: 'Shein' })).toHaveAttribute('aria-pressed', 'false');
});

test('explorer state lives in the URL and survives a reload', async ({ page }) => {
  await page.goto(`/explore?s=${SHEIN_GMV}&from=2022&scale=log`);
  await waitLive(page);
  await page.reload();
  await waitLive(page);
  await expect(page.locator('select[name="scale"]')).toHaveValue('log');
  await expect(page.locator('input[name="from"]')).toHaveValue('2022');
  await expect(page.locator('.chip')).toContainText('Shein');
  await expect(page.locator(`input[type="checkbox"][value="${SHEIN_GMV}"]`)).toBeChecked();
});

test('without JavaScript the charts are server-rendered SVG and the picker is a working form', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.locator('#totals .chart-svg svg')).toBeVisible();
  await expect(page.locator('#platforms .chart-svg svg')).toBeVisible();
  await expect(page.locator('#totals .chart-frame')).not.toHaveClass(/is-live/);
  await page.goto('/explore?platform=Temu');
  await page.locator(`input[type="checkbox"][value="${TEMU_GMV}"]`).check();
  await page.getByRole('button', { name: 'Show chart' }).click();
  await expect(page).toHaveURL(new RegExp(`s=${TEMU_GMV.replace(/\./g, '\\.')}`));
  await expect(page.locator('#explore-chart .chart-svg svg')).toBeVisible();
  await context.close();
});

test('phone-width screen: no sideways scrolling, charts fit', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  for (const path of ['/', `/explore?s=${TEMU_GMV},${SHEIN_GMV}`]) {
    await page.goto(path);
    await waitLive(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const box = await page.locator('.chart-canvas').first().boundingBox();
    expect(box.width).toBeLessThanOrEqual(375);
    // The canvas backing store follows the device pixel ratio, so text stays sharp.
    const width = await page.locator('.chart-canvas').first().evaluate((c) => c.width);
    expect(width).toBeGreaterThan(box.width * 1.5);
  }
  await context.close();
});

test('an admin uploads a file through the page and opens it in the explorer', async ({ page }) => {
  // Made-up test data.
  const csv = 'series_id,origin,destination,platform,category,period,value,unit,source\n'
    + 'e2e_test_only,China,Mexico,,made-up e2e category,2022,3.5,USD bn,made-up test data\n'
    + 'e2e_test_only,China,Mexico,,made-up e2e category,2023,4.5,USD bn,made-up test data\n'
    + 'e2e_test_only,China,Mexico,,made-up e2e category,2023-H3,9,USD bn,made-up test data\n';
  await page.goto('/admin/import');
  await page.locator('input[name="token"]').fill(process.env.ADMIN_TOKEN || 'e2e-admin-token');
  await page.locator('input[name="dataset"]').fill('e2e-upload');
  await page.locator('input[type="file"]').setInputFiles({ name: 'e2e.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Upload and import' }).click();
  const done = page.locator('.job.done');
  await expect(done).toBeVisible({ timeout: 20_000 });
  await expect(done).toContainText('2 observations');
  await expect(done).toContainText('1 rows skipped');
  await expect(page.locator('table.skipped')).toContainText('2023-H3');
  await page.getByRole('link', { name: 'Open in the explorer' }).click();
  await expect(page).toHaveURL(/dataset=e2e-upload/);
  // With JavaScript a tick alone draws the chart, in place.
  await page.locator('.series-list input[type="checkbox"]').first().check();
  await expect(page).toHaveURL(/s=e2e/);
  await waitLive(page);
  await expect(page.locator('#explore-chart .legend')).toContainText('made-up e2e category');
});
