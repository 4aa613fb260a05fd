import { ConflictError, type MarketplaceClient, NotFoundError, type Order } from '@mlh/core';
import type { OrderSync, SyncStore } from '@mlh/sync';
import { Hono } from 'hono';
import type { ApiEnv } from '../context';
import type { IdempotencyStore } from '../idempotency';
import type { AccountDirectory } from '../options';
import { CancellationBody } from '../schemas';
import { idempotencyGuard, parseJsonBody, requireScope } from '../security';
import { listAccounts } from './accounts';

/**
 * `POST /orders/{marketplace}/{accountId}/{externalId}/cancellation`: cancels the order on its
 * marketplace through the account's client, reads it back and, with an `OrderSync`, stores it
 * (status and the stock its lines held). An order stored as cancelled already is answered as is,
 * without calling the marketplace, so a retry on a process without the idempotency key is harmless.
 */
export function orderWriteRoutes(options: {
  syncStore: SyncStore;
  accounts: AccountDirectory;
  clients?: readonly MarketplaceClient[] | undefined;
  orderSync?: Pick<OrderSync, 'syncOrder'> | undefined;
  idempotency: IdempotencyStore;
  clock: () => number;
}): Hono<ApiEnv> {
  const routes = new Hono<ApiEnv>();
  routes.post(
    '/:marketplace/:accountId/:externalId/cancellation',
    requireScope('operator'),
    idempotencyGuard(options.idempotency, options.clock),
    async (c) => {
      const marketplace = c.req.param('marketplace');
      const accountId = c.req.param('accountId');
      const externalId = c.req.param('externalId');
      const body = await parseJsonBody(c, CancellationBody);
      const served = (await listAccounts(options.accounts)).some(
        (account) => account.marketplace === marketplace && account.accountId === accountId,
      );
      const stored = served
        ? await options.syncStore.getOrder({ marketplace, accountId, externalId })
        : undefined;
      if (!stored)
        throw new NotFoundError(`No order ${externalId} of account ${accountId} on ${marketplace}`);
      if (stored.order.status === 'cancelled') return c.json(stored.order);
      const client = options.clients?.find(
        (candidate) => candidate.marketplace === marketplace && candidate.accountId === accountId,
      );
      if (!client) throw new NotFoundError(`No client for account ${accountId} on ${marketplace}`);
      if (!client.capabilities.cancelOrder || !client.cancelOrder) {
        throw new ConflictError(
          `${marketplace} does not let a seller cancel an order through its API; cancel it on the marketplace`,
          { marketplace: client.marketplace, code: 'cancellation_not_supported', retryable: false },
        );
      }
      await client.cancelOrder(externalId, body.reason);
      const order: Order = await client.getOrder(externalId);
      if (!options.orderSync) return c.json(order);
      const result = await options.orderSync.syncOrder(order);
      return c.json(result.stored.order);
    },
  );
  return routes;
}
