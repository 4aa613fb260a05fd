/**
 * `@mlh/tiktok/labels`: the shipping-label module of the lean TikTok Shop client (`@mlh/tiktok/lean`).
 *
 * @packageDocumentation
 */

export { type TikTokLabelsCapability, tiktokLabels } from './client/labels';
