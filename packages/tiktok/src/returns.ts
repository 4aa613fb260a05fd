/**
 * `@mlh/tiktok/returns`: the returns module of the lean TikTok Shop client (`@mlh/tiktok/lean`).
 *
 * @packageDocumentation
 */

export {
  TIKTOK_RETURNS_CAPABILITIES,
  type TikTokReturnsApi,
  type TikTokReturnsCapability,
  tiktokReturns,
} from './client/returns';
