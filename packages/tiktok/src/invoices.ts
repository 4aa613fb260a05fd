/**
 * `@mlh/tiktok/invoices`: the NF-e module of the lean TikTok Shop client (`@mlh/tiktok/lean`).
 *
 * @packageDocumentation
 */

export { type TikTokInvoicesCapability, tiktokInvoices } from './client/invoices';
