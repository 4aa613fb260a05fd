import {
  type FieldIssue,
  type Instant,
  type OrderProceeds,
  type ProceedsCapability,
  toDecimalString,
} from '@mlh/core';
import * as ordersApi from '../api/orders';
import * as paymentApi from '../api/payment';
import { toShopeeOrderProceeds } from '../mappers';
import { checkOrderSn, invalid, toEpochMs } from './checks';
import type { ShopeeAccountContext } from './context';
import { shopeeModule } from './module';

/** One escrow Shopee released to the seller's wallet (`get_escrow_list`). */
export interface ShopeeEscrowRelease {
  orderSn: string;
  /** What was paid out for the order, exact (after adjustments). */
  payoutAmount: string;
  /** The shop's configured currency; the escrow list carries none. */
  currency: string | undefined;
  /** ISO 8601. */
  releasedAt: string | undefined;
  raw: paymentApi.ShopeeEscrowListEntry;
}

/** Options of {@link ShopeeProceedsCapability.listEscrowReleases}. */
export interface ListEscrowReleasesOptions {
  /** Released at or after this moment. */
  since: Instant;
  /** Released at or before this moment. Default: now. */
  until?: Instant | undefined;
  /** 1–100, default 100. */
  pageSize?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** The fees-and-proceeds calls of a Shopee client. */
export interface ShopeeProceedsCapability extends ProceedsCapability {
  /** The escrows released in a period (by release time), read in 15-day windows. */
  listEscrowReleases(options: ListEscrowReleasesOptions): AsyncIterable<ShopeeEscrowRelease>;
}

/**
 * Net proceeds of an order from its escrow (`get_escrow_detail`), with the order's currency and
 * status from `get_order_detail`: `estimated` until the order is COMPLETED, when Shopee releases
 * it, then `settled`. Before payment Shopee has no escrow and answers `income_not_found`
 * (a `NotFoundError`).
 */
export function proceedsCapability(ctx: ShopeeAccountContext): ShopeeProceedsCapability {
  const { scoped, accountId, shopCurrency, clock } = ctx;

  async function getOrderProceeds(
    orderSn: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<OrderProceeds> {
    const issues: FieldIssue[] = [];
    checkOrderSn(orderSn, 'orderSn', issues);
    if (issues.length > 0) throw invalid('order id', issues);
    const scope = scoped(options.signal);
    const [detail, { orders }] = await Promise.all([
      paymentApi.getEscrowDetail(scope, orderSn),
      ordersApi.getOrderDetail(scope, [orderSn], { optionalFields: [] }),
    ]);
    const order = orders[0];
    const currency = shopCurrency ?? order?.currency?.toUpperCase();
    if (!currency) {
      throw invalid('escrow', [
        { path: 'currency', message: `order ${orderSn} names no currency: set the client's currency option` },
      ]);
    }
    return toShopeeOrderProceeds(detail, {
      accountId,
      currency,
      orderStatus: order?.order_status ?? undefined,
    });
  }

  async function* listEscrowReleases(
    options: ListEscrowReleasesOptions,
  ): AsyncGenerator<ShopeeEscrowRelease> {
    const from = Math.floor(toEpochMs(options.since, 'since') / 1000);
    const to = Math.floor(
      (options.until === undefined ? clock.now() : toEpochMs(options.until, 'until')) / 1000,
    );
    const pages = paymentApi.iterateEscrowList(scoped(options.signal), {
      releaseTimeFrom: from,
      releaseTimeTo: to,
      pageSize: options.pageSize,
    });
    for await (const page of pages) {
      for (const entry of page) {
        yield {
          orderSn: entry.order_sn,
          payoutAmount: toDecimalString(entry.payout_amount ?? 0),
          currency: shopCurrency,
          releasedAt:
            typeof entry.escrow_release_time === 'number' && entry.escrow_release_time > 0
              ? new Date(entry.escrow_release_time * 1000).toISOString()
              : undefined,
          raw: entry,
        };
      }
    }
  }

  return { getOrderProceeds, listEscrowReleases };
}

/**
 * The proceeds module: `getOrderProceeds` (escrow detail of an order) and `listEscrowReleases`.
 *
 * @example
 * import { shopeeProceeds } from '@mlh/shopee/proceeds';
 * const client = createShopee({ ...options, capabilities: [shopeeProceeds] }).forShop(shopId);
 * const { net } = await client.getOrderProceeds(order.externalId);
 */
export const shopeeProceeds = /* @__PURE__ */ shopeeModule({
  name: 'proceeds',
  capabilities: {},
  build: proceedsCapability,
});
