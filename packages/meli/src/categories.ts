/**
 * `@mlh/meli/categories`: the category module of the lean Mercado Livre client (`@mlh/meli/lean`).
 *
 * @packageDocumentation
 */

export { type MeliCategoriesApi, meliCategories } from './client/categories';
