// End-to-end for reading a chart (issue 12): on a 390 px phone the tooltip stays inside the viewport, the
// readout lists every visible series at the hovered period, keyboard stepping still works, part-year
// values carry their key, ranked bars get height per row, and chart images name every source at 320 px.
import { test, expect } from '@playwright/test';

const OTS = (p) => `ots-china-partners.x.chn.${p}.miscellaneous`;
const BUSY = ['usa', 'jpn', 'deu', 'gbr', 'pol', 'vnm'].map(OTS);
const PLATFORMS = [
  'platform_gmv.china.world.temu.gmv.usd-billion',
  'platform_gmv.china.world.shein.gmv.usd-billion',
  'platform_gmv.china.world.tiktok-shop.gmv.usd-billion',
];
const s = (ids) => `s=${ids.map(encodeURIComponent).join('%2C')}`;

async function waitLive(page) {
  await expect(page.locator('#explore-chart .chart-frame')).toHaveClass(/is-live/);
}

/** The tooltip's box, once the island has placed it (it is laid out hidden first to be measured). */
async function tipBox(page) {
  const tip = page.locator('#explore-chart [role="tooltip"]');
  await expect(tip).toBeVisible();
  await expect(tip).not.toHaveAttribute('style', /visibility:hidden/);
  return tip.boundingBox();
}

test.describe('on a 390 px phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the tooltip stays inside the viewport at both ends of the axis', async ({ page }) => {
    await page.goto(`/explore?${s(BUSY)}&from=2000`);
    await waitLive(page);
    const frame = page.locator('#explore-chart .chart-frame');
    await frame.focus();
    // The first points (left edge), some in the middle, then from the last point (right edge) back.
    const keys = [...Array(4).fill('ArrowRight'), 'Escape', ...Array(4).fill('ArrowLeft')];
    for (const key of keys) {
      await page.keyboard.press(key);
      if (key === 'Escape') continue;
      const box = await tipBox(page);
      expect(box.x, `${key}: left edge`).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, `${key}: right edge`).toBeLessThanOrEqual(390);
      expect(box.y, `${key}: top edge`).toBeGreaterThanOrEqual(0);
    }
    // Hovering near the right edge, too.
    const fb = await frame.boundingBox();
    await page.mouse.move(fb.x + fb.width - 12, fb.y + fb.height / 2);
    const tip = page.locator('#explore-chart [role="tooltip"]');
    if (await tip.isVisible()) {
      const box = await tipBox(page);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
  });

  test('ranked bars get height per row', async ({ page }) => {
    await page.goto(`/explore?${s(BUSY)}&chart=bars&rank=growth&cagr=2015%2C2020`);
    await waitLive(page);
    const frame = page.locator('#explore-chart .chart-frame');
    await expect(frame).toHaveClass(/is-bars/);
    const rows = Number((await frame.getAttribute('style')).match(/--rows: (\d+)/)[1]);
    expect(rows).toBeGreaterThan(1);
    const box = await frame.boundingBox();
    expect(box.height).toBeGreaterThanOrEqual(rows * 30 + 80 - 1);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
  });
});

test('the readout lists every visible series at the hovered period, and keyboard stepping still works', async ({ page }) => {
  await page.goto(`/explore?${s(BUSY)}&from=2010`);
  await waitLive(page);
  const frame = page.locator('#explore-chart .chart-frame');
  const tip = page.locator('#explore-chart [role="tooltip"]');
  const legend = page.locator('#explore-chart .legend-item');
  const visible = await legend.count();
  expect(visible).toBe(6);
  await frame.focus();
  await page.keyboard.press('ArrowRight');
  await expect(tip).toBeVisible();
  const first = (await tip.locator('.tip-period').textContent()).trim();
  await expect(tip.locator('.tip-readout-title')).toContainText(first);
  await expect(tip.locator('.tip-readout li')).toHaveCount(visible);
  await expect(tip.locator('.tip-readout li.is-current')).toHaveCount(1);
  // Sorted largest first: the values read in descending order.
  const values = await tip.locator('.tip-readout .readout-value').allTextContents();
  const numbers = values.map((v) => parseFloat(v.replace(/[^0-9.\-]/g, ''))).filter((n) => !Number.isNaN(n));
  expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
  // The next point is the next period.
  await page.keyboard.press('ArrowRight');
  await expect(tip.locator('.tip-period')).not.toHaveText(first);
  await page.keyboard.press('Escape');
  await expect(tip).toBeHidden();
  // A hidden series leaves the readout.
  await legend.nth(1).click();
  await expect(legend.nth(1)).toHaveAttribute('aria-pressed', 'false');
  await frame.focus();
  await page.keyboard.press('ArrowRight');
  await expect(tip.locator('.tip-readout li')).toHaveCount(visible - 1);
});

test('part-year values are keyed under the chart and flagged in the readout', async ({ page }) => {
  await page.goto(`/explore?${s(PLATFORMS)}`);
  const key = page.locator('#explore-chart .marker-key');
  await expect(key).toContainText('part of a year');
  await waitLive(page);
  const frame = page.locator('#explore-chart .chart-frame');
  const tip = page.locator('#explore-chart [role="tooltip"]');
  await frame.focus();
  // Step until a half-year point is read.
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('ArrowRight');
    if ((await tip.locator('.tip-period').textContent()).includes('-H')) break;
  }
  await expect(tip.locator('.tip-period')).toContainText('-H');
  await expect(tip.locator('.tip-readout li.is-current')).toContainText('part-year');
});

test('chart images name every source of the chart, even 320 px wide', async ({ page, request }) => {
  const query = `${s(BUSY)}&from=2000`;
  await page.goto(`/explore?${query}`);
  const sources = (await page.locator('#explore-chart .sources .source-link').allTextContents()).map((t) => t.trim());
  const labels = (await page.locator('#explore-chart .legend-label').allTextContents()).map((t) => t.trim());
  expect(sources.length).toBeGreaterThan(0);
  const squash = (t) => t.replace(/\s+/g, '');
  for (const width of [320, 720, 1200]) {
    const res = await request.get(`/chart.svg?${query}&width=${width}`);
    expect(res.status()).toBe(200);
    const svg = await res.text();
    const text = squash(
      svg.split('</text>').map((p) => p.slice(p.lastIndexOf('>') + 1)).join(' ')
        .replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"'),
    );
    for (const src of sources) expect(text, `${width} px: ${src}`).toContain(squash(src));
    for (const label of labels) expect(text, `${width} px: ${label}`).toContain(squash(label));
    expect(text).not.toMatch(/\+\d+more/);
    const png = await request.get(`/chart.png?${query}&width=${width}`);
    expect(png.status()).toBe(200);
    expect(png.headers()['content-type']).toBe('image/png');
  }
});
