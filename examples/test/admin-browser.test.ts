import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminDemo, REFUSED_SKU, startAdminDemo, UNPUBLISHED_SKU } from '../lib/admin-demo';

/**
 * The admin dashboard in a real browser (playwright-core driving the system Chromium) against
 * `pnpm demo:admin`'s world: the API and dashboard over HTTP, the three sandboxes, the order
 * worker syncing. Each page's screenshot is written to ADMIN_SCREENSHOTS_DIR (default
 * .tmp/admin-screenshots) for a reviewer to look at.
 */

const CANDIDATES = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
];
const chromiumPath = CANDIDATES.find(
  (path): path is string => path !== undefined && path !== '' && existsSync(path),
);
if (!chromiumPath) {
  console.warn(
    'admin browser tests skipped: no Chromium found (apt-get install -y chromium, or set CHROMIUM_PATH)',
  );
}
const SCREENSHOTS = resolve(process.env.ADMIN_SCREENSHOTS_DIR ?? '.tmp/admin-screenshots');
/** How long the page may take to show what the workers did (a poll, a push, a refresh). */
const LIVE_WAIT_MS = 20_000;

let demo: AdminDemo;
let browser: Browser;
let page: Page;

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

describe.skipIf(!chromiumPath)('admin dashboard in Chromium', { timeout: 45_000 }, () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [demo, browser] = await Promise.all([
      // Pages poll only every 60 s here: what changes during a test arrives by the event stream.
      startAdminDemo({ port: 0, orderEveryMs: 0, pollEveryMs: 500, pollSeconds: 60 }),
      chromium.launch({
        ...(chromiumPath ? { executablePath: chromiumPath } : {}),
        args: ['--no-sandbox', '--disable-dev-shm-usage'],
      }),
    ]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  it('logs in with an operator key', async () => {
    await page.goto(demo.adminUrl);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/admin/login');
    await shot('login');
    await page.getByLabel('API key').fill(demo.keys.operator);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(await page.getByText('Operator key').count()).toBe(1);
    await shot('overview');
  });

  it('is usable with the keyboard and on a phone', async () => {
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    try {
      await phone.context().addCookies(await page.context().cookies());
      await phone.goto(`${demo.origin}/admin/orders`);
      await phone.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
      // Nothing wider than the screen but the tables, which scroll inside their own box.
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await phone.screenshot({ path: `${SCREENSHOTS}/phone-orders.png`, fullPage: true });
    } finally {
      await phone.close();
    }
  });

  it('shows every page', async () => {
    for (const [path, name] of [
      ['accounts', 'Accounts'],
      ['catalog', 'Catalog'],
      ['inventory', 'Inventory'],
      ['orders', 'Orders'],
      ['sync', 'Sync'],
      ['alerts', 'Alerts'],
    ] as const) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
      await expect.poll(() => new URL(page.url()).pathname).toBe(`/admin/${path}`);
      await shot(path);
    }
  });

  it('connects a seller through the marketplace authorization page', async () => {
    await page.goto(`${demo.origin}/admin/accounts`);
    const before = demo.accounts().length;
    await page.getByRole('button', { name: 'Connect Mercado Livre', exact: true }).click();
    // The dashboard → the sandbox's authorization page → the API's callback → back here.
    await page.getByRole('status').filter({ hasText: 'Connected meli:' }).waitFor();
    expect(demo.accounts()).toHaveLength(before + 1);
    const added = demo.accounts().at(-1)!;
    expect(added.marketplace).toBe('meli');
    const row = page.locator('tr', {
      has: page.getByRole('rowheader', { name: new RegExp(added.accountId) }),
    });
    await row.getByText('Healthy').waitFor();
    await shot('accounts-connected');
  });

  it('publishes a product to two marketplaces', async () => {
    await page.goto(`${demo.origin}/admin/catalog`);
    const row = () =>
      page.locator('tr', { has: page.getByRole('rowheader', { name: new RegExp(UNPUBLISHED_SKU) }) });
    await row()
      .getByRole('checkbox', { name: /^Shopee/ })
      .check();
    await row()
      .getByRole('checkbox', { name: /^TikTok Shop/ })
      .check();
    await row().getByRole('button', { name: 'Publish' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Published ${UNPUBLISHED_SKU}` })
      .waitFor();
    expect(await row().locator('.chip.ok').count()).toBe(2);
    const listings = (await demo.store.findListingsBySku(UNPUBLISHED_SKU))
      .map((listing) => listing.marketplace)
      .sort();
    expect(listings).toEqual(['shopee', 'tiktok']);
    await shot('catalog-published');
  });

  let orderId = '';
  let capBefore = 0;
  it('shows an order placed while the page is open, without a reload', async () => {
    await page.goto(`${demo.origin}/admin/orders`);
    await page.evaluate(() => {
      (window as unknown as { stillThisPage: boolean }).stillThisPage = true;
    });
    expect(await page.locator('body').getAttribute('data-events')).toBe('/admin/events');
    capBefore = (await demo.store.getStock(['CAP']))[0]!.quantity;
    const placed = await demo.placeOrder('tiktok', 'CAP');
    orderId = placed.orderId;
    await page.locator(`tr[data-order="${orderId}"]`).waitFor({ timeout: LIVE_WAIT_MS });
    expect(await page.evaluate(() => (window as unknown as { stillThisPage?: boolean }).stillThisPage)).toBe(
      true,
    );
    await shot('orders-live');
  });

  it('ships the order with a tracking number', async () => {
    await page.getByRole('link', { name: orderId }).click();
    await page.getByRole('heading', { level: 1, name: `Order ${orderId}` }).waitFor();
    await page.getByLabel('Carrier').fill('Correios');
    await page.getByLabel('Tracking number').fill('BR123456789BR');
    await page.getByLabel('Method').selectOption('seller');
    await page.getByRole('button', { name: 'Ship the order' }).click();
    await page.getByRole('status').filter({ hasText: 'Shipped' }).waitFor();
    await shot('order');
  });

  it('shows the stock of the ordered SKU drop on every marketplace', async () => {
    const expected = String(capBefore - 1);
    await page.goto(`${demo.origin}/admin/inventory`);
    const row = page.locator('tr', { has: page.getByRole('rowheader', { name: 'CAP', exact: true }) });
    // The store's count, and each of the three listings showing that same count once pushed.
    await expect
      .poll(async () => (await row.locator('td.num').allInnerTexts()).map((text) => text.split(/\s/)[0]), {
        timeout: LIVE_WAIT_MS,
      })
      // The store's count, then the three listings of the seller the demo started with.
      .toEqual([expected, expected, expected, expected]);
    const [level] = await demo.store.getStock(['CAP']);
    expect(level!.quantity).toBe(capBefore - 1);
    await shot('inventory-after-order');
  });

  it('shows why a listing failed, in plain words, on the catalog', async () => {
    await page.goto(`${demo.origin}/admin/catalog`);
    const row = page.locator('tr', { has: page.getByRole('rowheader', { name: new RegExp(REFUSED_SKU) }) });
    await row.getByText("The marketplace's rules refuse it").waitFor();
  });

  it('resolves the alert the failure opened', async () => {
    await page.goto(`${demo.origin}/admin/alerts`);
    const open = page.locator('[data-live="alerts-open"]');
    const resolve = open.getByRole('button', { name: /^Resolve/ });
    expect(await resolve.count()).toBe(1);
    await shot('alerts');
    await resolve.click();
    await page.getByRole('status').filter({ hasText: 'Resolved' }).waitFor();
    await open.getByText('No open alert.').waitFor();
    expect(await page.locator('[data-live="alerts-resolved"] tbody tr').count()).toBe(1);
  });

  it('retries a failure from the sync page: a new run starts', async () => {
    await page.goto(`${demo.origin}/admin/sync?kind=products`);
    const runs = page.locator('[data-live="runs"] tbody tr');
    const before = await runs.count();
    await page
      .locator('[data-live="failures"]')
      .getByRole('button', { name: /^Retry/ })
      .first()
      .click();
    await page.getByRole('status').filter({ hasText: 'Retrying' }).waitFor();
    await page.goto(`${demo.origin}/admin/sync?kind=products`);
    await expect.poll(() => runs.count(), { timeout: LIVE_WAIT_MS }).toBe(before + 1);
  });
});
