import { type Money, money, normalizeProduct, type Product } from '@mlh/core';
import type { PostgresStores } from '@mlh/sync-postgres';

const price: Money = money('1.00', 'BRL');
const product: Product = normalizeProduct({ sku: 'A', title: 'A', price, quantity: 1 });
export const sku: string = product.sku;

// Its declarations import pg's types: with skipLibCheck false this needs @types/pg installed with it.
export type Stores = PostgresStores;
