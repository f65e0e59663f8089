// Measures time to first chart on a page (a benchmark, not a test): HTML received, first contentful paint
// (the server-rendered SVG chart is in the HTML), and the moment every chart is live on its canvas.
// Usage: BASE_URL=http://127.0.0.1:3000 node bench/first-chart.mjs [path] [runs]
import { chromium } from '@playwright/test';

const base = process.env.BASE_URL || 'http://127.0.0.1:3000';
const path = process.argv[2] || '/';
const runs = Number(process.argv[3] || 7);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const samples = [];
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext(); // cold cache every run
  const page = await context.newPage();
  const start = Date.now();
  await page.goto(base + path, { waitUntil: 'commit' });
  await page.waitForFunction(() => {
    const frames = [...document.querySelectorAll('.chart-frame')];
    return frames.length > 0 && frames.every((f) => f.classList.contains('is-live'));
  }, null, { timeout: 30000 });
  const live = Date.now() - start;
  const t = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    return { html: nav.responseEnd, fcp: fcp ? fcp.startTime : NaN, bytes: nav.transferSize };
  });
  samples.push({ ...t, live });
  await context.close();
}
await browser.close();
const median = (k) => samples.map((s) => s[k]).sort((a, b) => a - b)[Math.floor(samples.length / 2)];
console.log(JSON.stringify({
  page: path, runs,
  median_ms: { html_received: Math.round(median('html')), first_contentful_paint: Math.round(median('fcp')), all_charts_interactive: median('live') },
  html_transfer_bytes: median('bytes'),
}, null, 1));
