/**
 * `@mlh/meli/invoices`: the NF-e module of the lean Mercado Livre client (`@mlh/meli/lean`).
 *
 * @packageDocumentation
 */

export { meliInvoices } from './client/invoices';
