import * as z from 'zod/mini';
import { type MarketplaceId, MlhError } from './errors';

/** File formats a shipping label comes in: PDF for any printer, ZPL for thermal printers. */
export type ShippingLabelFormat = 'pdf' | 'zpl';

/** One file: a label, or a document that came with it. */
export interface LabelFile {
  /** `application/pdf`, `text/plain` (ZPL), `text/html`, `image/png`, … */
  contentType: string;
  bytes: Uint8Array;
  /** The name the marketplace gave the file, when it gave one (inside a ZIP, or `Content-Disposition`). */
  fileName?: string | undefined;
}

/**
 * A shipping label (or another shipping document) of one shipment, downloaded: the bytes to
 * print or store. Marketplaces' download links expire; keep the bytes, never the link.
 */
export interface ShippingLabel extends LabelFile {
  marketplace: MarketplaceId;
  /** The shipment (package) the label is for, as `getShipment` takes it. */
  shipmentId: string;
  format: ShippingLabelFormat;
  /**
   * Files that came with the label in the same download, e.g. the content declaration PDF of a
   * Brazilian Shopee thermal label; empty when there were none.
   */
  attachments: LabelFile[];
  /** What the marketplace said about the document (type, tracking number, ...), as it said it. */
  raw: Record<string, unknown>;
}

/** Options of `MarketplaceClient.getShippingLabel`. */
export interface ShippingLabelOptions {
  /** Default `pdf`. `zpl` only where `capabilities.shippingLabels` lists it. */
  format?: ShippingLabelFormat | undefined;
  /** Marketplace-specific choices (document type, size, …); each adapter's guide lists them. */
  marketplaceFields?: Record<string, unknown> | undefined;
  signal?: AbortSignal | undefined;
}

/** Checks {@link ShippingLabelOptions} before any request (a bad format names the field). */
export const ShippingLabelOptionsSchema = /* @__PURE__ */ (() =>
  z.looseObject({
    format: z.optional(z.enum(['pdf', 'zpl'])),
    marketplaceFields: z.optional(z.record(z.string(), z.unknown())),
    signal: z.optional(z.custom<AbortSignal>((value) => value instanceof AbortSignal)),
  }))();

/** Content type of each label format. */
export const LABEL_CONTENT_TYPES: Readonly<Record<ShippingLabelFormat, string>> = Object.freeze({
  pdf: 'application/pdf',
  zpl: 'text/plain',
});

const startsWith = (bytes: Uint8Array, ascii: string): boolean =>
  bytes.length >= ascii.length && [...ascii].every((char, i) => bytes[i] === char.charCodeAt(0));

/**
 * What a downloaded file is, from its first bytes (the marketplaces' `Content-Type` is not always
 * right): `pdf`, `zip`, `zpl` (starts with `^XA`, maybe after whitespace), `png`, `html`, or
 * `unknown`.
 *
 * @example
 * sniffFile(new TextEncoder().encode('%PDF-1.7 ...')) // 'pdf'
 */
export function sniffFile(bytes: Uint8Array): 'pdf' | 'zip' | 'zpl' | 'png' | 'html' | 'unknown' {
  if (startsWith(bytes, '%PDF')) return 'pdf';
  if (startsWith(bytes, 'PK\u0003\u0004')) return 'zip';
  if (bytes[0] === 0x89 && startsWith(bytes.subarray(1), 'PNG')) return 'png';
  const head = new TextDecoder().decode(bytes.subarray(0, 64)).trimStart();
  if (head.startsWith('^XA') || head.startsWith('~')) return 'zpl';
  if (/^<(!doctype html|html)/i.test(head)) return 'html';
  return 'unknown';
}

/** One entry of a ZIP archive. */
export interface ZipEntry {
  fileName: string;
  bytes: Uint8Array;
}

function zipError(message: string, marketplace: MarketplaceId | undefined): MlhError {
  return new MlhError(`Unreadable ZIP archive: ${message}`, { marketplace, code: 'malformed_archive' });
}

async function inflateRaw(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Reads the files of a ZIP archive (stored or deflated entries), through the central directory.
 * Labels in ZPL come zipped (Mercado Livre `zpl2`, Shopee thermal air waybills). Runs wherever
 * `DecompressionStream('deflate-raw')` does (Node ≥ 20.12, Bun, Deno, Workers, browsers).
 *
 * @example
 * const [zpl] = (await readZip(bytes)).filter((entry) => entry.fileName.endsWith('.txt'));
 */
export async function readZip(bytes: Uint8Array, marketplace?: MarketplaceId): Promise<ZipEntry[]> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record: the last 22 bytes, plus a comment of up to 64 KiB.
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) throw zipError('no end of central directory', marketplace);
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const decoder = new TextDecoder();
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) {
      throw zipError(`bad central directory entry ${i}`, marketplace);
    }
    const method = view.getUint16(at + 10, true);
    const compressedSize = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const localAt = view.getUint32(at + 42, true);
    const fileName = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
    if (fileName.endsWith('/')) continue;
    if (localAt + 30 > bytes.length || view.getUint32(localAt, true) !== 0x04034b50) {
      throw zipError(`bad local header of ${fileName}`, marketplace);
    }
    const dataAt = localAt + 30 + view.getUint16(localAt + 26, true) + view.getUint16(localAt + 28, true);
    const data = bytes.subarray(dataAt, dataAt + compressedSize);
    if (data.length !== compressedSize) throw zipError(`${fileName} is truncated`, marketplace);
    if (method === 0) entries.push({ fileName, bytes: data.slice() });
    else if (method === 8) entries.push({ fileName, bytes: await inflateRaw(data) });
    else throw zipError(`${fileName} uses compression method ${method}`, marketplace);
  }
  return entries;
}

const TYPE_BY_KIND: Record<string, string> = {
  pdf: 'application/pdf',
  zpl: 'text/plain',
  png: 'image/png',
  html: 'text/html',
};

/** A file's content type: from its bytes when they say, else from its name, else the fallback. */
export function labelContentType(
  bytes: Uint8Array,
  fileName?: string,
  fallback = 'application/octet-stream',
) {
  const kind = sniffFile(bytes);
  if (TYPE_BY_KIND[kind]) return TYPE_BY_KIND[kind];
  if (fileName && /\.(zpl|txt)$/i.test(fileName)) return 'text/plain';
  if (fileName && /\.pdf$/i.test(fileName)) return 'application/pdf';
  return fallback;
}

/**
 * Turns a downloaded label file into the label and its attachments: a ZIP is opened and its
 * entry in the asked format (the ZPL text, or the PDF) becomes the label, the other entries its
 * attachments; any other file is the label itself. Throws when the file holds no label in the
 * asked format (a marketplace that sent a PDF for a ZPL request, say), naming what it did hold.
 */
export async function unpackLabelFile(
  file: { bytes: Uint8Array; fileName?: string | undefined },
  format: ShippingLabelFormat,
  marketplace: MarketplaceId,
): Promise<{ label: LabelFile; attachments: LabelFile[] }> {
  const files: LabelFile[] =
    sniffFile(file.bytes) === 'zip'
      ? (await readZip(file.bytes, marketplace)).map((entry) => ({
          fileName: entry.fileName,
          bytes: entry.bytes,
          contentType: labelContentType(entry.bytes, entry.fileName),
        }))
      : [{ ...file, contentType: labelContentType(file.bytes, file.fileName) }];
  const wanted = LABEL_CONTENT_TYPES[format];
  const index = files.findIndex((candidate) => candidate.contentType === wanted);
  if (index < 0) {
    const held = files.map((candidate) => candidate.fileName ?? candidate.contentType).join(', ');
    throw new MlhError(
      `The ${marketplace} label download holds no ${format.toUpperCase()} file (it holds ${held})`,
      {
        marketplace,
        code: 'label_format_missing',
      },
    );
  }
  const label = files[index] as LabelFile;
  return { label, attachments: files.filter((_, i) => i !== index) };
}
