/**
 * `@mlh/meli/events`: the notifications module of the lean Mercado Livre client (`@mlh/meli/lean`):
 * the app's `webhookSource`, and `recoverMissedEvents` and `notifications` on each client.
 *
 * @packageDocumentation
 */

export { type MeliEventsApp, meliEvents } from './client/events';
export type { MeliNotificationsApi } from './client/raw';
