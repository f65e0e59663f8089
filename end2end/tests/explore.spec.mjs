// End-to-end for the researchers' explorer: every chart type from a URL, the table matching the data,
// downloads, a keyboard-only walk, axe-core, dark mode without JavaScript and a phone-width screen.
import { test, expect } from '@playwright/test';
import { waitLive, seriousViolations } from './helpers.mjs';

const DOTS = (p) => `imf-dots-china.exports-fob.${p}`;
const MARKETS = [DOTS('united-states'), DOTS('vietnam'), DOTS('mexico'), DOTS('poland-rep-of')];
const PLATFORMS = [
  'platform_gmv.china.world.temu.gmv.usd-billion',
  'platform_gmv.china.world.shein.gmv.usd-billion',
];
const s = (ids) => `s=${ids.map(encodeURIComponent).join('%2C')}`;

const VIEWS = [
  ['line with an index', `${s(MARKETS)}&from=2010&tf=index&base=2010`, 'index, 2010 = 100 (derived)'],
  ['stacked area', `${s(MARKETS)}&from=2010&chart=area`, 'USD million'],
  ['ranked bars by growth', `${s(MARKETS)}&chart=bars&rank=growth&cagr=2010%2C2020`, 'CAGR, % a year (derived)'],
  ['bubbles', `${s(MARKETS)}&chart=bubble&cagr=2015%2C2020`, 'y: CAGR, % a year (derived)'],
  ['year on year', `${s(PLATFORMS)}&tf=yoy`, '% year on year (derived)'],
];

for (const [name, query, unit] of VIEWS) {
  test(`${name} renders from its URL, server-drawn and then live`, async ({ page }) => {
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`/explore?${query}`);
    const svg = page.locator('#explore-chart .chart-svg svg');
    await expect(svg).toHaveCount(1);
    expect(await svg.innerHTML()).toContain(unit.replace('&', '&amp;'));
    await waitLive(page);
    expect(errors).toEqual([]);
  });
}

test('a transform that cannot be computed leaves a marked gap with its reason', async ({ page }) => {
  // Platform GMV is annual with a half-year figure: year on year has no base for the first year.
  await page.goto(`/explore?${s(PLATFORMS)}&tf=yoy&chart=table`);
  const table = page.locator('.data-table table');
  await expect(table).toContainText('not computed: no value for the same period a year earlier');
});

test('the table view lists exactly the figures the API returns for the same view', async ({ page, request }) => {
  const query = `${s(MARKETS)}&from=2015&to=2020`;
  await page.goto(`/explore?${query}&chart=table&sort=-value`);
  const rows = page.locator('.data-table tbody tr');
  const api = await (await request.get(`/api/v1/observations?series=${MARKETS.join(',')}&from=2015&to=2020&format=json`)).json();
  const observations = api.series.flatMap((x) => x.observations);
  expect(await rows.count()).toBe(observations.length);
  // Sorted by value, descending: the first row is the largest figure.
  const largest = Math.max(...observations.map((o) => o.value));
  const first = await rows.first().locator('td.num').innerText();
  expect(Number(first.replace(/[^0-9.]/g, ''))).toBeCloseTo(largest, 0);
  await expect(page.locator('.data-table th[aria-sort="descending"]')).toHaveCount(1);
});

test('downloads of the view return the right types and content', async ({ page, request }) => {
  const query = `${s(PLATFORMS)}&tf=index&base=2023`;
  await page.goto(`/explore?${query}`);
  const links = page.locator('.downloads a');
  const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const byType = {};
  for (const href of hrefs) {
    const res = await request.get(href);
    expect(res.status(), href).toBe(200);
    byType[res.headers()['content-type'].split(';')[0]] = await res.body();
  }
  expect(byType['text/csv'].toString()).toContain('USD billion');
  expect(JSON.parse(byType['application/json'].toString())).toBeTruthy();
  const svg = byType['image/svg+xml'].toString();
  expect(svg).toContain('index, 2023 = 100 (derived)');
  expect(svg).toContain('Tradewinds');
  expect([...byType['image/png'].subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
});

test('keyboard only: search, pick a chart type, apply, and step through points', async ({ page }) => {
  await page.goto(`/explore?${s(MARKETS)}`);
  await waitLive(page);
  const search = page.locator('input[name="q"]');
  await search.focus();
  await page.keyboard.type('Vietnam');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/q=Vietnam/);
  await expect(page.locator('.series-list li').first()).toContainText('Vietnam');
  // The chart-type radios are one tab stop; arrows move between them.
  const line = page.locator('input[name="chart"][value="line"]');
  await line.focus();
  await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(/chart=area/);
  // Focus is visible wherever it lands.
  const chart = page.locator('#explore-chart .chart-frame');
  await chart.focus();
  const outline = await chart.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe('none');
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('#explore-chart [role="tooltip"]')).toBeVisible();
});

test('dragging across a time chart zooms to those years, kept in the URL', async ({ page }) => {
  await page.goto(`/explore?${s(MARKETS)}&from=2000`);
  await waitLive(page);
  const box = await page.locator('#explore-chart .chart-canvas').boundingBox();
  const y = box.y + box.height * 0.5;
  await page.mouse.move(box.x + box.width * 0.35, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, y, { steps: 5 });
  await expect(page.locator('#explore-chart .chart-brush')).toBeVisible();
  await page.mouse.up();
  await expect(page).toHaveURL(/from=20\d\d&to=20\d\d/);
  const url = new URL(page.url());
  const [from, to] = [Number(url.searchParams.get('from')), Number(url.searchParams.get('to'))];
  expect(from).toBeGreaterThan(2000);
  expect(to).toBeGreaterThan(from);
  expect(to).toBeLessThanOrEqual(2020);
});

test('axe-core finds no serious or critical problem on / and the explorer', async ({ page }) => {
  for (const url of ['/', '/explore', ...VIEWS.map(([, q]) => `/explore?${q}`), `/explore?${s(MARKETS)}&chart=table`]) {
    await page.goto(url);
    if (url !== '/explore') await waitLive(page).catch(() => {});
    expect(await seriousViolations(page), url).toEqual([]);
  }
});

test('axe-core finds no serious or critical problem in dark mode either', async ({ page, context, baseURL }) => {
  await context.addCookies([{ name: 'theme', value: 'dark', url: baseURL }]);
  for (const url of ['/', `/explore?${s(MARKETS)}&chart=bars`, `/explore?${s(MARKETS)}&chart=table`]) {
    await page.goto(url);
    await expect(page.locator('html')).toHaveClass(/theme-dark/);
    await waitLive(page).catch(() => {});
    expect(await seriousViolations(page), url).toEqual([]);
  }
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('dark mode is chosen by a link and rendered by the server, charts included', async ({ page }) => {
    const back = encodeURIComponent(`/explore?${s(PLATFORMS)}`);
    await page.goto(`/theme?set=dark&back=${back}`);
    await expect(page).toHaveURL(/\/explore\?/);
    await expect(page.locator('html')).toHaveClass(/theme-dark/);
    const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(bg).toBe('rgb(17, 19, 21)');
    expect(await page.locator('#explore-chart .chart-svg svg').innerHTML()).toContain('#181A1D');
    await page.goto(`/theme?set=auto&back=/`);
    await expect(page.locator('html')).not.toHaveClass(/theme-dark/);
  });
});

test('at 375 px the explorer fits the screen with the chart first', async ({ page }, info) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto(`/explore?${s(MARKETS)}&from=2010&tf=index&base=2010`);
  await waitLive(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const chartTop = (await page.locator('.explore-chart').boundingBox()).y;
  const pickerTop = (await page.locator('.picker').boundingBox()).y;
  expect(chartTop).toBeLessThan(pickerTop);
  await page.screenshot({ path: info.outputPath('explore-375.png'), fullPage: false });
});

test('picking without page loads: search as you type, ticks, removals and Back update chart and address in place', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/explore?${s(PLATFORMS)}`);
  await expect(page.locator('form.picker')).toHaveAttribute('data-live-form', '');
  await waitLive(page);
  await page.evaluate(() => { window.__stayed = true; });
  await expect(page.locator('.chip')).toHaveCount(2);
  // Typing narrows the list after a pause, without Enter; the box keeps focus and every letter.
  const search = page.locator('input[name="q"]');
  await search.focus();
  await page.keyboard.type('exports to Vietnam', { delay: 40 });
  await expect(page).toHaveURL(/q=exports\+to\+Vietnam/);
  await expect(search).toBeFocused();
  await expect(search).toHaveValue('exports to Vietnam');
  // "to Vietnam" means the destination: China's exports to Viet Nam, not Viet Nam's own.
  const first = page.locator('.series-list li').first();
  await expect(first).toContainText(/→ Viet ?Nam/i);
  // A tick redraws the chart (a third series, live again) and adds the series to the address.
  const box = first.locator('input[type="checkbox"]');
  const id = await box.getAttribute('value');
  await box.check();
  await expect(page).toHaveURL(new RegExp(`s=[^&]*${id.replace(/\./g, '\\.')}`));
  await expect(page.locator('.chip')).toHaveCount(3);
  await waitLive(page);
  await expect(page.locator('#explore-chart .legend-item')).toHaveCount(3);
  await expect(page.locator(`input[type="checkbox"][value="${id}"]`)).toBeFocused();
  // A chip's × removes its series in place.
  await page.locator('.chip', { hasText: 'Temu' }).getByRole('link').click();
  await expect(page.locator('.chip')).toHaveCount(2);
  await expect(page).not.toHaveURL(/temu/);
  await waitLive(page);
  // Back brings the removed series back, still without a page load.
  await page.goBack();
  await expect(page.locator('.chip')).toHaveCount(3);
  await expect(page).toHaveURL(/temu/);
  expect(await page.evaluate(() => window.__stayed)).toBe(true);
  expect(errors).toEqual([]);
});

test('"Show chart" keeps the series the legend hid', async ({ page }) => {
  await page.goto(`/explore?${s(PLATFORMS)}`);
  await waitLive(page);
  await expect(page.locator('form.picker')).toHaveAttribute('data-live-form', '');
  await page.locator('#explore-chart .legend-item', { hasText: 'Shein' }).click();
  await expect(page).toHaveURL(/hide=platform_gmv/);
  await page.fill('input[name="from"]', '2023');
  await page.getByRole('button', { name: 'Show chart' }).click();
  await expect(page).toHaveURL(/from=2023/);
  await expect(page).toHaveURL(/hide=platform_gmv\.china\.world\.shein/);
  await waitLive(page);
  await expect(page.locator('#explore-chart .legend-item', { hasText: 'Shein' })).toHaveAttribute('aria-pressed', 'false');
});
