/** Logistics endpoints: warehouses, delivery options, shipping providers (reference §6.7). */
import { tiktokError } from '../errors';
import { shopOf, type TikTokRoute } from '../gateway';
import { renderWarehouse } from '../render';

const SCOPE = 'seller.logistics';

/** Logistics endpoints. */
export const logisticsRoutes: TikTokRoute[] = [
  {
    method: 'GET',
    path: '/logistics/202309/warehouses',
    scope: SCOPE,
    shopCipher: 'required',
    handle: (call) => ({ warehouses: shopOf(call).warehouses.map(renderWarehouse) }),
  },
  {
    method: 'GET',
    path: '/logistics/202309/warehouses/{warehouse_id}/delivery_options',
    scope: SCOPE,
    shopCipher: 'required',
    handle: (call) => {
      if (!shopOf(call).warehouses.some((warehouse) => warehouse.id === call.params.warehouse_id)) {
        throw tiktokError('warehouseNotFound');
      }
      const option = call.context.settings.deliveryOption;
      return { delivery_options: [{ id: option.id, name: option.name }] };
    },
  },
  {
    method: 'GET',
    path: '/logistics/202309/delivery_options/{delivery_option_id}/shipping_providers',
    scope: SCOPE,
    shopCipher: 'required',
    handle: (call) => {
      if (call.params.delivery_option_id !== call.context.settings.deliveryOption.id) {
        throw tiktokError('invalidParam', 'delivery_option_id is invalid');
      }
      return {
        shipping_providers: call.context.settings.shippingProviders.map((provider) => ({
          id: provider.id,
          name: provider.name,
        })),
      };
    },
  },
];
