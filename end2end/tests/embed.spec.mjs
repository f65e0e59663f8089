// End-to-end: a partner page on another origin (a node server started here) embeds a chart with
// /embed.js; the iframe takes its content's height, the chart inside hydrates and answers hover and
// keyboard, the static image loads at its size, and the site's other pages refuse to be framed.
import { test, expect } from '@playwright/test';
import http from 'node:http';

const TEMU_GMV = 'platform_gmv.china.world.temu.gmv.usd-billion';
const BASE = process.env.BASE_URL || 'http://127.0.0.1:3000';

const partnerPages = {
  '/news.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner news</title></head>
<body style="margin:0;font-family:sans-serif">
  <h1>Partner news</h1>
  <iframe id="tw" data-tradewinds src="${BASE}/embed?s=${TEMU_GMV}" title="Tradewinds chart"
    style="border:0;width:100%;height:150px"></iframe>
  <a href="${BASE}/explore?s=${TEMU_GMV}"><img id="img" src="${BASE}/chart.png?s=${TEMU_GMV}&width=480" alt="Temu GMV"></a>
  <script async src="${BASE}/embed.js"></script>
</body></html>`,
  '/framed.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Framing test</title></head>
<body>
  <iframe id="explore" src="${BASE}/explore?s=${TEMU_GMV}" style="width:800px;height:400px"></iframe>
  <iframe id="embed" src="${BASE}/embed?s=${TEMU_GMV}" style="width:800px;height:400px"></iframe>
</body></html>`,
};

let partner;
let partnerOrigin;

test.beforeAll(async () => {
  partner = http.createServer((req, res) => {
    const html = partnerPages[req.url.split('?')[0]];
    res.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html || 'not found');
  });
  await new Promise((resolve) => partner.listen(0, '127.0.0.1', resolve));
  partnerOrigin = `http://127.0.0.1:${partner.address().port}`;
  expect(partnerOrigin).not.toBe(new URL(BASE).origin);
});

test.afterAll(async () => {
  await new Promise((resolve) => partner.close(resolve));
});

test('a partner page embeds a chart that sizes itself and stays interactive', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${partnerOrigin}/news.html`);
  const iframe = page.locator('#tw');
  const frame = page.frameLocator('#tw');
  await expect(frame.locator('.chart-frame')).toHaveClass(/is-live/);
  await expect(frame.locator('.sources')).toContainText('Sources');
  await expect(frame.locator('a.embed-open')).toHaveAttribute('href', `/explore?s=${TEMU_GMV}`);
  await expect(frame.locator('a.embed-open')).toHaveAttribute('target', '_blank');

  // /embed.js set the iframe to the height the embed reported: all of the content, no scrollbar.
  await expect.poll(async () => (await iframe.boundingBox()).height).toBeGreaterThan(300);
  const content = await frame.locator('html').evaluate((h) => h.getBoundingClientRect().height);
  const box = await iframe.boundingBox();
  expect(Math.abs(box.height - Math.ceil(content))).toBeLessThanOrEqual(2);

  // Keyboard and hover inside the iframe show the sourced value.
  const chart = frame.locator('.chart-frame');
  const tip = frame.locator('[role="tooltip"]');
  await chart.focus();
  await page.keyboard.press('ArrowRight');
  await expect(tip).toBeVisible();
  await expect(tip).toContainText('USD billion');
  const marker = await frame.locator('.chart-marker').boundingBox();
  await page.keyboard.press('Escape');
  await expect(tip).toBeHidden();
  await page.mouse.move(2, 2);
  await page.mouse.move(marker.x + marker.width / 2, marker.y + marker.height / 2);
  await expect(tip).toBeVisible();
  await expect(tip).toContainText('36Kr');

  // The static image loads across origins at the size asked for.
  await expect.poll(() => page.locator('#img').evaluate((i) => i.complete && i.naturalWidth)).toBe(480);
  expect(errors).toEqual([]);
});

test('the site refuses to be framed outside /embed', async ({ page }) => {
  const refusals = [];
  page.on('console', (m) => {
    if (/frame-ancestors|X-Frame-Options/i.test(m.text())) refusals.push(m.text());
  });
  await page.goto(`${partnerOrigin}/framed.html`);
  // The embed beside it loads (so the page had time to load both).
  await expect(page.frameLocator('#embed').locator('.chart-frame')).toHaveClass(/is-live/);
  const explore = await (await page.locator('#explore').elementHandle()).contentFrame();
  // Chromium shows its error page in place of the refused document.
  expect(explore.url()).not.toContain('/explore');
  await expect(page.frameLocator('#explore').locator('.site-header')).toHaveCount(0);
  expect(refusals.join('\n')).toContain("frame-ancestors 'self'");
});
