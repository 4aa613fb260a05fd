import { randomHex } from '../shared/random';
import { imageUrl } from './api-product';
import type { ShopeeEndpoint } from './context';
import { envelopeResponse, ShopeeApiError } from './envelope';
import type { JsonWritable } from './json';
import { readForm } from './params';
import { REGION_CURRENCY } from './state';

/** Upload limits of `media_space/upload_image` (reference §5.10). */
export const SHOPEE_IMAGE_LIMITS = { maxFiles: 8, maxBytes: 10 * 1024 * 1024 } as const;

function isJpegOrPng(bytes: Uint8Array): boolean {
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const png = bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  return jpeg || png;
}

type ImageOutcome = { ok: true; info: JsonWritable } | { ok: false; error: string; message: string };

/** `POST /api/v2/media_space/upload_image`: a Public API taking multipart field `image`. */
export const mediaEndpoints: Record<string, ShopeeEndpoint> = {
  '/api/v2/media_space/upload_image': {
    method: 'POST',
    kind: 'public',
    body: 'multipart',
    async handle(call, context) {
      const form = await readForm(call, 'The body should be multipart/form-data with an image field.');
      const files = form.getAll('image').filter((entry): entry is File => typeof entry !== 'string');
      if (files.length === 0) throw new ShopeeApiError('error_param', 'image is required.');
      if (files.length > SHOPEE_IMAGE_LIMITS.maxFiles) {
        throw new ShopeeApiError(
          'error_param',
          `At most ${SHOPEE_IMAGE_LIMITS.maxFiles} images per request.`,
        );
      }
      const scene = String(form.get('scene') ?? 'normal');
      const ratio = String(form.get('ratio') ?? '1:1');
      if (scene !== 'normal' && scene !== 'desc')
        throw new ShopeeApiError('error_param', 'scene should be normal or desc.');
      if (ratio !== '1:1' && ratio !== '3:4')
        throw new ShopeeApiError('error_param', 'ratio should be 1:1 or 3:4.');

      const outcomes: ImageOutcome[] = [];
      for (const file of files) {
        const bytes = new Uint8Array(await file.arrayBuffer());
        if (bytes.byteLength > SHOPEE_IMAGE_LIMITS.maxBytes) {
          outcomes.push({ ok: false, error: 'error_param', message: 'The image is larger than 10 MB.' });
          continue;
        }
        if (!isJpegOrPng(bytes)) {
          outcomes.push({
            ok: false,
            error: 'error_param',
            message: 'Only JPG, JPEG and PNG images are accepted.',
          });
          continue;
        }
        const imageId = `sg-11134201-${randomHex(24)}`;
        context.state.images.set(imageId, {
          imageId,
          partnerId: call.partner.partnerId,
          scene,
          ratio,
          bytes: bytes.byteLength,
        });
        outcomes.push({
          ok: true,
          info: {
            image_id: imageId,
            image_url_list: Object.keys(REGION_CURRENCY).map((region) => ({
              image_url_region: region,
              image_url: imageUrl(imageId, region),
            })),
          },
        });
      }
      if (files.length === 1) {
        const [only] = outcomes;
        if (only && !only.ok) throw new ShopeeApiError(only.error, only.message);
        return envelopeResponse({ image_info: only?.ok ? only.info : undefined });
      }
      return envelopeResponse({
        image_info_list: outcomes.map((outcome, index) =>
          outcome.ok
            ? { id: index, error: '', message: '', image_info: outcome.info }
            : { id: index, error: outcome.error, message: outcome.message },
        ),
      });
    },
  },
};
