/**
 * Renders sandbox records as the API's snake_case payloads (reference §6.2, §6.5, §6.7, §7.3, §8.3).
 * Ids, amounts stay strings; times are seconds except tracking events (milliseconds).
 */
import { addMoney, money, sumMoney } from '@mlh/core';
import { isTikTokParentCategory, tiktokCategoryChain, tiktokCategoryName } from './categories';
import type {
  TikTokSandboxCancellation,
  TikTokSandboxOrder,
  TikTokSandboxPackage,
  TikTokSandboxProduct,
  TikTokSandboxShop,
  TikTokSandboxSku,
  TikTokSandboxWarehouse,
} from './state';

type Json = Record<string, unknown>;

/** Drops keys whose value is undefined, as TikTok omits fields it has no value for. */
function compact(value: Json): Json {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined));
}

const IMAGE_HOST = 'https://p16-oec-sandbox.tiktokcdn.example';

function image(uri: string): Json {
  return {
    uri,
    urls: [`${IMAGE_HOST}/${uri}~tplv-origin.jpeg`],
    thumb_urls: [`${IMAGE_HOST}/${uri}~tplv-thumb.jpeg`],
    width: 800,
    height: 800,
  };
}

/** A SKU as product detail and search return it (`price.sale_price`, not `amount`). */
export function renderSku(sku: TikTokSandboxSku): Json {
  return compact({
    id: sku.id,
    seller_sku: sku.sellerSku,
    external_sku_id: sku.externalSkuId,
    price: {
      currency: sku.price.currency,
      sale_price: sku.price.amount,
      tax_exclusive_price: sku.price.amount,
    },
    inventory: sku.inventory.map((row) => ({ warehouse_id: row.warehouseId, quantity: row.quantity })),
    sales_attributes: sku.salesAttributes.map((attribute) => ({
      id: attribute.id,
      name: attribute.name,
      value_id: attribute.valueId,
      value_name: attribute.valueName,
    })),
  });
}

/** The product's category from the root, named as in the sandbox tree (a placeholder for other ids). */
function categoryChain(categoryId: string): Json[] {
  const chain = tiktokCategoryChain(categoryId);
  if (chain.length === 0) {
    return [{ id: categoryId, parent_id: '0', local_name: `Category ${categoryId}`, is_leaf: true }];
  }
  return chain.map((category) => ({
    id: category.id,
    parent_id: category.parentId,
    local_name: tiktokCategoryName(category, 'pt-BR'),
    is_leaf: !isTikTokParentCategory(category.id),
  }));
}

/** A product as `GET /product/202309/products/{id}` returns it. */
export function renderProduct(product: TikTokSandboxProduct): Json {
  return compact({
    id: product.id,
    status: product.status,
    title: product.title,
    description: product.description,
    category_chains: categoryChain(product.categoryId),
    brand:
      product.brandId === undefined ? undefined : { id: product.brandId, name: `Brand ${product.brandId}` },
    main_images: product.mainImages.map((entry) => image(entry.uri)),
    package_weight: product.packageWeight,
    package_dimensions: product.packageDimensions,
    external_product_id: product.externalProductId,
    is_cod_allowed: false,
    is_not_for_sale: false,
    create_time: product.createTime,
    update_time: product.updateTime,
    audit_failed_reasons: [],
    product_attributes: [],
    skus: product.skus.map(renderSku),
  });
}

/** A product as `POST /product/202309/products/search` lists it. */
export function renderProductSummary(
  product: TikTokSandboxProduct,
  shop: TikTokSandboxShop | undefined,
): Json {
  return {
    id: product.id,
    title: product.title,
    status: product.status,
    create_time: product.createTime,
    update_time: product.updateTime,
    sales_regions: shop ? [shop.region] : [],
    is_not_for_sale: false,
    skus: product.skus.map(renderSku),
  };
}

/** The `payment` block: exact decimal arithmetic over the live line items. */
export function renderPayment(order: TikTokSandboxOrder): Json {
  const live = order.lineItems.filter((item) => item.displayStatus !== 'CANCELLED');
  const items = live.length > 0 ? live : order.lineItems;
  const productTotal = sumMoney(
    items.map((item) => money(item.salePrice, order.currency)),
    order.currency,
  );
  const shipping = money(order.shippingFee, order.currency);
  const zero = '0';
  return {
    currency: order.currency,
    original_total_product_price: productTotal.amount,
    seller_discount: zero,
    platform_discount: zero,
    sub_total: productTotal.amount,
    original_shipping_fee: shipping.amount,
    shipping_fee_seller_discount: zero,
    shipping_fee_platform_discount: zero,
    shipping_fee_cofunded_discount: zero,
    shipping_fee: shipping.amount,
    tax: zero,
    product_tax: zero,
    shipping_fee_tax: zero,
    total_amount: addMoney(productTotal, shipping).amount,
  };
}

/** An order as Get Order Detail and Get Order List return it. */
export function renderOrder(order: TikTokSandboxOrder): Json {
  const hidesAddress = order.status === 'UNPAID' || order.status === 'ON_HOLD';
  const shipped = order.lineItems.find((item) => item.trackingNumber !== undefined);
  const day = 24 * 60 * 60;
  return compact({
    id: order.id,
    status: order.status,
    create_time: order.createTime,
    update_time: order.updateTime,
    paid_time: order.paidTime,
    rts_time: order.rtsTime,
    collection_time: order.collectionTime,
    delivery_time: order.deliveryTime,
    cancel_time: order.cancelTime,
    rts_sla_time: order.paidTime === undefined ? undefined : order.paidTime + 3 * day,
    tts_sla_time: order.paidTime === undefined ? undefined : order.paidTime + 5 * day,
    user_id: order.userId,
    buyer_email: order.buyerEmail,
    buyer_message: order.buyerMessage,
    payment: renderPayment(order),
    need_upload_invoice: order.invoiceStatus,
    cpf: order.cpf,
    cpf_name: order.cpfName,
    payment_method_name: 'Card',
    recipient_address: hidesAddress
      ? undefined
      : {
          name: order.recipientAddress.name,
          phone_number: order.recipientAddress.phoneNumber,
          full_address: order.recipientAddress.fullAddress,
          address_detail: order.recipientAddress.addressLine1,
          address_line1: order.recipientAddress.addressLine1,
          postal_code: order.recipientAddress.postalCode,
          region_code: order.recipientAddress.regionCode,
          district_info: order.recipientAddress.districts.map((district) => ({
            address_level: district.level,
            address_level_name: district.levelName,
            address_name: district.name,
          })),
        },
    line_items: order.lineItems.map((item) =>
      compact({
        id: item.id,
        product_id: item.productId,
        product_name: item.productName,
        sku_id: item.skuId,
        sku_name: item.skuName,
        sku_image: `${IMAGE_HOST}/sku-${item.skuId}.jpeg`,
        seller_sku: item.sellerSku,
        sale_price: item.salePrice,
        original_price: item.originalPrice,
        seller_discount: '0',
        platform_discount: '0',
        currency: item.currency,
        display_status: item.displayStatus,
        package_id: item.packageId,
        package_status: item.packageStatus,
        tracking_number: item.trackingNumber,
        shipping_provider_id: item.shippingProviderId,
        shipping_provider_name: item.shippingProviderName,
        rts_time: item.rtsTime,
        is_gift: false,
        is_dangerous_good: false,
        cancel_reason: item.cancelReason,
        cancel_user: item.cancelUser,
      }),
    ),
    packages: order.packageIds.map((id) => ({ id })),
    tracking_number: shipped?.trackingNumber,
    shipping_provider: shipped?.shippingProviderName,
    shipping_provider_id: shipped?.shippingProviderId,
    shipping_type: order.shippingType,
    fulfillment_type: 'FULFILLMENT_BY_SELLER',
    delivery_type: 'HOME_DELIVERY',
    warehouse_id: order.warehouseId,
    order_type: 'NORMAL',
    is_cod: false,
    is_on_hold_order: order.holdOnPayment && (order.status === 'UNPAID' || order.status === 'ON_HOLD'),
    is_buyer_request_cancel: order.isBuyerRequestCancel,
    is_replacement_order: false,
    is_sample_order: false,
    cancel_reason: order.cancelReason,
    cancellation_initiator: order.cancellationInitiator,
    commerce_platform: 'TIKTOK_SHOP',
  });
}

/** A package as Get Package Detail returns it. */
export function renderPackage(pkg: TikTokSandboxPackage, order: TikTokSandboxOrder | undefined): Json {
  return compact({
    package_id: pkg.id,
    package_status: pkg.status,
    orders: [{ id: pkg.orderId }],
    order_line_item_ids: pkg.lineItemIds,
    shipping_type: pkg.shippingType,
    shipping_provider_id: pkg.shippingProviderId,
    shipping_provider_name: pkg.shippingProviderName,
    tracking_number: pkg.trackingNumber,
    handover_method: pkg.handoverMethod,
    pickup_slot: pkg.pickupSlot && { start_time: pkg.pickupSlot.startTime, end_time: pkg.pickupSlot.endTime },
    has_multi_skus: order
      ? new Set(order.lineItems.filter((item) => pkg.lineItemIds.includes(item.id)).map((item) => item.skuId))
          .size > 1
      : false,
    split_and_combine_tag: 'DEFAULT',
    create_time: pkg.createTime,
    update_time: pkg.updateTime,
  });
}

/** A package as Search Package lists it. */
export function renderPackageSummary(pkg: TikTokSandboxPackage): Json {
  return compact({
    id: pkg.id,
    status: pkg.status,
    orders: [{ id: pkg.orderId }],
    order_line_item_ids: pkg.lineItemIds,
    shipping_provider_id: pkg.shippingProviderId,
    shipping_provider_name: pkg.shippingProviderName,
    tracking_number: pkg.trackingNumber,
    create_time: pkg.createTime,
    update_time: pkg.updateTime,
  });
}

/** A warehouse as Get Warehouses returns it. */
export function renderWarehouse(warehouse: TikTokSandboxWarehouse): Json {
  return {
    id: warehouse.id,
    name: warehouse.name,
    effect_status: warehouse.effectStatus,
    type: warehouse.type,
    sub_type: warehouse.subType,
    is_default: warehouse.isDefault,
    address: {
      region: warehouse.address.region,
      region_code: warehouse.address.regionCode,
      city: warehouse.address.city,
      postal_code: warehouse.address.postalCode,
      full_address: warehouse.address.fullAddress,
    },
  };
}

/** A cancellation as Search Cancellations returns it. */
export function renderCancellation(cancellation: TikTokSandboxCancellation): Json {
  return compact({
    cancel_id: cancellation.id,
    order_id: cancellation.orderId,
    cancel_status: cancellation.status,
    cancel_type: cancellation.type,
    cancel_reason: cancellation.reason,
    cancel_reason_text: cancellation.reason,
    role: cancellation.role,
    cancel_line_items: cancellation.lineItemIds.map((id) => ({ order_line_item_id: id })),
    create_time: cancellation.createTime,
    update_time: cancellation.updateTime,
    reject_reason: cancellation.rejectReason,
  });
}
