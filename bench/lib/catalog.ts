import { money, normalizeProduct, type Product } from '@mlh/core';

/** SKUs per catalog product: the 10,000 products carry 30,000 SKUs. */
export const VARIANTS_PER_PRODUCT = 3;
const SIZES = ['P', 'M', 'G'] as const;

/** The product SKU of catalog product `index` (zero-padded so SKU order is index order). */
export function productSku(index: number): string {
  return `BENCH-${String(index).padStart(7, '0')}`;
}

/** The variant SKU of size `variant` of catalog product `index`. */
export function variantSku(index: number, variant: number): string {
  return `${productSku(index)}-${SIZES[variant] ?? variant}`;
}

/** Catalog product `index`: three sizes with the same price (Mercado Livre's classic model requires it). */
export function catalogProduct(index: number): Product {
  const price = money(`${49 + (index % 50)}.90`, 'BRL');
  return normalizeProduct({
    sku: productSku(index),
    title: `Camiseta algodão ${index}`,
    description: 'Camiseta de algodão penteado, modelagem regular.',
    categoryId: 'MLB1055',
    images: [`https://cdn.example.com/bench/${index}.jpg`],
    variants: Array.from({ length: VARIANTS_PER_PRODUCT }, (_, variant) => ({
      sku: variantSku(index, variant),
      price,
      quantity: 10 + ((index + variant) % 7),
      attributes: { SIZE: SIZES[variant] ?? String(variant) },
    })),
  });
}
