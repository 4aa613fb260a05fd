/**
 * `@mlh/meli/returns`: the claims-and-returns module of the lean Mercado Livre client (`@mlh/meli/lean`).
 *
 * @packageDocumentation
 */

export {
  MELI_RETURNS_CAPABILITIES,
  type MeliClaimsApi,
  type MeliReturnsCapability,
  meliReturns,
} from './client/returns';
