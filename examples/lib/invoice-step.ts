/**
 * Brazil: an order whose marketplace needs the seller's NF-e before it ships gets one here. In
 * sandbox runs a sample NF-e stands in for the one your ERP issues; with real credentials the
 * step says what is missing instead of inventing a note.
 */
import {
  invoiceBlocksShipping,
  invoiceFromNfeXml,
  type MarketplaceClient,
  type OrderInvoice,
} from '@mlh/core';
import { sampleNfe } from '@mlh/testing';
import type { Print } from './report';

/** How the sandbox behind a client keeps time, so the step can wait for the NF-e to be verified. */
export interface SandboxTime {
  now(): number;
  advance(ms: number): void;
}

/** Time the marketplace takes to verify an NF-e in the sandbox, at most (TikTok: 30 s, Shopee: 60 s). */
const VERIFICATION_WAIT_MS = 60_000;

/**
 * Attaches an NF-e when the order's invoice state says it cannot ship without one, and waits
 * for the marketplace to accept it. Returns the invoice state the order ends in, and whether it
 * can ship.
 */
export async function attachInvoiceIfRequired(
  client: MarketplaceClient,
  orderId: string,
  sandbox: SandboxTime | undefined,
  print: Print,
): Promise<{ invoice: OrderInvoice | undefined; canShip: boolean }> {
  const order = await client.getOrder(orderId);
  const state = order.fiscal?.invoice;
  if (!invoiceBlocksShipping(state)) return { invoice: state, canShip: true };
  print(
    `  order ${orderId}: invoice ${state?.status} (${state?.rawStatus ?? 'no word'}); buyer CPF on file: ${order.fiscal?.buyerTaxId ? 'yes' : 'no'}`,
  );
  if (!client.submitInvoice || !sandbox) {
    print(
      '  issue the NF-e in your ERP and attach it with client.submitInvoice(orderId, invoiceFromNfeXml(xml))',
    );
    return { invoice: state, canShip: false };
  }
  const { xml } = sampleNfe({
    number: Number(orderId.slice(-6)) || 1,
    total: order.total.amount,
    issuedAt: new Date(sandbox.now()),
  });
  const submitted = await client.submitInvoice(orderId, invoiceFromNfeXml(xml));
  print(`  NF-e ${submitted.accessKey} attached: ${submitted.status} (${submitted.rawStatus ?? ''})`);
  sandbox.advance(VERIFICATION_WAIT_MS);
  const after = (await client.getOrder(orderId)).fiscal?.invoice;
  print(`  after verification: ${after?.status ?? 'no invoice state'} (${after?.rawStatus ?? ''})`);
  return { invoice: after, canShip: !invoiceBlocksShipping(after) };
}
