/**
 * `@mlh/meli/proceeds`: the fees-and-proceeds module of the lean Mercado Livre client (`@mlh/meli/lean`).
 *
 * @packageDocumentation
 */

export { meliProceeds } from './client/proceeds';
