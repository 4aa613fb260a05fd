import { describe, expect, it } from 'vitest';
import { createShopeeSandbox } from '../src/shopee/index';
import { type App, call, signedUrl, useShopeeSandbox } from './shopee-helpers';

const BIG_ITEM_ID = 9007199254740993n; // 2^53 + 1: JSON.parse would round it to ...992
const BIG_MODEL_ID = 9223372036854775001n;

describe('Shopee products', () => {
  const { sandbox, app } = useShopeeSandbox();

  function addShirt(a: App, overrides: { itemId?: bigint; modelIds?: [bigint, bigint] } = {}) {
    return sandbox.addItem({
      shopId: a.shopId,
      ...(overrides.itemId === undefined ? {} : { itemId: overrides.itemId }),
      name: 'Cotton T-shirt',
      sku: 'TSHIRT',
      tierVariation: [{ name: 'Size', options: ['M', 'L'] }],
      models: [
        {
          tierIndex: [0],
          sku: 'TSHIRT-M',
          price: '19.90',
          stock: 5,
          ...(overrides.modelIds ? { modelId: overrides.modelIds[0] } : {}),
        },
        {
          tierIndex: [1],
          sku: 'TSHIRT-L',
          price: '21.50',
          stock: 7,
          ...(overrides.modelIds ? { modelId: overrides.modelIds[1] } : {}),
        },
      ],
    });
  }

  describe('get_item_list', () => {
    it('pages with offset and page_size up to 100, reporting next_offset and has_next_page', async () => {
      const a = app();
      for (let index = 0; index < 120; index += 1) sandbox.addItem({ shopId: a.shopId, price: 10, stock: 1 });
      const query = { offset: 0, page_size: 100, item_status: 'NORMAL' };
      const first = await call(sandbox, a, 'GET', '/api/v2/product/get_item_list', { query });
      expect(first.json.response).toMatchObject({ total_count: 120, has_next_page: true, next_offset: 100 });
      expect(first.json.response.item).toHaveLength(100);
      const second = await call(sandbox, a, 'GET', '/api/v2/product/get_item_list', {
        query: { ...query, offset: 100 },
      });
      expect(second.json.response).toMatchObject({ has_next_page: false });
      expect(second.json.response.item).toHaveLength(20);
    });

    it('refuses page_size above 100 or below 1, and a missing item_status', async () => {
      const a = app();
      for (const pageSize of [101, 0]) {
        const result = await call(sandbox, a, 'GET', '/api/v2/product/get_item_list', {
          query: { offset: 0, page_size: pageSize, item_status: 'NORMAL' },
        });
        expect(result.json.error).toBe('error_param');
      }
      const missing = await call(sandbox, a, 'GET', '/api/v2/product/get_item_list', {
        query: { offset: 0, page_size: 10 },
      });
      expect(missing.json.error).toBe('error_param');
      expect(missing.json.message).toContain('item_status');
    });

    it('filters by several statuses given as a repeated key', async () => {
      const a = app();
      sandbox.addItem({ shopId: a.shopId, status: 'NORMAL' });
      sandbox.addItem({ shopId: a.shopId, status: 'UNLIST' });
      sandbox.addItem({ shopId: a.shopId, status: 'BANNED' });
      const result = await call(sandbox, a, 'GET', '/api/v2/product/get_item_list', {
        query: { offset: 0, page_size: 10, item_status: ['NORMAL', 'UNLIST'] },
      });
      expect(result.json.response.item.map((item: { item_status: string }) => item.item_status)).toEqual([
        'NORMAL',
        'UNLIST',
      ]);
    });

    it('refuses update_time_to not later than update_time_from', async () => {
      const result = await call(sandbox, app(), 'GET', '/api/v2/product/get_item_list', {
        query: {
          offset: 0,
          page_size: 10,
          item_status: 'NORMAL',
          update_time_from: 100,
          update_time_to: 100,
        },
      });
      expect(result.json.error).toBe('error_update_time_range');
    });
  });

  describe('get_item_base_info and get_model_list', () => {
    it('takes at most 50 item ids, comma-joined or repeated', async () => {
      const a = app();
      const ids = Array.from({ length: 51 }, () => sandbox.addItem({ shopId: a.shopId }).itemId.toString());
      const fifty = await call(sandbox, a, 'GET', '/api/v2/product/get_item_base_info', {
        query: { item_id_list: ids.slice(0, 50).join(',') },
      });
      expect(fifty.json.response.item_list).toHaveLength(50);
      const repeated = await call(sandbox, a, 'GET', '/api/v2/product/get_item_base_info', {
        query: { item_id_list: ids.slice(0, 2) },
      });
      expect(repeated.json.response.item_list).toHaveLength(2);
      const tooMany = await call(sandbox, a, 'GET', '/api/v2/product/get_item_base_info', {
        query: { item_id_list: ids.join(',') },
      });
      expect(tooMany.json.error).toBe('error_param');
    });

    it('returns a Brazilian item’s tax_info (NCM, CFOP…) only with need_tax_info=true', async () => {
      const a = app();
      const br = sandbox.addShop({ region: 'BR' });
      const tokens = sandbox.issueTokens({ partnerId: a.partnerId, shopId: br.shopId });
      const shopApp = { ...a, shopId: br.shopId, accessToken: tokens.accessToken };
      const mug = sandbox.addItem({ shopId: br.shopId, price: '29.90', stock: 1 });
      const read = (query: Record<string, string>) =>
        call(sandbox, shopApp, 'GET', '/api/v2/product/get_item_base_info', {
          query: { item_id_list: String(mug.itemId), ...query },
        }).then((result) => result.json.response.item_list[0]);
      expect(await read({})).not.toHaveProperty('tax_info');
      expect((await read({ need_tax_info: 'true' })).tax_info).toMatchObject({
        ncm: expect.stringMatching(/^\d{8}$/),
        same_state_cfop: expect.any(String),
        diff_state_cfop: expect.any(String),
      });
    });

    it('leaves price_info and stock_info_v2 out of items with models, which get_model_list carries', async () => {
      const a = app();
      const shirt = addShirt(a);
      const plain = sandbox.addItem({ shopId: a.shopId, price: '5.5', stock: 3 });
      const base = await call(sandbox, a, 'GET', '/api/v2/product/get_item_base_info', {
        query: { item_id_list: `${shirt.itemId},${plain.itemId}` },
      });
      const [withModels, withoutModels] = base.json.response.item_list;
      expect(withModels).toMatchObject({ has_model: true, item_name: 'Cotton T-shirt', weight: '0.3' });
      expect(withModels).not.toHaveProperty('price_info');
      expect(withModels).not.toHaveProperty('stock_info_v2');
      expect(withoutModels.price_info[0]).toMatchObject({
        currency: 'SGD',
        original_price: 5.5,
        current_price: 5.5,
      });
      expect(withoutModels.stock_info_v2.summary_info.total_available_stock).toBe(3);

      const models = await call(sandbox, a, 'GET', '/api/v2/product/get_model_list', {
        query: { item_id: String(shirt.itemId) },
      });
      expect(models.json.response.tier_variation).toEqual([
        { name: 'Size', option_list: [{ option: 'M' }, { option: 'L' }] },
      ]);
      expect(models.json.response.model).toEqual([
        expect.objectContaining({
          tier_index: [0],
          model_sku: 'TSHIRT-M',
          price_info: [expect.objectContaining({ original_price: 19.9 })],
          stock_info_v2: expect.objectContaining({
            summary_info: { total_reserved_stock: 0, total_available_stock: 5 },
          }),
        }),
        expect.objectContaining({ tier_index: [1], model_sku: 'TSHIRT-L' }),
      ]);
    });
  });

  describe('batch writes', () => {
    it('update_stock fails only the entry with an unknown model_id, with error "" at the envelope', async () => {
      const a = app();
      const shirt = addShirt(a);
      const [medium] = shirt.models;
      const result = await call(sandbox, a, 'POST', '/api/v2/product/update_stock', {
        body: {
          item_id: Number(shirt.itemId),
          stock_list: [
            { model_id: Number(medium!.modelId), seller_stock: [{ stock: 40 }] },
            { model_id: 123, seller_stock: [{ stock: 9 }] },
          ],
        },
      });
      expect(result.status).toBe(200);
      expect(result.json.error).toBe('');
      expect(result.json.response.success_list).toEqual([{ model_id: Number(medium!.modelId), stock: 40 }]);
      expect(result.json.response.failure_list).toEqual([
        { model_id: 123, failed_reason: expect.any(String) },
      ]);
      expect(sandbox.getItem(shirt.itemId)?.models.map((model) => model.stock)).toEqual([40, 7]);
    });

    it('update_stock refuses more than 50 entries and an unknown item', async () => {
      const a = app();
      const plain = sandbox.addItem({ shopId: a.shopId, stock: 1 });
      const tooMany = await call(sandbox, a, 'POST', '/api/v2/product/update_stock', {
        body: {
          item_id: Number(plain.itemId),
          stock_list: Array.from({ length: 51 }, () => ({ seller_stock: [{ stock: 1 }] })),
        },
      });
      expect(tooMany.json.error).toBe('error_param');
      const unknown = await call(sandbox, a, 'POST', '/api/v2/product/update_stock', {
        body: { item_id: 1, stock_list: [{ seller_stock: [{ stock: 1 }] }] },
      });
      expect(unknown.json.error).toBe('error_not_found');
    });

    it('update_price keeps two decimals in SG and rounds to whole numbers in VN, exactly', async () => {
      const a = app();
      const shirt = addShirt(a);
      const sg = await call(sandbox, a, 'POST', '/api/v2/product/update_price', {
        body: {
          item_id: Number(shirt.itemId),
          price_list: [
            { model_id: Number(shirt.models[0]!.modelId), original_price: 0.1 + 0.2 },
            { model_id: Number(shirt.models[1]!.modelId), original_price: 0 },
          ],
        },
      });
      expect(sg.json.response.success_list).toEqual([
        { model_id: Number(shirt.models[0]!.modelId), original_price: 0.3 },
      ]);
      expect(sg.json.response.failure_list).toHaveLength(1);
      expect(sandbox.getItem(shirt.itemId)?.models[0]?.price).toBe('0.3');

      const vnShop = sandbox.addShop({ region: 'VN' });
      const vnTokens = sandbox.issueTokens({ partnerId: a.partnerId, shopId: vnShop.shopId });
      const vn = { ...a, shopId: vnShop.shopId, accessToken: vnTokens.accessToken };
      const item = sandbox.addItem({ shopId: vnShop.shopId, price: 100000, stock: 1 });
      const result = await call(sandbox, vn, 'POST', '/api/v2/product/update_price', {
        body: { item_id: Number(item.itemId), price_list: [{ original_price: 48000.6 }] },
      });
      expect(result.json.response.success_list).toEqual([{ model_id: 0, original_price: 48001 }]);
    });

    it('unlist_item relists and unlists per entry, failing unknown items only', async () => {
      const a = app();
      const plain = sandbox.addItem({ shopId: a.shopId });
      const result = await call(sandbox, a, 'POST', '/api/v2/product/unlist_item', {
        body: {
          item_list: [
            { item_id: Number(plain.itemId), unlist: true },
            { item_id: 5, unlist: true },
          ],
        },
      });
      expect(result.json.response.success_list).toEqual([{ item_id: Number(plain.itemId), unlist: true }]);
      expect(result.json.response.failure_list).toEqual([{ item_id: 5, failed_reason: 'Item not found.' }]);
      expect(sandbox.getItem(plain.itemId)?.status).toBe('UNLIST');
    });
  });

  describe('ids beyond 2^53', () => {
    it('writes seeded big item and model ids as exact integer literals', async () => {
      const a = app();
      addShirt(a, { itemId: BIG_ITEM_ID, modelIds: [BIG_MODEL_ID, BIG_MODEL_ID + 1n] });
      const list = await call(sandbox, a, 'GET', '/api/v2/product/get_item_list', {
        query: { offset: 0, page_size: 10, item_status: 'NORMAL' },
      });
      expect(list.text).toContain('"item_id":9007199254740993,');
      const models = await call(sandbox, a, 'GET', '/api/v2/product/get_model_list', {
        query: { item_id: BIG_ITEM_ID.toString() },
      });
      expect(models.text).toContain('"model_id":9223372036854775001,');
      expect(models.text).toContain('"model_id":9223372036854775002,');
    });

    it('reads big ids in a JSON body exactly (update_stock), and echoes them exactly', async () => {
      const a = app();
      addShirt(a, { itemId: BIG_ITEM_ID, modelIds: [BIG_MODEL_ID, BIG_MODEL_ID + 1n] });
      const body = `{"item_id":9007199254740993,"stock_list":[{"model_id":9223372036854775002,"seller_stock":[{"stock":3}]}]}`;
      const result = await call(sandbox, a, 'POST', '/api/v2/product/update_stock', { body });
      expect(result.json.error).toBe('');
      expect(result.text).toContain('"success_list":[{"model_id":9223372036854775002,"stock":3}]');
      expect(sandbox.getItem(BIG_ITEM_ID)?.models[1]?.stock).toBe(3);
      // The rounded id that a lossy client would send names a different (unknown) item.
      const lossy = `{"item_id":9007199254740992,"stock_list":[{"model_id":0,"seller_stock":[{"stock":3}]}]}`;
      expect(
        (await call(sandbox, a, 'POST', '/api/v2/product/update_stock', { body: lossy })).json.error,
      ).toBe('error_not_found');
    });

    it('generates ids from a configured source', async () => {
      let next = BIG_ITEM_ID;
      const local = createShopeeSandbox({ ids: { itemId: () => next++ } });
      const shop = local.addShop();
      expect(local.addItem({ shopId: shop.shopId }).itemId).toBe(BIG_ITEM_ID);
      expect(local.addItem({ shopId: shop.shopId }).itemId).toBe(BIG_ITEM_ID + 1n);
    });
  });

  describe('publishing', () => {
    it('upload_image → add_item → init_tier_variation creates a listing with models', async () => {
      const a = app();
      const form = new FormData();
      form.append(
        'image',
        new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0])], { type: 'image/png' }),
        'a.png',
      );
      const upload = await fetch(
        signedUrl(sandbox, a, '/api/v2/media_space/upload_image', {
          kind: 'public',
        }),
        { method: 'POST', body: form },
      );
      const imageId = (await upload.json()).response.image_info.image_id as string;

      const added = await call(sandbox, a, 'POST', '/api/v2/product/add_item', {
        body: {
          item_name: 'Cotton T-shirt',
          description: '100% cotton.',
          original_price: 59.9,
          weight: 0.3,
          category_id: 100017,
          image: { image_id_list: [imageId] },
          logistic_info: [{ logistic_id: 18080, enabled: true }],
          seller_stock: [{ stock: 25 }],
        },
      });
      expect(added.json.error).toBe('');
      const itemId = added.json.response.item_id as number;
      expect(added.json.response.price_info).toEqual({ original_price: 59.9, current_price: 59.9 });

      const tiers = await call(sandbox, a, 'POST', '/api/v2/product/init_tier_variation', {
        body: {
          item_id: itemId,
          tier_variation: [{ name: 'Size', option_list: [{ option: 'M' }, { option: 'L' }] }],
          model: [
            { tier_index: [0], original_price: 59.9, model_sku: 'M', seller_stock: [{ stock: 10 }] },
            { tier_index: [1], original_price: 62.9, model_sku: 'L', seller_stock: [{ stock: 15 }] },
          ],
        },
      });
      expect(tiers.json.error).toBe('');
      const stored = sandbox.getItem(itemId);
      expect(stored?.models.map((model) => [model.sku, model.price, model.stock])).toEqual([
        ['M', '59.9', 10],
        ['L', '62.9', 15],
      ]);
    });

    it('add_item names every missing required field', async () => {
      const result = await call(sandbox, app(), 'POST', '/api/v2/product/add_item', {
        body: { item_name: 'x' },
      });
      expect(result.json.error).toBe('error_param');
      for (const field of [
        'original_price',
        'description',
        'weight',
        'category_id',
        'image',
        'logistic_info',
      ]) {
        expect(result.json.message).toContain(field);
      }
    });

    it('update_item changes only the fields sent and echoes the item', async () => {
      const a = app();
      const shirt = addShirt(a);
      sandbox.clock.advance(5_000);
      const updated = await call(sandbox, a, 'POST', '/api/v2/product/update_item', {
        body: { item_id: Number(shirt.itemId), item_name: 'Linen T-shirt', weight: 0.25, condition: 'USED' },
      });
      expect(updated.json.error).toBe('');
      expect(updated.json.response).toMatchObject({
        item_id: Number(shirt.itemId),
        item_name: 'Linen T-shirt',
        item_sku: 'TSHIRT',
        weight: 0.25,
        condition: 'USED',
      });
      const stored = sandbox.getItem(shirt.itemId);
      expect(stored).toMatchObject({
        name: 'Linen T-shirt',
        sku: 'TSHIRT',
        weight: '0.25',
        condition: 'USED',
      });
      expect(stored?.updateTime).toBe(shirt.updateTime + 5);
      // Models, prices and stock are left as they were.
      expect(stored?.models.map((model) => [model.sku, model.price, model.stock])).toEqual([
        ['TSHIRT-M', '19.9', 5],
        ['TSHIRT-L', '21.5', 7],
      ]);

      const cleared = await call(sandbox, a, 'POST', '/api/v2/product/update_item', {
        body: { item_id: Number(shirt.itemId), item_sku: '' },
      });
      expect(cleared.json.error).toBe('');
      expect(sandbox.getItem(shirt.itemId)?.sku).toBe('');
    });

    it('update_item refuses price, stock and model fields, pointing to the API that changes them', async () => {
      const a = app();
      const shirt = addShirt(a);
      for (const [field, value, api] of [
        ['original_price', 30, 'update_price'],
        ['seller_stock', [{ stock: 3 }], 'update_stock'],
        ['model', [], 'init_tier_variation'],
      ] as const) {
        const result = await call(sandbox, a, 'POST', '/api/v2/product/update_item', {
          body: { item_id: Number(shirt.itemId), [field]: value },
        });
        expect(result.json.error).toBe('error_param');
        expect(result.json.message).toContain(api);
      }
      expect(sandbox.getItem(shirt.itemId)?.models[0]?.price).toBe('19.9');
    });

    it('update_item names bad fields, and answers error_not_found for a missing or deleted item', async () => {
      const a = app();
      const shirt = addShirt(a);
      const bad = await call(sandbox, a, 'POST', '/api/v2/product/update_item', {
        body: { item_id: Number(shirt.itemId), item_name: '', weight: -1 },
      });
      expect(bad.json.error).toBe('error_param');
      expect(bad.json.message).toContain('item_name');
      expect(bad.json.message).toContain('weight');
      const missingId = await call(sandbox, a, 'POST', '/api/v2/product/update_item', {
        body: { item_name: 'x' },
      });
      expect(missingId.json.error).toBe('error_param');
      expect(missingId.json.message).toContain('item_id');
      const channel = await call(sandbox, a, 'POST', '/api/v2/product/update_item', {
        body: { item_id: Number(shirt.itemId), logistic_info: [{ logistic_id: 1, enabled: true }] },
      });
      expect(channel.json.error).toBe('error_param');

      const unknown = await call(sandbox, a, 'POST', '/api/v2/product/update_item', {
        body: { item_id: 123456789, item_name: 'x' },
      });
      expect(unknown.json.error).toBe('error_not_found');
      await call(sandbox, a, 'POST', '/api/v2/product/delete_item', {
        body: { item_id: Number(shirt.itemId) },
      });
      const deleted = await call(sandbox, a, 'POST', '/api/v2/product/update_item', {
        body: { item_id: Number(shirt.itemId), item_name: 'x' },
      });
      expect(deleted.json.error).toBe('error_not_found');
      expect(sandbox.getItem(shirt.itemId)?.name).toBe('Cotton T-shirt');
    });

    it('upload_image refuses a file that is not JPG or PNG', async () => {
      const form = new FormData();
      form.append('image', new Blob(['GIF89a'], { type: 'image/gif' }), 'a.gif');
      const response = await fetch(
        signedUrl(sandbox, app(), '/api/v2/media_space/upload_image', { kind: 'public' }),
        {
          method: 'POST',
          body: form,
        },
      );
      expect((await response.json()).error).toBe('error_param');
    });
  });
});
