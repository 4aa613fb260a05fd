import { type FulfillmentInput, type MarketplaceClient, NotFoundError, type Order } from '@mlh/core';
import type { SyncStore } from '@mlh/sync';
import { Hono } from 'hono';
import type { ApiEnv } from '../context';
import { decodeCursor, encodeCursor, OrderCursor } from '../cursor';
import type { IdempotencyStore } from '../idempotency';
import type { AccountDirectory, AccountRef } from '../options';
import { FulfillmentBody, MAX_PAGE_SIZE, OrderListQuery } from '../schemas';
import { idempotencyGuard, parseJsonBody, parseQuery, requireScope } from '../security';
import { compareText, listAccounts } from './accounts';

const DEFAULT_PAGE_SIZE = 50;
/**
 * Stored orders read per request at most, matching or not. A narrow filter over many orders then
 * answers a short (even empty) page with a `nextCursor` instead of reading the whole store at once.
 */
const MAX_SCANNED = 1000;

/** The filters of `GET /orders` after parsing. */
interface OrderFilter {
  statuses?: readonly string[] | undefined;
  createdFrom?: number | undefined;
  createdTo?: number | undefined;
}

function matches(order: Order, filter: OrderFilter): boolean {
  if (filter.statuses && !filter.statuses.includes(order.status)) return false;
  const created = Date.parse(order.createdAt);
  if (filter.createdFrom !== undefined && !(created >= filter.createdFrom)) return false;
  if (filter.createdTo !== undefined && !(created < filter.createdTo)) return false;
  return true;
}

function accountOrder(
  a: { marketplace: string; accountId: string },
  b: { marketplace: string; accountId: string },
) {
  return compareText(a.marketplace, b.marketplace) || compareText(a.accountId, b.accountId);
}

/**
 * `GET /orders`: the stored orders of every served account in one listing, ordered by marketplace,
 * account and external id, filtered by marketplace, account, status and creation time, with a
 * cursor that holds the account and the last order read; `GET /orders/{marketplace}/{accountId}/{externalId}`
 * and its `POST .../fulfillment`.
 */
export function orderRoutes(options: {
  syncStore: SyncStore;
  accounts: AccountDirectory;
  clients?: readonly MarketplaceClient[] | undefined;
  idempotency: IdempotencyStore;
  clock: () => number;
}): Hono<ApiEnv> {
  const store = options.syncStore;
  const routes = new Hono<ApiEnv>();
  routes.get('/', requireScope('read'), async (c) => {
    const query = parseQuery(c, OrderListQuery);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const filter: OrderFilter = {
      statuses: query.status,
      createdFrom: query.createdFrom === undefined ? undefined : Date.parse(query.createdFrom),
      createdTo: query.createdTo === undefined ? undefined : Date.parse(query.createdTo),
    };
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor, OrderCursor);
    const accounts = (await listAccounts(options.accounts))
      .map((account: AccountRef) => ({
        marketplace: String(account.marketplace),
        accountId: account.accountId,
      }))
      .filter((account) => query.marketplace === undefined || account.marketplace === query.marketplace)
      .filter((account) => query.accountId === undefined || account.accountId === query.accountId)
      // A cursor resumes at its account (or the next one, should it have left the directory).
      .filter((account) => cursor === undefined || accountOrder(account, cursor) >= 0);

    const items: Order[] = [];
    let scanned = 0;
    const full = () => items.length === limit || scanned === MAX_SCANNED;
    const answer = (resume: { marketplace: string; accountId: string; after?: string } | undefined) =>
      c.json({ items, ...(resume === undefined ? {} : { nextCursor: encodeCursor(resume) }) });
    for (const [index, account] of accounts.entries()) {
      let after = cursor && accountOrder(account, cursor) === 0 ? cursor.after : undefined;
      for (;;) {
        const page = await store.listOrders({
          ...account,
          after,
          limit: Math.min(MAX_PAGE_SIZE, MAX_SCANNED - scanned),
        });
        let consumed = 0;
        for (const stored of page.items) {
          if (full()) break;
          consumed += 1;
          scanned += 1;
          after = stored.order.externalId;
          if (matches(stored.order, filter)) items.push(stored.order);
        }
        // An empty page that claims more would repeat forever: treat the account as read.
        const accountDone = page.next === undefined || page.items.length === 0;
        if (full()) {
          if (consumed < page.items.length || !accountDone)
            return answer({ ...account, ...(after === undefined ? {} : { after }) });
          const next = accounts[index + 1];
          return answer(next);
        }
        if (accountDone) break;
      }
    }
    return answer(undefined);
  });
  const storedOrder = async (key: { marketplace: string; accountId: string; externalId: string }) => {
    const served = (await listAccounts(options.accounts)).some(
      (account) => account.marketplace === key.marketplace && account.accountId === key.accountId,
    );
    const stored = served ? await store.getOrder(key) : undefined;
    if (!stored)
      throw new NotFoundError(`No order ${key.externalId} of account ${key.accountId} on ${key.marketplace}`);
    return stored.order;
  };
  const keyOf = (c: { req: { param(name: string): string } }) => ({
    marketplace: c.req.param('marketplace'),
    accountId: c.req.param('accountId'),
    externalId: c.req.param('externalId'),
  });
  routes.get('/:marketplace/:accountId/:externalId', requireScope('read'), async (c) => {
    return c.json(await storedOrder(keyOf(c)));
  });
  // Ships the order on its marketplace. Not retried by the API (a write whose outcome may be
  // unknown); the idempotency key answers a client's retry without shipping twice.
  routes.post(
    '/:marketplace/:accountId/:externalId/fulfillment',
    requireScope('operator'),
    idempotencyGuard(options.idempotency, options.clock),
    async (c) => {
      const key = keyOf(c);
      const body = await parseJsonBody(c, FulfillmentBody);
      const order = await storedOrder(key);
      const client = options.clients?.find(
        (candidate) => candidate.marketplace === order.marketplace && candidate.accountId === order.accountId,
      );
      if (!client) throw new NotFoundError(`No client for account ${key.accountId} on ${key.marketplace}`);
      const input: FulfillmentInput = Object.fromEntries(
        Object.entries(body).filter(([, value]) => value !== undefined),
      );
      return c.json(await client.fulfillOrder(order.externalId, input));
    },
  );
  return routes;
}
