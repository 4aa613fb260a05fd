/**
 * `@mlh/meli/labels`: the shipping-label module of the lean Mercado Livre client (`@mlh/meli/lean`).
 *
 * @packageDocumentation
 */

export { type MeliLabelsCapability, meliLabels } from './client/labels';
