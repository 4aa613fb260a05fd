/**
 * `@mlh/tiktok/proceeds`: the fees-and-proceeds module of the lean TikTok Shop client (`@mlh/tiktok/lean`).
 *
 * @packageDocumentation
 */

export {
  type ListTikTokStatementsOptions,
  type TikTokProceedsCapability,
  type TikTokStatement,
  tiktokProceeds,
} from './client/proceeds';
