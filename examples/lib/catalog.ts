import { type MarketplaceClient, money, normalizeProduct, type Product } from '@mlh/core';
import type { PreparedListing } from '@mlh/sync';
import { SANDBOX_IMAGE_HOST } from './sandbox';

/**
 * The seller's catalog the examples publish: a mug, a cap, and a T-shirt in two sizes (variants).
 * Prices are exact decimal strings. `imageHost` is where the pictures are downloaded from.
 */
export function demoCatalog(imageHost: string = SANDBOX_IMAGE_HOST): Product[] {
  return [
    normalizeProduct({
      sku: 'MUG-300',
      title: 'Caneca de cerâmica 300 ml',
      description: 'Caneca branca de cerâmica, vai ao micro-ondas e à lava-louças.',
      images: [`${imageHost}/mug-300.jpg`],
      price: money('49.90', 'BRL'),
      quantity: 20,
    }),
    normalizeProduct({
      sku: 'CAP',
      title: 'Boné de algodão ajustável',
      description: 'Boné de algodão com fecho ajustável.',
      images: [`${imageHost}/cap.jpg`],
      price: money('39.90', 'BRL'),
      quantity: 15,
    }),
    normalizeProduct({
      sku: 'TSHIRT',
      title: 'Camiseta básica de algodão',
      description: 'Camiseta de algodão penteado, modelagem reta.',
      images: [`${imageHost}/tshirt.jpg`],
      variants: [
        { sku: 'TSHIRT-M', price: money('59.90', 'BRL'), quantity: 10, attributes: { SIZE: 'M' } },
        { sku: 'TSHIRT-G', price: money('59.90', 'BRL'), quantity: 8, attributes: { SIZE: 'G' } },
      ],
    }),
  ];
}

/**
 * What each marketplace needs beyond the shared model: its category and the fields it requires
 * (Shopee: weight and logistics channel; TikTok: package weight). The ids here are the sandboxes';
 * with a real account, use your categories and channels.
 */
export function prepareListing(product: Product, client: MarketplaceClient): PreparedListing {
  switch (client.marketplace) {
    case 'meli':
      return { product: { ...product, categoryId: 'MLB1055' } };
    case 'shopee':
      return {
        product,
        options: {
          marketplaceFields: {
            category_id: 100017,
            weight: '0.4',
            logistic_info: [{ logistic_id: 90000, enabled: true }],
            brand: { brand_id: 0, original_brand_name: 'NoBrand' },
          },
        },
      };
    case 'tiktok':
      return {
        product: { ...product, categoryId: '601226' },
        options: { marketplaceFields: { package_weight: { value: '0.40', unit: 'KILOGRAM' } } },
      };
    default:
      return { product };
  }
}
