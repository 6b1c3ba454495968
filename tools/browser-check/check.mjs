// Drives headless Chromium through Neo4j Browser: connect, let the imr-graph guide open, run the
// flagship query from it, and save a screenshot. Needs `make run` serving (Neo4j and the API).
// usage: node check.mjs PASSWORD [OUT.png]
import { chromium } from 'playwright-core';

const [password, out = 'browser-check.png'] = process.argv.slice(2);
if (!password) {
  console.error('usage: node check.mjs PASSWORD [OUT.png]');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  // No background traffic: this machine's network is closed except for loopback.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto('http://127.0.0.1:7474/browser/', { waitUntil: 'networkidle' });
  await page.getByTestId('boltaddress').fill('bolt://127.0.0.1:7687');
  await page.getByTestId('username').fill('neo4j');
  await page.getByTestId('password').fill(password);
  await page.getByTestId('connect').click();
  // browser.post_connect_cmd (in the generated neo4j.conf) plays the guide served by the API.
  const guide = page.locator('text=IMR decisions as a knowledge graph');
  await guide.first().waitFor({ timeout: 30000 });
  await page.screenshot({ path: out.replace(/\.png$/, '-guide.png') });
  // The first query slide is the flagship: go to it, put its parameters and query into the editor, run.
  await page.getByTestId('nextSlide').first().click();
  await page.locator('text=Guideline pages and sections that most often support decisions').first().waitFor();
  const runnables = page.locator('pre.runnable:visible');
  const count = await runnables.count();
  for (let i = 0; i < count; i++) {
    await runnables.nth(i).click();
    await page.getByTestId('editor-Run').click();
    await page.waitForTimeout(1500);
  }
  try {
    await page.locator('text=Chronic Pain Medical Treatment Guidelines').first().waitFor({ timeout: 30000 });
  } catch (err) {
    await page.screenshot({ path: out.replace(/\.png$/, '-failure.png') });
    throw err;
  }
  await page.screenshot({ path: out, fullPage: false });
  console.log(`flagship ran in Neo4j Browser; screenshot: ${out}`);
} finally {
  await browser.close();
}
