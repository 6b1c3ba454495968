// Drives headless Chromium through what the API serves: the landing page, a chart, and GraphiQL running
// the flagship question, with a screenshot of each. Fails when any request leaves the API's own origin
// (GraphiQL must load from the project, not a CDN). Needs `make run` serving (Neo4j and the API).
// usage: node ui-check.mjs [API_URL] [OUT_DIR]
import { chromium } from 'playwright-core';

const [api = 'http://127.0.0.1:8000', outDir = 'docs'] = process.argv.slice(2);
const origin = new URL(api).origin;
const outside = [];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  // No background traffic: this machine's network is closed except for loopback.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

async function step(page, name, fn) {
  try {
    await fn();
  } catch (err) {
    await page.screenshot({ path: `${outDir}/ui-check-failure.png` });
    throw new Error(`${name}: ${err.message} (screenshot: ${outDir}/ui-check-failure.png)`);
  }
}

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1400 } });
  context.on('request', (request) => {
    const url = request.url();
    if (!/^(data|blob|about):/.test(url) && new URL(url).origin !== origin) outside.push(url);
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));

  // 1. The landing page, with the flagship's chart drawn.
  await step(page, 'landing page', async () => {
    await page.goto(`${api}/`, { waitUntil: 'networkidle' });
    await page.locator('text=Stored queries').first().waitFor();
    const chart = page.locator('img.chart').first();
    await chart.waitFor();
    await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await chart.elementHandle());
    await page.screenshot({ path: `${outDir}/landing.png` });
  });

  // 2. One chart on its own: uphold rate by year, per treatment category.
  await step(page, 'chart', async () => {
    const response = await page.goto(`${api}/charts/uphold_rates_by_year_and_category.svg`);
    if (!response.ok() || !response.headers()['content-type'].startsWith('image/svg+xml')) {
      throw new Error(`chart answered ${response.status()} ${response.headers()['content-type']}`);
    }
    await page.locator('svg').first().waitFor();
    await page.locator('svg').first().screenshot({ path: `${outDir}/chart-uphold-rates-by-year.png` });
  });

  // 3. GraphiQL: its editor renders (from /static/graphiql/), the flagship runs, the result shows.
  await step(page, 'GraphiQL', async () => {
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(`${api}/graphql`, { waitUntil: 'networkidle' });
    await page.locator('.graphiql-query-editor .CodeMirror').first().waitFor({ timeout: 30000 });
    const editor = await page.locator('.graphiql-query-editor').first().innerText();
    if (!editor.includes('guidelineCitationStats')) throw new Error('the flagship query is not in the editor');
    await page.locator('.graphiql-execute-button').first().click();
    const result = page.locator('.result-window');
    await result.locator('text=Chronic Pain Medical Treatment Guidelines').first().waitFor({ timeout: 30000 });
    const text = await result.innerText();
    if (!text.includes('"decisions"') || text.includes('"errors"')) throw new Error(`unexpected result: ${text.slice(0, 300)}`);
    await page.screenshot({ path: `${outDir}/graphiql.png` });
  });

  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
  if (outside.length) throw new Error(`requests left ${origin}: ${[...new Set(outside)].join(', ')}`);
  console.log(`landing page, chart and GraphiQL checked; no request left ${origin}; screenshots in ${outDir}/`);
} finally {
  await browser.close();
}
