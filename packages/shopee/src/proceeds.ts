/**
 * `@mlh/shopee/proceeds`: the fees-and-proceeds module of the lean Shopee client (`@mlh/shopee/lean`).
 *
 * @packageDocumentation
 */

export {
  type ListEscrowReleasesOptions,
  type ShopeeEscrowRelease,
  type ShopeeProceedsCapability,
  shopeeProceeds,
} from './client/proceeds';
