import { type Money, money, normalizeProduct, type Product } from '@mlh/core';

const price: Money = money('1.00', 'BRL');
const product: Product = normalizeProduct({ sku: 'A', title: 'A', price, quantity: 1 });
export const sku: string = product.sku;
