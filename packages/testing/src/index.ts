/**
 * The sandboxes of Mercado Livre, Shopee and TikTok Shop as msw handlers, and the signed webhook
 * request builders; the HTTP server is in `@mlh/testing/server`.
 *
 * @module @mlh/testing
 */
export * from './meli/index';
export * from './shared/index';
export * from './shopee/index';
export * from './tiktok/index';
