import {
  TikTokDeliveryOptionsData,
  type TikTokShippingProvider,
  TikTokShippingProvidersData,
  type TikTokWarehouse,
  TikTokWarehousesData,
} from '../schemas';
import { callTikTok, type TikTokCallContext } from '../transport';

/** The shop's warehouses (`GET /logistics/202309/warehouses`); stock is kept per warehouse. */
export async function getWarehouses(context: TikTokCallContext): Promise<TikTokWarehouse[]> {
  const { data } = await callTikTok(
    context,
    { method: 'GET', path: '/logistics/202309/warehouses', operation: 'logistics.warehouses' },
    TikTokWarehousesData,
    'logistics.warehouses',
  );
  return data.warehouses;
}

/**
 * The warehouse new stock goes to: the enabled default sales warehouse, else the first enabled
 * sales warehouse, else the first one. `undefined` when the shop has none.
 */
export function pickSalesWarehouse(warehouses: readonly TikTokWarehouse[]): TikTokWarehouse | undefined {
  const sales = warehouses.filter((w) => !w.type || w.type === 'SALES_WAREHOUSE');
  const enabled = sales.filter((w) => !w.effect_status || w.effect_status === 'ENABLED');
  return enabled.find((w) => w.is_default) ?? enabled[0] ?? sales[0] ?? warehouses[0];
}

/**
 * Every warehouse that can hold sales stock, enabled or not (a disabled one may still hold units):
 * the typed `SALES_WAREHOUSE`s and those without a type.
 */
export function salesWarehouseIds(warehouses: readonly TikTokWarehouse[]): string[] {
  return warehouses.filter((w) => !w.type || w.type === 'SALES_WAREHOUSE').map((w) => w.id);
}

/** Delivery options of a warehouse (`GET /logistics/202309/warehouses/{id}/delivery_options`). */
export async function getWarehouseDeliveryOptions(context: TikTokCallContext, warehouseId: string) {
  const { data } = await callTikTok(
    context,
    {
      method: 'GET',
      path: `/logistics/202309/warehouses/${encodeURIComponent(warehouseId)}/delivery_options`,
      operation: 'logistics.delivery_options',
    },
    TikTokDeliveryOptionsData,
    'logistics.delivery_options',
  );
  return data.delivery_options;
}

/**
 * Carriers of a delivery option: their `id` is the `shipping_provider_id` used when the seller
 * ships (`GET /logistics/202309/delivery_options/{id}/shipping_providers`).
 */
export async function getShippingProviders(
  context: TikTokCallContext,
  deliveryOptionId: string,
): Promise<TikTokShippingProvider[]> {
  const { data } = await callTikTok(
    context,
    {
      method: 'GET',
      path: `/logistics/202309/delivery_options/${encodeURIComponent(deliveryOptionId)}/shipping_providers`,
      operation: 'logistics.shipping_providers',
    },
    TikTokShippingProvidersData,
    'logistics.shipping_providers',
  );
  return data.shipping_providers;
}
