import assert from 'node:assert/strict';
import { addMoney, money, multiplyMoney, normalizeProduct, ValidationError } from '@mlh/core';

const total = addMoney(multiplyMoney(money('0.10', 'BRL'), 3), money('0.20', 'BRL'));
assert.equal(total.amount, '0.50');
const product = normalizeProduct({ sku: 'MUG-1', title: 'Mug', price: money('29.90', 'BRL'), quantity: 5 });
assert.equal(product.variants.length, 1);
assert.throws(() => normalizeProduct({ title: '' }), ValidationError);
