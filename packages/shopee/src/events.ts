/**
 * `@mlh/shopee/events`: the push module of the lean Shopee client (`@mlh/shopee/lean`): the app's
 * `webhookSource` and `push` calls, and `recoverMissedEvents` on each client.
 *
 * @packageDocumentation
 */

export { type ShopeeAppPushApi, type ShopeeEventsApp, shopeeEvents } from './client/events';
