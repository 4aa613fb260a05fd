/**
 * `@mlh/shopee/categories`: the category module of the lean Shopee client (`@mlh/shopee/lean`).
 *
 * @packageDocumentation
 */

export { type ShopeeCategoriesApi, shopeeCategories } from './client/categories';
