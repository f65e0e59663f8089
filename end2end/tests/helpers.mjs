// Shared by the specs: waiting for charts to go live, and axe-core's serious and critical findings.
import { expect } from '@playwright/test';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Waits until every chart on the page has been drawn on its canvas (at least one must exist). */
export async function waitLive(page) {
  const frames = page.locator('.chart-frame');
  await expect(frames.first()).toBeAttached();
  const n = await frames.count();
  for (let i = 0; i < n; i++) await expect(frames.nth(i)).toHaveClass(/is-live/);
}

/** axe-core's serious and critical violations on the current page, one line each. */
export async function seriousViolations(page) {
  // Evaluated through the devtools protocol, which the page's Content-Security-Policy does not govern
  // (an injected <script> would be refused: the site allows only its own nonce'd scripts).
  await page.evaluate((source) => { (0, eval)(source); }, AXE);
  return page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}
