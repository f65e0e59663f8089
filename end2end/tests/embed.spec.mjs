// End-to-end: a partner page on another origin (a node server started here) embeds a chart with
// /embed.js; the iframe takes its content's height, the chart inside hydrates and answers hover and
// keyboard, the static image loads at its size, and the site's other pages refuse to be framed. An editor
// titles and annotates a chart in the builder (keyboard only), pastes the snippet into the partner page
// and sees their words escaped with the sources intact; a home chart embeds alone; the fixed-height
// snippet shows the whole sources line at 320 and 640 px.
import { test, expect } from '@playwright/test';
import { waitLive } from './helpers.mjs';
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

// What the editor pasted: the partner page's /pasted.html serves it in a column `?w=` px wide.
let pasted = '';

let partner;
let partnerOrigin;

test.beforeAll(async () => {
  partner = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://partner');
    const width = url.searchParams.get('w') || '800';
    partnerPages['/pasted.html'] = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pasted</title></head>
<body style="margin:0;font-family:sans-serif"><h1>Partner story</h1><div id="col" style="width:${width}px">${pasted}</div></body></html>`;
    const html = partnerPages[url.pathname];
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

/** Presses Tab until `locator` has focus (at most `max` presses): how a keyboard user gets there. */
async function tabTo(page, locator, max = 40) {
  for (let i = 0; i < max; i++) {
    if (await locator.evaluate((e) => e === e.ownerDocument.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('not reached by Tab');
}

test('an editor titles and annotates a chart, copies the snippet, and the embed shows their words escaped with the sources', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
  await page.goto(`/explore?s=${TEMU_GMV}`);
  // The builder is an island: typing into it before it runs would be typing into plain HTML.
  await waitLive(page);
  const builder = page.locator('details.embed-builder');
  const summary = builder.locator('summary');
  // Keyboard only from the builder's button on.
  await summary.focus();
  await page.keyboard.press('Enter');
  await expect(builder).toHaveAttribute('open', '');
  // The language choice lists the UI's languages.
  await expect(builder.locator('select.embed-lang option')).toHaveText(['English', '简体中文']);
  const title = builder.locator('#embed-title');
  await tabTo(page, title);
  await page.keyboard.type('Temu <b>grows</b> & "fast"');
  await expect(title).toHaveAttribute('maxlength', '120');
  await page.keyboard.press('Tab');
  await page.keyboard.type('GMV in USD billion');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Temu reports no GMV; these are media estimates.');
  // The fixed-height snippet says which widths it fits, once the chart's shape is known.
  await expect(builder.locator('.embed-fit')).toContainText(/Fixed height \d+ px: fits this chart in columns 320–800 px wide/);
  const script = builder.locator('#embed-snippet-0');
  await expect(script).toHaveValue(/title=Temu\+%3Cb%3Egrows%3C%2Fb%3E\+%26\+%22fast%22&amp;subtitle=GMV\+in\+USD\+billion&amp;note=Temu/);
  await tabTo(page, builder.locator('.embed-copy').first());
  await page.keyboard.press('Enter');
  await expect(builder.locator('.embed-copy').first()).toHaveText('Copied');
  pasted = await page.evaluate(() => navigator.clipboard.readText());
  expect(pasted).toBe(await script.inputValue());

  await page.goto(`${partnerOrigin}/pasted.html?w=640`);
  const frame = page.frameLocator('iframe[data-tradewinds]');
  const heading = frame.locator('h1.embed-title');
  await expect(heading).toHaveText('Temu <b>grows</b> & "fast"');
  await expect(heading.locator('b')).toHaveCount(0);
  await expect(frame.locator('.embed-subtitle')).toHaveText('GMV in USD billion');
  await expect(frame.locator('.embed-note')).toHaveText('Note: Temu reports no GMV; these are media estimates.');
  await expect(frame.locator('.sources')).toContainText('Sources');
  await expect(frame.locator('.sources a.source-link').first()).toBeVisible();
  await expect(page.locator('iframe[data-tradewinds]')).toHaveAttribute('title', 'Temu <b>grows</b> & "fast"');
});

test('a home chart embeds alone from the home page', async ({ page }) => {
  await page.goto('/');
  const builders = page.locator('details.embed-builder');
  await expect(builders).toHaveCount(3);
  const shares = page.locator('.home-chart').filter({ hasText: 'Destination markets' }).locator('details.embed-builder');
  await shares.locator('summary').focus();
  await page.keyboard.press('Enter');
  const snippet = shares.locator('#embed-shares-snippet-0');
  await expect(snippet).toHaveValue(/\/embed\/home\?chart=shares"/);
  pasted = await snippet.inputValue();
  await page.goto(`${partnerOrigin}/pasted.html?w=480`);
  const frame = page.frameLocator('iframe[data-tradewinds]');
  await expect(frame.locator('figure.chart')).toHaveCount(1);
  await expect(frame.locator('.chart-title h2')).toContainText('Destination markets');
  await expect(frame.locator('.sources')).toContainText('Sources');
  await expect(frame.locator('a.embed-open')).toHaveAttribute('href', '/');
});

for (const width of [320, 640]) {
  test(`the fixed-height snippet shows the whole sources line at ${width} px`, async ({ page }) => {
    for (const q of [`/explore?s=${TEMU_GMV}`, '/']) {
      await page.goto(q);
      const builder = page.locator('details.embed-builder').first();
      await builder.locator('summary').click();
      await expect(builder.locator('.embed-fit')).toContainText('fits this chart');
      pasted = await builder.locator('textarea[id$="snippet-1"]').inputValue();
      expect(pasted).not.toContain('embed.js');
      await page.goto(`${partnerOrigin}/pasted.html?w=${width}`);
      const iframe = page.locator('iframe[data-tradewinds]');
      const frame = page.frameLocator('iframe[data-tradewinds]');
      await expect(frame.locator('.sources').last()).toContainText('Sources');
      const box = await iframe.boundingBox();
      expect(Math.round(box.width)).toBe(width);
      // The iframe's own viewport holds the last sources line and the "Open in Tradewinds" link.
      const { sourcesBottom, footerBottom, viewport } = await frame.locator('html').evaluate(() => ({
        sourcesBottom: Math.max(...[...document.querySelectorAll('.sources')].map((e) => e.getBoundingClientRect().bottom)),
        footerBottom: document.querySelector('.embed-footer').getBoundingClientRect().bottom,
        viewport: window.innerHeight,
      }));
      expect(sourcesBottom, q).toBeLessThanOrEqual(viewport);
      expect(footerBottom, q).toBeLessThanOrEqual(viewport);
    }
  });
}

test('before the canvas, a narrow embed shows a drawing that fills the frame', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 320, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${BASE}/embed?s=${TEMU_GMV}`);
  const stat = page.locator('.embed-static svg');
  await expect(stat).toBeVisible();
  const box = await stat.boundingBox();
  // The 360 px drawing at ~296 px: text at least 80% of its size, and no letterboxing.
  expect(box.width).toBeGreaterThan(290);
  expect(box.width / 360).toBeGreaterThan(0.8);
  expect(Math.abs(box.height - (box.width * 230) / 360)).toBeLessThan(2);
  const frame = await page.locator('.chart-frame').boundingBox();
  expect(Math.abs(frame.height - box.height)).toBeLessThan(2);
  await context.close();
});
