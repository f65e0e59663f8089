// Hover benchmark (not a test): 200 mouse moves over a chart of 20 series × 60 points (real data: WDI
// exports of goods and services, 1964–2023, 20 economies) and the work each move causes — the handler,
// the nearest-point search, the tooltip and marker updates — up to the next frame. Reports p50/p95/max.
// Usage: BASE_URL=http://127.0.0.1:3000 node bench/hover.mjs
import { chromium } from '@playwright/test';

const base = process.env.BASE_URL || 'http://127.0.0.1:3000';
const CODES = ['zaf', 'ury', 'uga', 'tur', 'tha', 'tgo', 'tcd', 'swz', 'swe', 'sgp', 'sen', 'sdn', 'rwa', 'pak',
  'ner', 'mys', 'mex', 'mdg', 'mar', 'kor'];
const ids = CODES.map((c) => `wdi-exports-goods-services.ne-exp-gnfs-cd.${c}`);
const url = `${base}/explore?s=${ids.join('%2C')}&from=1964&to=2023`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(url);
await page.waitForFunction(() => document.querySelector('#explore-chart .chart-frame')?.classList.contains('is-live'));
const result = await page.evaluate(async () => {
  const canvas = document.querySelector('#explore-chart .chart-canvas');
  const box = canvas.getBoundingClientRect();
  const points = canvas.closest('figure').querySelectorAll('.legend-item').length;
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const times = [];
  await frame();
  for (let i = 0; i < 200; i++) {
    // A sweep left to right with a vertical wobble, as a hand moves.
    const x = box.left + 60 + ((box.width - 80) * i) / 199;
    const y = box.top + box.height * (0.3 + 0.4 * Math.abs(Math.sin(i / 7)));
    const t0 = performance.now();
    canvas.dispatchEvent(new MouseEvent('mousemove', { clientX: x, clientY: y, bubbles: true }));
    // Reactive updates run as microtasks; the DOM work lands before the next frame's style/layout.
    // A message-channel task runs right after every microtask has drained (no timer clamping).
    await new Promise((r) => { const c = new MessageChannel(); c.port1.onmessage = () => r(); c.port2.postMessage(0); });
    document.body.offsetHeight; // force style + layout of the tooltip and marker
    times.push(performance.now() - t0);
    await frame();
  }
  const tip = document.querySelector('#explore-chart [role="tooltip"]');
  times.sort((a, b) => a - b);
  const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  return { series: points, p50: q(0.5), p95: q(0.95), max: times[times.length - 1], tooltip: !tip.hidden };
});
console.log(`hover over ${result.series} series × 60 points: p50 ${result.p50.toFixed(2)} ms, p95 ${result.p95.toFixed(2)} ms, max ${result.max.toFixed(2)} ms per move (200 moves); tooltip shown: ${result.tooltip}`);
await browser.close();
