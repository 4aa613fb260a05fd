/**
 * `@mlh/tiktok/categories`: the category module of the lean TikTok Shop client (`@mlh/tiktok/lean`).
 *
 * @packageDocumentation
 */

export { type TikTokCategoriesApi, tiktokCategories } from './client/categories';
