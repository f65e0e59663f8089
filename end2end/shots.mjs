// Screenshots for looking at a page as its users would: node shots.mjs URLPATH NAME
import { chromium } from '@playwright/test';
const [path, name] = process.argv.slice(2);
const base = process.env.BASE_URL || 'http://127.0.0.1:3400';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
for (const [w, h] of [[1280, 900], [375, 800]]) {
  for (const js of [true, false]) {
    for (const scheme of ['light', 'dark']) {
      const ctx = await browser.newContext({ viewport: { width: w, height: h }, javaScriptEnabled: js, colorScheme: scheme });
      const page = await ctx.newPage();
      await page.goto(base + path);
      if (js) await page.waitForTimeout(800);
      await page.screenshot({ path: `/tmp/shots/${name}-${w}-${js ? 'js' : 'nojs'}-${scheme}.png`, fullPage: false });
      await ctx.close();
    }
  }
}
await browser.close();
