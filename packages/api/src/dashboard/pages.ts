/**
 * The dashboard's pages: each reads the API with the operator's key and renders HTML. A part whose
 * route this API does not serve is left out (see `Capabilities`), never imitated.
 */
import { chunk } from '@mlh/core';
import type { ApiClient } from './client';
import {
  accountName,
  failureWords,
  healthChip,
  marketplaceName,
  money,
  startOfDay,
  stateChip,
  time,
} from './format';
import { html, type Markup } from './html';
import { lastDays, MARKETPLACE_COLOURS, MARKETPLACE_NAMES, stackedBars } from './plots';
import type {
  AccountItem,
  AlertItem,
  CatalogItem,
  InventoryItem,
  OrderItem,
  Page,
  StatsItem,
  SyncFailureItem,
  SyncRunItem,
} from './views';

/** Which routes the API serves, read once from its OpenAPI document. */
export interface Capabilities {
  has(method: 'get' | 'post' | 'put' | 'delete', path: string): boolean;
}

/** What a page is rendered with. */
export interface PageContext {
  client: ApiClient;
  base: string;
  scope: 'read' | 'operator';
  can: Capabilities;
  now: number;
  query: URLSearchParams;
}

/** The days the overview plots. */
export const PLOT_DAYS = 14;

const MARKETPLACES = ['meli', 'shopee', 'tiktok'] as const;

/** An action button in its own form: the dashboard's POST route, a one-time idempotency key. */
export function actionForm(
  ctx: PageContext,
  action: string,
  label: string,
  options: { fields?: Markup; confirm?: string; danger?: boolean; secondary?: boolean; name?: string } = {},
): Markup {
  const readOnly = ctx.scope !== 'operator';
  const kind = options.danger ? 'danger' : options.secondary ? 'secondary' : '';
  return html`<form method="post" action="${ctx.base}${action}" class="inline"${options.confirm ? html` data-confirm="${options.confirm}"` : ''}>
<input type="hidden" name="idempotencyKey" value="${crypto.randomUUID()}">${options.fields ?? ''}
<button type="submit"${kind ? html` class="${kind}"` : ''}${readOnly ? html` disabled title="Needs an operator key"` : ''}${options.name ? html` aria-label="${options.name}"` : ''}>${label}</button>
</form>`;
}

function table(caption: string, head: string[], rows: Markup[], empty: string): Markup {
  if (rows.length === 0) return html`<p class="muted">${empty}</p>`;
  return html`<div class="scroll"><table><caption class="visually-hidden">${caption}</caption><thead><tr>${head.map((cell) => html`<th scope="col">${cell}</th>`)}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

/** Every page of a listing, up to `maxPages` (the overview's fallback count of orders per day). */
async function allPages<T>(client: ApiClient, path: string, maxPages: number): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const separator = path.includes('?') ? '&' : '?';
    const answer = await client.get<Page<T>>(
      `${path}${separator}limit=100${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
    );
    items.push(...answer.items);
    cursor = answer.nextCursor;
    if (cursor === undefined) break;
  }
  return items;
}

/** The overview: accounts and their health, alerts, last syncs, orders today and two plots. */
export async function overviewPage(ctx: PageContext): Promise<Markup> {
  const { client } = ctx;
  const days = lastDays(ctx.now, PLOT_DAYS);
  const [accounts, alerts, runs, stats] = await Promise.all([
    client.get<{ items: AccountItem[] }>('/accounts'),
    client.optional<{ items: AlertItem[] }>('/alerts?status=open'),
    client.optional<Page<SyncRunItem>>('/sync/runs?limit=100'),
    client.optional<StatsItem>(`/stats?days=${PLOT_DAYS}`),
  ]);
  // Without a stats route the orders of the plotted days are counted from the order listing.
  let ordersPerDay = stats?.ordersPerDay;
  let ordersToday = stats?.ordersToday;
  if (stats === undefined) {
    const orders = await allPages<OrderItem>(
      client,
      `/orders?createdFrom=${encodeURIComponent(`${days[0]}T00:00:00.000Z`)}`,
      10,
    );
    const counts = new Map<string, { day: string; marketplace: string; count: number }>();
    for (const order of orders) {
      const day = new Date(order.createdAt).toISOString().slice(0, 10);
      const key = `${day}|${order.marketplace}`;
      const entry = counts.get(key) ?? { day, marketplace: order.marketplace, count: 0 };
      entry.count += 1;
      counts.set(key, entry);
    }
    ordersPerDay = [...counts.values()];
    const today = startOfDay(ctx.now);
    ordersToday = orders.filter((order) => order.createdAt >= today).length;
  }

  const byMarketplace = MARKETPLACES.map((marketplace) => {
    const mine = accounts.items.filter((account) => account.marketplace === marketplace);
    const healths = new Map<string, number>();
    for (const account of mine) healths.set(account.health, (healths.get(account.health) ?? 0) + 1);
    return html`<tr><th scope="row">${marketplaceName(marketplace)}</th><td class="num">${mine.length}</td><td>${
      mine.length === 0
        ? html`<span class="muted">none connected</span>`
        : [...healths].map(
            ([health, count]) => html`${healthChip(health)} <span class="muted">× ${count}</span> `,
          )
    }</td></tr>`;
  });

  const lastSync = accounts.items.map((account) => {
    const latest = runs?.items.find(
      (run) => run.marketplace === account.marketplace && run.accountId === account.accountId,
    );
    return html`<tr><th scope="row">${accountName(account.marketplace, account.accountId, account.label)}</th><td>${
      latest ? html`${latest.kind} ${stateChip(latest.status)}` : html`<span class="muted">no run yet</span>`
    }</td><td>${time(latest?.finishedAt ?? latest?.startedAt)}</td></tr>`;
  });

  const ordersPlot = stackedBars({
    id: 'orders-per-day',
    title: `Orders per day, last ${PLOT_DAYS} days`,
    description: `Orders created each day per marketplace: ${MARKETPLACES.map(
      (marketplace) =>
        `${MARKETPLACE_NAMES[marketplace]} ${(ordersPerDay ?? [])
          .filter((entry) => entry.marketplace === marketplace)
          .reduce((sum, entry) => sum + entry.count, 0)}`,
    ).join(', ')} in total.`,
    days,
    series: MARKETPLACES.map((marketplace) => ({
      name: marketplace,
      label: MARKETPLACE_NAMES[marketplace] ?? marketplace,
      colour: MARKETPLACE_COLOURS[marketplace] ?? '#333',
      counts: days.map(
        (day) =>
          ordersPerDay?.find((entry) => entry.day === day && entry.marketplace === marketplace)?.count ?? 0,
      ),
    })),
  });
  const failuresPlot =
    stats === undefined
      ? ''
      : stackedBars({
          id: 'failures-per-day',
          title: `Sync failures per day, last ${PLOT_DAYS} days`,
          description: `Items that failed to sync each day: ${stats.failuresPerDay.reduce((sum, entry) => sum + entry.count, 0)} in total.`,
          days,
          series: [
            {
              name: 'failures',
              label: 'Failures',
              colour: '#a4161a',
              counts: days.map((day) => stats.failuresPerDay.find((entry) => entry.day === day)?.count ?? 0),
            },
          ],
        });

  const openAlerts = alerts?.items ?? [];
  return html`<div class="grid" data-live="overview-cards" aria-live="polite">
<section class="card" aria-labelledby="orders-today"><h2 id="orders-today">Orders today</h2><p class="big">${ordersToday ?? 0}</p><p><a href="${ctx.base}/orders">See the orders</a></p></section>
${
  alerts === undefined
    ? ''
    : html`<section class="card" aria-labelledby="open-alerts"><h2 id="open-alerts">Open alerts</h2><p class="big${openAlerts.length > 0 ? ' bad' : ''}">${openAlerts.length}</p>${
        openAlerts.length === 0
          ? html`<p class="muted">Nothing needs attention.</p>`
          : html`<ul>${openAlerts.slice(0, 5).map((alert) => html`<li>${stateChip(alert.severity)} ${alert.title}</li>`)}</ul><p><a href="${ctx.base}/alerts">See the alerts</a></p>`
      }</section>`
}
<section class="card" aria-labelledby="accounts-health"><h2 id="accounts-health">Accounts</h2>
<div class="scroll"><table><caption class="visually-hidden">Connected accounts by marketplace and token health</caption><thead><tr><th scope="col">Marketplace</th><th scope="col" class="num">Accounts</th><th scope="col">Health</th></tr></thead><tbody>${byMarketplace}</tbody></table></div>
<p><a href="${ctx.base}/accounts">Manage the accounts</a></p></section>
</div>
<section aria-labelledby="plots"><h2 id="plots">Activity</h2><div class="grid" data-live="overview-plots">${ordersPlot}${failuresPlot}</div></section>
${
  runs === undefined
    ? ''
    : html`<section aria-labelledby="last-sync"><h2 id="last-sync">Last sync per account</h2><div data-live="overview-sync" aria-live="polite">${table(
        'The latest sync run of each account',
        ['Account', 'Last run', 'When'],
        lastSync,
        'No accounts are connected.',
      )}</div></section>`
}`;
}

/** The accounts: health, expiry, connect (the real authorization flow), re-authorize, disconnect. */
export async function accountsPage(ctx: PageContext): Promise<Markup> {
  const accounts = await ctx.client.get<{ items: AccountItem[] }>('/accounts');
  const canConnect = ctx.can.has('post', '/accounts/{}/authorizations');
  const canDisconnect = ctx.can.has('delete', '/accounts/{}/{}');
  const rows = accounts.items.map((account) => {
    const name = accountName(account.marketplace, account.accountId, account.label);
    const path = `/accounts/${encodeURIComponent(account.marketplace)}/${encodeURIComponent(account.accountId)}`;
    return html`<tr><th scope="row">${name}</th><td>${marketplaceName(account.marketplace)}</td><td>${healthChip(account.health)}</td><td>${time(account.accessTokenExpiresAt)}</td><td>${time(account.refreshTokenExpiresAt)}</td><td>${
      canConnect && (account.reauthorizationRequired || account.health === 'disconnected')
        ? actionForm(ctx, `/accounts/${encodeURIComponent(account.marketplace)}/connect`, 'Re-authorize', {
            name: `Re-authorize ${name}`,
          })
        : ''
    } ${
      canDisconnect && account.health !== 'disconnected'
        ? actionForm(ctx, `${path}/disconnect`, 'Disconnect', {
            danger: true,
            confirm: `Disconnect ${name}? Its tokens are forgotten until the seller authorizes again.`,
            name: `Disconnect ${name}`,
          })
        : ''
    }</td></tr>`;
  });
  const connect = canConnect
    ? html`<section aria-labelledby="connect"><h2 id="connect">Connect a seller</h2>
<p>Opens the marketplace's own authorization page; the seller signs in there and comes back here.</p>
<div class="filters">${MARKETPLACES.map((marketplace) =>
        actionForm(ctx, `/accounts/${marketplace}/connect`, `Connect ${MARKETPLACE_NAMES[marketplace]}`),
      )}</div></section>`
    : '';
  return html`${connect}<section aria-labelledby="connected"><h2 id="connected">Connected accounts</h2><div data-live="accounts" aria-live="polite">${table(
    'Connected accounts with their token health',
    ['Account', 'Marketplace', 'Health', 'Access token expires', 'Refresh token expires', 'Actions'],
    rows,
    'No seller is connected yet.',
  )}</div></section>`;
}

/** The catalog: each product with its listing on each account, the last error, and publishing. */
export async function catalogPage(ctx: PageContext): Promise<Markup> {
  const cursor = ctx.query.get('cursor') ?? undefined;
  const [products, accounts, failures] = await Promise.all([
    ctx.client.get<Page<CatalogItem>>(
      `/products?limit=25${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
    ),
    ctx.client.get<{ items: AccountItem[] }>('/accounts'),
    // A listing the marketplace refused to create has no listing to carry its `lastError`: its
    // open failure tells why.
    ctx.client.optional<Page<SyncFailureItem>>('/sync/failures?status=open&limit=100'),
  ]);
  const canPublish = ctx.can.has('post', '/products/{}/publish');
  const rows = products.items.map(({ product, listings }) => {
    const cells = accounts.items.map((account) => {
      const listing = listings.find(
        (candidate) =>
          candidate.marketplace === account.marketplace && candidate.accountId === account.accountId,
      );
      if (!listing) {
        const failure = failures?.items.find(
          (candidate) =>
            candidate.sku === product.sku &&
            candidate.marketplace === account.marketplace &&
            candidate.accountId === account.accountId,
        );
        return failure
          ? html`<td>${stateChip('failed', 'not listed')}<br><span class="bad">${failureWords(failure.stage, failure.reason)}</span> <span class="muted">(${time(failure.at)})</span></td>`
          : html`<td><span class="muted">not listed</span></td>`;
      }
      const state = listing.state === 'creating' ? 'creating' : (listing.status ?? 'active');
      return html`<td>${stateChip(state)}${listing.productExternalId ? html`<br><span class="muted">${listing.productExternalId}</span>` : ''}${
        listing.lastError
          ? html`<br><span class="bad">${failureWords(listing.lastError.stage, listing.lastError.reason)}</span> <span class="muted">(${time(listing.lastError.at)})</span>`
          : ''
      }</td>`;
    });
    const unlisted = accounts.items.filter(
      (account) =>
        !listings.some(
          (listing) => listing.marketplace === account.marketplace && listing.accountId === account.accountId,
        ),
    );
    const publish =
      canPublish && unlisted.length > 0
        ? html`<td><form method="post" action="${ctx.base}/catalog/${encodeURIComponent(product.sku)}/publish" class="inline">
<input type="hidden" name="idempotencyKey" value="${crypto.randomUUID()}">
<fieldset><legend class="visually-hidden">Publish ${product.title} to</legend>${unlisted.map(
            (account) =>
              html`<label><input type="checkbox" name="target" value="${account.marketplace}:${account.accountId}"> ${accountName(account.marketplace, account.accountId, account.label)}</label> `,
          )}</fieldset>
<button type="submit"${ctx.scope !== 'operator' ? html` disabled title="Needs an operator key"` : ''}>Publish</button></form></td>`
        : canPublish
          ? html`<td><span class="muted">listed everywhere</span></td>`
          : '';
    return html`<tr><th scope="row">${product.title}<br><span class="muted">${product.sku} · ${money(product.price)} · ${product.variants.length} variant${product.variants.length === 1 ? '' : 's'}</span></th>${cells}${publish}</tr>`;
  });
  return html`<div data-live="catalog" aria-live="polite">${table(
    'Products with their listing on each account',
    [
      'Product',
      ...accounts.items.map((account) => accountName(account.marketplace, account.accountId, account.label)),
      ...(canPublish ? ['Publish to'] : []),
    ],
    rows,
    'The catalog is empty.',
  )}</div>${pager(ctx, '/catalog', cursor, products.nextCursor)}`;
}

function pager(ctx: PageContext, path: string, cursor: string | undefined, next: string | undefined): Markup {
  const params = new URLSearchParams(ctx.query);
  params.delete('cursor');
  const first = params.toString();
  if (next !== undefined) params.set('cursor', next);
  return html`<nav aria-label="Pages" class="filters">${
    cursor === undefined ? '' : html`<a href="${ctx.base}${path}${first ? `?${first}` : ''}">First page</a>`
  }${next === undefined ? '' : html`<a href="${ctx.base}${path}?${params.toString()}" rel="next">Next page</a>`}</nav>`;
}

/** Stock per SKU per listing, drift highlighted, a count to set and one reconcile action. */
export async function inventoryPage(ctx: PageContext): Promise<Markup> {
  const cursor = ctx.query.get('cursor') ?? undefined;
  // The page's SKUs are read in `GET /inventory?sku=…` calls of 100: two or three calls a page.
  const products = await ctx.client.get<Page<CatalogItem>>(
    `/products?limit=25${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
  );
  const skus = [
    ...new Set(
      products.items.flatMap(({ product }) =>
        product.variants.map((variant) => variant.sku).filter((sku): sku is string => sku !== undefined),
      ),
    ),
  ];
  // A SKU with a comma in it cannot be named in the list: it is read on its own.
  const listable = skus.filter((sku) => !sku.includes(','));
  const alone = skus.filter((sku) => sku.includes(','));
  const [listed, single] = await Promise.all([
    Promise.all(
      chunk(listable, 100).map((part) =>
        ctx.client.get<Page<InventoryItem>>(`/inventory?sku=${part.map(encodeURIComponent).join(',')}`),
      ),
    ),
    Promise.all(alone.map((sku) => ctx.client.get<InventoryItem>(`/inventory/${encodeURIComponent(sku)}`))),
  ]);
  const found = new Map(
    [...listed.flatMap((page) => page.items), ...single].map((level) => [level.sku, level]),
  );
  const levels = skus.flatMap((sku) => found.get(sku) ?? []);
  const targets = [
    ...new Map(
      levels
        .flatMap((level) => level.listings)
        .map((listing) => [`${listing.marketplace}:${listing.accountId}`, listing] as const),
    ).values(),
  ].sort((a, b) => (a.marketplace + a.accountId < b.marketplace + b.accountId ? -1 : 1));
  const rows = levels.map((level) => {
    const drifting = level.listings.some(
      (listing) => listing.state !== 'synced' || listing.pushedQuantity !== level.quantity,
    );
    const cells = targets.map((target) => {
      const listing = level.listings.find(
        (candidate) =>
          candidate.marketplace === target.marketplace && candidate.accountId === target.accountId,
      );
      if (!listing) return html`<td><span class="muted">—</span></td>`;
      const differs = listing.pushedQuantity !== level.quantity;
      return html`<td class="num">${listing.pushedQuantity ?? '?'} ${
        listing.state === 'synced' && !differs
          ? html`<span class="visually-hidden">in sync</span>`
          : stateChip(
              listing.state === 'synced' ? 'pending' : listing.state,
              differs ? `drift (${listing.state})` : listing.state,
            )
      }</td>`;
    });
    return html`<tr${drifting ? html` class="drift"` : ''}><th scope="row">${level.sku}</th><td class="num"><strong>${level.quantity}</strong></td>${cells}<td>${actionForm(
      ctx,
      `/inventory/${encodeURIComponent(level.sku)}`,
      'Set',
      {
        fields: html`<label class="visually-hidden" for="qty-${level.sku}">New stock of ${level.sku}</label><input id="qty-${level.sku}" name="quantity" type="number" min="0" step="1" inputmode="numeric" required value="${level.quantity}" size="5">`,
        name: `Set the stock of ${level.sku}`,
      },
    )}</td></tr>`;
  });
  const reconcile = ctx.can.has('post', '/inventory/reconcile')
    ? html`<section aria-labelledby="reconcile"><h2 id="reconcile">Reconcile</h2><p>Reads every listing's stock from the marketplaces and sends this store's count where one differs.</p>${actionForm(ctx, '/inventory/reconcile', 'Reconcile now')}</section>`
    : '';
  return html`<p class="muted">The store's count is the truth; each marketplace column shows the last count it accepted. Highlighted rows have a listing that differs or is still waiting for the count.</p>
<div data-live="inventory" aria-live="polite">${table(
    'Stock per SKU and per listing',
    [
      'SKU',
      'Store',
      ...targets.map((target) => accountName(target.marketplace, target.accountId)),
      'Set the count',
    ],
    rows,
    'No SKU in the catalog.',
  )}</div>${pager(ctx, '/inventory', cursor, products.nextCursor)}${reconcile}`;
}

const ORDER_STATUSES = ['pending', 'paid', 'shipped', 'delivered', 'cancelled', 'unknown'];

/** The unified order list with filters and cursor paging. */
export async function ordersPage(ctx: PageContext): Promise<Markup> {
  const q = ctx.query;
  const params = new URLSearchParams({ limit: '50' });
  const marketplace = q.get('marketplace') ?? '';
  const status = q.get('status') ?? '';
  const accountId = q.get('accountId') ?? '';
  const from = q.get('from') ?? '';
  const to = q.get('to') ?? '';
  const cursor = q.get('cursor') ?? undefined;
  if (marketplace) params.set('marketplace', marketplace);
  if (status) params.set('status', status);
  if (accountId) params.set('accountId', accountId);
  if (/^\d{4}-\d{2}-\d{2}$/.test(from)) params.set('createdFrom', `${from}T00:00:00.000Z`);
  if (/^\d{4}-\d{2}-\d{2}$/.test(to))
    params.set('createdTo', new Date(Date.parse(`${to}T00:00:00.000Z`) + 86_400_000).toISOString());
  if (cursor !== undefined) params.set('cursor', cursor);
  const [orders, accounts] = await Promise.all([
    ctx.client.get<Page<OrderItem>>(`/orders?${params.toString()}`),
    ctx.client.get<{ items: AccountItem[] }>('/accounts'),
  ]);
  const items = [...orders.items].sort((a, b) =>
    a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0,
  );
  const option = (value: string, label: string, selected: string) =>
    html`<option value="${value}"${value === selected ? html` selected` : ''}>${label}</option>`;
  const filters = html`<form method="get" action="${ctx.base}/orders" class="filters" role="search" aria-label="Filter the orders">
<div><label for="f-marketplace">Marketplace</label><select id="f-marketplace" name="marketplace">${option('', 'All', marketplace)}${MARKETPLACES.map((id) => option(id, MARKETPLACE_NAMES[id] ?? id, marketplace))}</select></div>
<div><label for="f-account">Account</label><select id="f-account" name="accountId">${option('', 'All', accountId)}${accounts.items.map((account) => option(account.accountId, accountName(account.marketplace, account.accountId, account.label), accountId))}</select></div>
<div><label for="f-status">Status</label><select id="f-status" name="status">${option('', 'All', status)}${ORDER_STATUSES.map((id) => option(id, id, status))}</select></div>
<div><label for="f-from">Created from</label><input id="f-from" name="from" type="date" value="${from}"></div>
<div><label for="f-to">Created to</label><input id="f-to" name="to" type="date" value="${to}"></div>
<div><button type="submit">Filter</button></div>
</form>`;
  const rows = items.map((order) => {
    const href = `${ctx.base}/orders/${encodeURIComponent(order.marketplace)}/${encodeURIComponent(order.accountId)}/${encodeURIComponent(order.externalId)}`;
    return html`<tr data-order="${order.externalId}"><th scope="row"><a href="${href}">${order.externalId}</a></th><td>${marketplaceName(order.marketplace)}<br><span class="muted">${order.accountId}</span></td><td>${stateChip(order.status)}</td><td>${order.items.map((item) => html`${item.quantity} × ${item.sku ?? item.title}<br>`)}</td><td class="num">${money(order.total)}</td><td>${time(order.createdAt)}</td></tr>`;
  });
  return html`${filters}<div data-live="orders" aria-live="polite">${table(
    'Orders',
    ['Order', 'Marketplace', 'Status', 'Items', 'Total', 'Created'],
    rows,
    'No order matches.',
  )}</div>${pager(ctx, '/orders', cursor, orders.nextCursor)}`;
}

/** One order: its lines, timeline, and the ship and cancel actions. */
export async function orderPage(
  ctx: PageContext,
  key: { marketplace: string; accountId: string; externalId: string },
): Promise<Markup> {
  const path = `/orders/${encodeURIComponent(key.marketplace)}/${encodeURIComponent(key.accountId)}/${encodeURIComponent(key.externalId)}`;
  const [order, failures] = await Promise.all([
    ctx.client.get<OrderItem>(path),
    ctx.client.optional<Page<SyncFailureItem>>(
      `/sync/failures?marketplace=${encodeURIComponent(key.marketplace)}&accountId=${encodeURIComponent(key.accountId)}&limit=100`,
    ),
  ]);
  const events: Array<{ at: string; words: Markup }> = [
    { at: order.createdAt, words: html`Order placed` },
    ...(order.paidAt ? [{ at: order.paidAt, words: html`Paid` }] : []),
    ...(order.shippedAt
      ? [
          {
            at: order.shippedAt,
            words: html`Shipped${order.trackingNumber ? html` (tracking ${order.trackingNumber})` : ''}`,
          },
        ]
      : []),
    ...(order.deliveredAt ? [{ at: order.deliveredAt, words: html`Delivered` }] : []),
    ...(order.cancelledAt ? [{ at: order.cancelledAt, words: html`Cancelled` }] : []),
    ...(failures?.items ?? [])
      .filter((failure) => failure.orderId === order.externalId)
      .map((failure) => ({
        at: failure.at,
        words: html`<span class="bad">${failureWords(failure.stage, failure.reason)}</span>`,
      })),
    { at: order.updatedAt, words: html`Last change stored (marketplace status “${order.rawStatus}”)` },
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const shippable = order.status === 'paid' || order.status === 'pending';
  const ship =
    shippable && ctx.can.has('post', '/orders/{}/{}/{}/fulfillment')
      ? html`<section aria-labelledby="ship"><h2 id="ship">Ship</h2>
<form method="post" action="${ctx.base}${path}/ship" class="stack">
<input type="hidden" name="idempotencyKey" value="${crypto.randomUUID()}">
<div><label for="carrier">Carrier</label><br><input id="carrier" name="carrier" autocomplete="off"></div>
<div><label for="tracking">Tracking number</label><br><input id="tracking" name="trackingNumber" autocomplete="off"></div>
<div><label for="method">Method</label><br><select id="method" name="method"><option value="">The marketplace's default</option><option value="seller">My own carrier</option><option value="dropoff">Drop-off</option><option value="pickup">Pickup</option></select></div>
<div><button type="submit"${ctx.scope !== 'operator' ? html` disabled title="Needs an operator key"` : ''}>Ship the order</button></div>
</form></section>`
      : '';
  const cancel =
    shippable && ctx.can.has('post', '/orders/{}/{}/{}/cancellation')
      ? html`<section aria-labelledby="cancel"><h2 id="cancel">Cancel</h2>${actionForm(
          ctx,
          `${path}/cancel`,
          'Cancel the order',
          {
            danger: true,
            confirm: 'Cancel this order on the marketplace?',
            fields: html`<label for="reason">Reason</label><input id="reason" name="reason" autocomplete="off">`,
          },
        )}</section>`
      : '';
  return html`<p><a href="${ctx.base}/orders">← All orders</a></p>
<div data-live="order" aria-live="polite">
<p>${marketplaceName(order.marketplace)} · account ${order.accountId} · ${stateChip(order.status)} · total <strong>${money(order.total)}</strong>${order.buyer?.nickname ? html` · buyer ${order.buyer.nickname}` : ''}</p>
${table(
  'Order lines',
  ['SKU', 'Item', 'Quantity', 'Unit price', 'Total'],
  order.items.map(
    (item) =>
      html`<tr><th scope="row">${item.sku ?? '—'}</th><td>${item.title}</td><td class="num">${item.quantity}</td><td class="num">${money(item.unitPrice)}</td><td class="num">${money(item.total)}</td></tr>`,
  ),
  'No lines.',
)}
<h2>Timeline</h2>
<ol class="timeline">${events.map((event) => html`<li>${time(event.at)} — ${event.words}</li>`)}</ol>
</div>${ship}${cancel}`;
}

/** The kinds of sync run the API records. */
const RUN_KINDS = [
  'products',
  'orders.poll',
  'orders.recover',
  'inventory.flush',
  'inventory.reconcile',
  'returns.poll',
] as const;

/** Sync runs, open failures with retry, and starting a run. */
export async function syncPage(ctx: PageContext): Promise<Markup> {
  const cursor = ctx.query.get('cursor') ?? undefined;
  const kind = RUN_KINDS.find((candidate) => candidate === ctx.query.get('kind')) ?? '';
  const [runs, failures, accounts] = await Promise.all([
    ctx.client.optional<Page<SyncRunItem>>(
      `/sync/runs?limit=20${kind ? `&kind=${kind}` : ''}${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
    ),
    ctx.client.optional<Page<SyncFailureItem>>('/sync/failures?status=open&limit=50'),
    ctx.client.get<{ items: AccountItem[] }>('/accounts'),
  ]);
  const canRetry = ctx.can.has('post', '/sync/failures/{}/retry');
  const start = ctx.can.has('post', '/sync/runs')
    ? html`<section aria-labelledby="start"><h2 id="start">Start a run</h2>${actionForm(
        ctx,
        '/sync/runs',
        'Start',
        {
          fields: html`<label for="run-kind">Kind</label><select id="run-kind" name="kind"><option value="orders.poll">Poll orders</option><option value="products">Sync products</option><option value="inventory.reconcile">Reconcile stock</option></select>
<label for="run-account">Account</label><select id="run-account" name="account"><option value="">Every account</option>${accounts.items.map(
            (account) =>
              html`<option value="${account.marketplace}:${account.accountId}">${accountName(account.marketplace, account.accountId, account.label)}</option>`,
          )}</select>`,
        },
      )}</section>`
    : '';
  const runRows = (runs?.items ?? []).map(
    (run) =>
      html`<tr><th scope="row">${run.kind}</th><td>${run.marketplace ? accountName(run.marketplace, run.accountId ?? '') : 'every account'}</td><td>${stateChip(run.status)}</td><td class="num">${run.done}</td><td class="num">${run.failed}</td><td>${time(run.startedAt)}</td><td>${time(run.finishedAt)}</td></tr>`,
  );
  const failureRows = (failures?.items ?? []).map(
    (failure) =>
      html`<tr><th scope="row">${failureWords(failure.stage, failure.reason)}</th><td>${accountName(failure.marketplace, failure.accountId)}</td><td>${failure.sku ?? failure.orderId ?? '—'}</td><td>${time(failure.at)}</td><td>${
        canRetry
          ? html`${actionForm(ctx, `/sync/failures/${encodeURIComponent(failure.id)}/retry`, 'Retry', {
              name: `Retry: ${failure.reason}`,
            })}${failure.retryable ? '' : html`<br><span class="muted">fix the cause first</span>`}`
          : ''
      }</td></tr>`,
  );
  return html`${start}
${
  failures === undefined
    ? ''
    : html`<section aria-labelledby="failures"><h2 id="failures">Open failures</h2><div data-live="failures" aria-live="polite">${table(
        'Open sync failures',
        ['What failed', 'Account', 'SKU or order', 'When', 'Action'],
        failureRows,
        'No open failure.',
      )}</div></section>`
}
${
  runs === undefined
    ? ''
    : html`<section aria-labelledby="runs"><h2 id="runs">Runs</h2>
<form method="get" action="${ctx.base}/sync" class="filters" aria-label="Filter the runs"><div><label for="f-kind">Kind</label><select id="f-kind" name="kind"><option value="">All</option>${RUN_KINDS.map(
        (id) => html`<option value="${id}"${id === kind ? html` selected` : ''}>${id}</option>`,
      )}</select></div><div><button type="submit">Filter</button></div></form>
<div data-live="runs" aria-live="polite">${table(
        'Sync runs, newest first',
        ['Kind', 'Account', 'Status', 'Done', 'Failed', 'Started', 'Finished'],
        runRows,
        'No run yet.',
      )}</div>${pager(ctx, '/sync', cursor, runs.nextCursor)}</section>`
}`;
}

/** Open alerts with resolve, and the recently resolved ones. */
export async function alertsPage(ctx: PageContext): Promise<Markup> {
  const [open, resolved] = await Promise.all([
    ctx.client.get<{ items: AlertItem[] }>('/alerts?status=open'),
    ctx.client.get<{ items: AlertItem[] }>('/alerts?status=resolved'),
  ]);
  const canResolve = ctx.can.has('post', '/alerts/{}/resolve');
  const row = (alert: AlertItem, action: boolean) =>
    html`<tr><th scope="row">${alert.title}<br><span class="muted">${alert.detail}</span></th><td>${stateChip(alert.severity)}</td><td>${accountName(alert.marketplace, alert.accountId)}</td><td>${time(alert.openedAt)}</td><td>${
      action
        ? canResolve
          ? actionForm(ctx, `/alerts/${encodeURIComponent(alert.id)}/resolve`, 'Resolve', {
              name: `Resolve: ${alert.title}`,
            })
          : ''
        : time(alert.resolvedAt)
    }</td></tr>`;
  return html`<section aria-labelledby="open"><h2 id="open">Open</h2><div data-live="alerts-open" aria-live="polite">${table(
    'Open alerts',
    ['Alert', 'Severity', 'Account', 'Opened', 'Action'],
    open.items.map((alert) => row(alert, true)),
    'No open alert.',
  )}</div></section>
<section aria-labelledby="resolved"><h2 id="resolved">Resolved</h2><div data-live="alerts-resolved">${table(
    'Resolved alerts',
    ['Alert', 'Severity', 'Account', 'Opened', 'Resolved'],
    resolved.items.slice(0, 50).map((alert) => row(alert, false)),
    'None resolved yet.',
  )}</div></section>`;
}
