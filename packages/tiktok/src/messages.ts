/**
 * `@mlh/tiktok/messages`: the buyer-messages module of the lean TikTok Shop client (`@mlh/tiktok/lean`).
 *
 * @packageDocumentation
 */

export { TIKTOK_CUSTOMER_SERVICE_SCOPE, tiktokMessages } from './client/messages';
