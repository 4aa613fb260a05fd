/**
 * `@mlh/shopee/invoices`: the NF-e module of the lean Shopee client (`@mlh/shopee/lean`).
 *
 * @packageDocumentation
 */

export { type ShopeeInvoicesCapability, shopeeInvoices } from './client/invoices';
