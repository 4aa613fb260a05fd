import { type FieldIssue, MlhError, ValidationError } from '@mlh/core';
import { type ShopeeImageInfo, ShopeeUploadImageResponse } from '../schemas';
import { callShopee, SHOPEE, SHOPEE_LIMITS, type ShopeeScope } from '../transport';

/**
 * `media_space` image upload. It is a **Public** API: signed with the partner key only, no
 * access token and no shop id. Shopee does not take URLs: send the bytes.
 */

/** One image file to upload: JPG/JPEG or PNG, at most 10 MB. */
export interface ShopeeImageFile {
  data: Blob | Uint8Array | ArrayBuffer;
  /** File name sent in the form; default `image.jpg` / `image.png` by content. */
  fileName?: string | undefined;
}

/** Options of {@link uploadImages}. */
export interface UploadImageOptions {
  /** `normal` (product image, made square; default) or `desc` (description image, kept as is). */
  scene?: 'normal' | 'desc' | undefined;
  /** `1:1` (default) or `3:4` (whitelisted sellers). */
  ratio?: '1:1' | '3:4' | undefined;
}

/** The outcome of one uploaded file. */
export type ShopeeImageUploadResult =
  | { ok: true; imageInfo: ShopeeImageInfo }
  | { ok: false; error: string; message: string };

function sniffType(bytes: Uint8Array): 'image/jpeg' | 'image/png' | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  return undefined;
}

async function toBytes(data: ShopeeImageFile['data']): Promise<Uint8Array> {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(await data.arrayBuffer());
}

/**
 * `POST /api/v2/media_space/upload_image` with 1–8 files (multipart field `image`, repeated).
 * Checks type (JPG/PNG by content) and size (≤ 10 MB) before sending. Results are in file order.
 */
export async function uploadImages(
  scope: Pick<ShopeeScope, 'transport' | 'signal'> & { accountId?: string | undefined },
  files: readonly ShopeeImageFile[],
  options: UploadImageOptions = {},
): Promise<ShopeeImageUploadResult[]> {
  const issues: FieldIssue[] = [];
  if (files.length === 0 || files.length > SHOPEE_LIMITS.uploadImageFiles) {
    issues.push({ path: 'files', message: `1..${SHOPEE_LIMITS.uploadImageFiles} files per call` });
  }
  const form = new FormData();
  for (const [index, file] of files.entries()) {
    const bytes = await toBytes(file.data);
    const type = sniffType(bytes);
    if (!type) issues.push({ path: `files.${index}.data`, message: 'must be a JPG or PNG image' });
    if (bytes.byteLength > SHOPEE_LIMITS.uploadImageBytes) {
      issues.push({ path: `files.${index}.data`, message: 'must be at most 10 MB' });
    }
    const name = file.fileName ?? (type === 'image/png' ? 'image.png' : 'image.jpg');
    form.append(
      'image',
      new Blob([bytes as Uint8Array<ArrayBuffer>], { type: type ?? 'application/octet-stream' }),
      name,
    );
  }
  if (issues.length > 0)
    throw new ValidationError('Invalid Shopee image upload', issues, { marketplace: SHOPEE });
  if (options.scene) form.append('scene', options.scene);
  if (options.ratio) form.append('ratio', options.ratio);

  const { response } = await callShopee(
    scope.transport,
    {
      method: 'POST',
      path: '/api/v2/media_space/upload_image',
      body: form,
      accountId: scope.accountId,
      // The same bytes upload to the same result; repeating costs nothing but space.
      idempotent: true,
      operation: 'media_space.upload_image',
      signal: scope.signal,
    },
    ShopeeUploadImageResponse,
  );
  if (response.image_info_list && response.image_info_list.length > 0) {
    return files.map((_, index) => {
      const entry = response.image_info_list?.find((candidate) => Number(candidate.id) === index);
      if (entry?.image_info && !entry.error) return { ok: true, imageInfo: entry.image_info };
      return {
        ok: false,
        error: entry?.error || 'missing',
        message: entry?.message || 'no result for this file',
      };
    });
  }
  if (response.image_info && files.length === 1) return [{ ok: true, imageInfo: response.image_info }];
  throw new MlhError('Shopee upload_image answered without image_info', {
    marketplace: SHOPEE,
    code: 'malformed_response',
  });
}

/**
 * Uploads one product image and returns its `image_id` (for `add_item` / `update_item`) and URLs.
 *
 * @example
 * const { image_id } = await uploadImage({ transport }, { data: await readFile('mug.jpg') });
 */
export async function uploadImage(
  scope: Pick<ShopeeScope, 'transport' | 'signal'> & { accountId?: string | undefined },
  file: ShopeeImageFile,
  options: UploadImageOptions = {},
): Promise<ShopeeImageInfo> {
  const [result] = await uploadImages(scope, [file], options);
  if (!result?.ok) {
    throw new ValidationError(
      'Shopee refused the image',
      [
        {
          path: 'file',
          message: result ? `${result.error}: ${result.message}` : 'no result',
          ...(result ? { code: result.error } : {}),
        },
      ],
      { marketplace: SHOPEE },
    );
  }
  return result.imageInfo;
}
