/**
 * The return step of `pnpm demo` (Mercado Livre sandbox): a delivered order comes back. The buyer
 * opens a claim; the seller reads it as a core `Return`, accepts the return; the parcel travels
 * back over the sandbox clock; `ReturnSync` puts its units back into stock when the claims webhook
 * says it arrived; the seller confirms the goods and the buyer is refunded.
 */
import type { MarketplaceClient, Return } from '@mlh/core';
import type { MeliSandbox } from '@mlh/testing';
import type { PlacedOrder } from './buyers';
import type { Print } from './report';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What the return step did. */
export interface ReturnOutcome {
  marketplace: 'meli';
  orderId: string;
  /** The claim id: what `getReturn` and the `return.updated` events name. */
  returnId: string;
  /** The statuses the seller read, in order. */
  statuses: Return['status'][];
  /** What the buyer got back, when the marketplace says. */
  refund: Return['refundAmount'];
}

/** What the step needs from the demo's flow. */
export interface ReturnStepContext {
  client: MarketplaceClient;
  sandbox: MeliSandbox;
  order: PlacedOrder;
  /** Delivers the queued webhooks and waits until every ingest (orders, returns) and stock push is done. */
  deliverAndSettle: () => Promise<void>;
  print: Print;
}

function describe(ret: Return): string {
  const items = ret.items
    .map((item) => `${item.quantity} × ${item.sku ?? item.productExternalId}`)
    .join(', ');
  return `${ret.kind} ${ret.externalId}: ${ret.status}${items ? ` (${items})` : ''}`;
}

/** Handles one return of a delivered Mercado Livre order, end to end. */
export async function handleOneReturn(context: ReturnStepContext): Promise<ReturnOutcome> {
  const { client, sandbox, order, deliverAndSettle, print } = context;
  if (!client.getReturn || !client.acceptReturn || !client.reviewReturnedItems) {
    throw new Error(`${client.marketplace} offers no returns`);
  }
  const orderId = Number(order.orderId);
  sandbox.shipOrder(orderId);
  sandbox.deliverOrder(orderId);
  await deliverAndSettle();

  const claim = sandbox.openClaim({ orderId, reasonId: 'PDD9549' });
  await deliverAndSettle();
  const id = String(claim.id);
  const statuses: Return['status'][] = [];
  const opened = await client.getReturn(id);
  statuses.push(opened.status);
  print(`  the buyer complains: ${describe(opened)}, reason ${opened.reason?.code ?? '?'}`);
  print(`  the seller may: ${opened.availableActions.join(', ')}; answer due ${opened.sellerDueAt ?? '–'}`);

  const accepted = await client.acceptReturn(id);
  statuses.push(accepted.status);
  print(
    `  the seller accepts the return: ${accepted.status}, the parcel is ${accepted.shipment?.status ?? '–'}`,
  );

  // Four days later on Mercado Livre's clock: the buyer shipped the parcel and it arrived.
  sandbox.clock.advance(4 * DAY_MS + 60_000);
  sandbox.settleClaims();
  await deliverAndSettle();
  const arrived = await client.getReturn(id);
  statuses.push(arrived.status);
  print(`  4 days later: ${describe(arrived)}, parcel ${arrived.shipment?.status ?? '–'}`);

  const reviewed = await client.reviewReturnedItems(id, { ok: true });
  statuses.push(reviewed.status);
  await deliverAndSettle();
  const refund = reviewed.refundAmount;
  print(
    `  the seller confirms the goods: ${reviewed.status}${refund ? `, ${refund.amount} ${refund.currency} back to the buyer` : ''}`,
  );
  return { marketplace: 'meli', orderId: order.orderId, returnId: id, statuses, refund };
}
