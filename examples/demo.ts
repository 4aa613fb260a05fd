/**
 * `pnpm demo`: the smallest end-to-end run the SDK can do today — a seller catalog normalized
 * into the shared model and an order totalled exactly. It grows into the full sandbox demo.
 */
import { addMoney, money, multiplyMoney, normalizeProduct } from '@mlh/core';

const catalog = [
  normalizeProduct({ sku: 'MUG-WHITE', title: 'Ceramic mug', price: money('29.90', 'BRL'), quantity: 12 }),
  normalizeProduct({
    sku: 'TEE',
    title: 'T-shirt',
    variants: [
      { sku: 'TEE-S', price: money('59.90', 'BRL'), quantity: 4, attributes: { size: 'S' } },
      { sku: 'TEE-M', price: money('59.90', 'BRL'), quantity: 6, attributes: { size: 'M' } },
    ],
  }),
];
for (const product of catalog) {
  console.log(
    `${product.sku.padEnd(10)} ${product.title.padEnd(14)} ${product.variants.length} SKU(s), stock ${product.quantity}`,
  );
}
const total = addMoney(multiplyMoney(money('0.10', 'BRL'), 3), money('0.20', 'BRL'));
console.log(`3 × 0.10 + 0.20 shipping = ${total.amount} ${total.currency}`);
