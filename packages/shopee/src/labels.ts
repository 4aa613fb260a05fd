/**
 * `@mlh/shopee/labels`: the shipping-label module of the lean Shopee client (`@mlh/shopee/lean`).
 *
 * @packageDocumentation
 */

export { SHOPEE_LABEL_POLLING, type ShopeeLabelsCapability, shopeeLabels } from './client/labels';
