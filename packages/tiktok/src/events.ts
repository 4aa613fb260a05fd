/**
 * `@mlh/tiktok/events`: the webhooks module of the lean TikTok Shop client (`@mlh/tiktok/lean`): the
 * app's `webhookSource` and the shop's webhook subscriptions (`events`) on each client.
 *
 * @packageDocumentation
 */

export { type TikTokEventsApp, tiktokEvents } from './client/events';
export type { TikTokEventsApi } from './client/raw';
