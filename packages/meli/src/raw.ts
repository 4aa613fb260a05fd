/**
 * `@mlh/meli/raw`: the raw-calls module of the lean Mercado Livre client (`@mlh/meli/lean`): the
 * typed `users`, `items`, `orders` and `shipments` calls bound to the account.
 *
 * @packageDocumentation
 */

export {
  type MeliItemsApi,
  type MeliOrdersApi,
  type MeliRawApis,
  type MeliShipmentsApi,
  type MeliUsersApi,
  meliRaw,
} from './client/raw';
