import { ValidationError } from '@mlh/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fakeShopee, makeShopee, rejectionOf, SHOP_ID } from './support';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]);

describe('image upload to the media space', () => {
  it('is a Public call: multipart field "image", no access token, no shop id', async () => {
    const { shopee } = await makeShopee();
    const fake = fakeShopee(server, {
      '/api/v2/media_space/upload_image': () => ({
        image_info: {
          image_id: 'sg-11134201-7r98o-abcdef',
          image_url_list: [{ image_url_region: 'SG', image_url: 'https://cf.shopee.sg/file/abc' }],
        },
      }),
    });
    const info = await shopee.forShop(SHOP_ID).media.uploadImage({ data: JPEG }, { scene: 'normal' });
    expect(info.image_id).toBe('sg-11134201-7r98o-abcdef');
    const [request] = fake.received;
    expect(request?.query.has('access_token')).toBe(false);
    expect(request?.query.has('shop_id')).toBe(false);
    expect(request?.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(request?.body).toContain('name="image"; filename="image.jpg"');
    expect(request?.body).toContain('name="scene"');
  });

  it('refuses a file that is not a JPG or PNG before sending', async () => {
    const { shopee } = await makeShopee();
    const fake = fakeShopee(server, {});
    const error = await rejectionOf(
      shopee
        .forShop(SHOP_ID)
        .media.uploadImages([{ data: JPEG }, { data: new TextEncoder().encode('GIF89a') }]),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['files.1.data']);
    expect(fake.received).toHaveLength(0);
  });

  it('reports each file of a multi-file upload', async () => {
    const { shopee } = await makeShopee();
    fakeShopee(server, {
      '/api/v2/media_space/upload_image': () => ({
        image_info_list: [
          { id: 0, error: '', message: '', image_info: { image_id: 'a' } },
          { id: 1, error: 'error_image_size', message: 'too small' },
        ],
      }),
    });
    const results = await shopee.forShop(SHOP_ID).media.uploadImages([{ data: JPEG }, { data: JPEG }]);
    expect(results).toEqual([
      { ok: true, imageInfo: { image_id: 'a' } },
      { ok: false, error: 'error_image_size', message: 'too small' },
    ]);
  });
});
