import { deflateRawSync } from 'node:zlib';
import {
  createTransport,
  MlhError,
  NotFoundError,
  ResponseTooLargeError,
  readZip,
  sniffFile,
  unpackLabelFile,
} from '@mlh/core';
import { labelPdf, labelZpl, zipArchive } from '@mlh/testing';
import { describe, expect, it } from 'vitest';
import { fakeFetch, json } from './support';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function transportAnswering(answer: Parameters<typeof fakeFetch>[0], maxResponseBytes?: number) {
  const fake = fakeFetch(answer);
  const transport = createTransport({
    marketplace: 'meli',
    baseUrl: 'https://api.example.com',
    fetch: fake.fetch,
    retry: false,
    ...(maxResponseBytes ? { maxResponseBytes } : {}),
    mapError: (context) =>
      typeof context.json === 'object' && context.json !== null && 'error' in context.json
        ? new NotFoundError(String((context.json as { error: unknown }).error), { marketplace: 'meli' })
        : undefined,
  });
  return { transport, ...fake };
}

/** A ZIP whose one entry is deflated (what real archives use), built with zlib. */
function deflatedZip(name: string, content: Uint8Array): Uint8Array {
  const stored = zipArchive([{ name, bytes: content }]);
  const view = new DataView(stored.buffer);
  const compressed = deflateRawSync(content);
  const nameBytes = new TextEncoder().encode(name);
  const local = new Uint8Array(30 + nameBytes.length + compressed.length);
  local.set(stored.subarray(0, 30 + nameBytes.length));
  local.set(compressed, 30 + nameBytes.length);
  const lv = new DataView(local.buffer);
  lv.setUint16(8, 8, true);
  lv.setUint32(18, compressed.length, true);
  const centralAt = 30 + nameBytes.length + content.length;
  const central = stored.slice(centralAt, centralAt + 46 + nameBytes.length);
  const cv = new DataView(central.buffer);
  cv.setUint16(10, 8, true);
  cv.setUint32(20, compressed.length, true);
  const end = stored.slice(stored.length - 22);
  const ev = new DataView(end.buffer);
  ev.setUint32(16, local.length, true);
  expect(view.getUint32(0, true)).toBe(0x04034b50);
  return new Uint8Array([...local, ...central, ...end]);
}

describe('file downloads through the transport', () => {
  it('returns the body as bytes, exactly as sent, with its content type', async () => {
    const pdf = labelPdf(['shipment 42']);
    const { transport, requests } = transportAnswering(
      () => new Response(pdf as Uint8Array<ArrayBuffer>, { headers: { 'content-type': 'application/pdf' } }),
    );
    const response = await transport.request({ method: 'GET', path: '/labels/42', responseType: 'bytes' });
    expect(response.bytes).toEqual(pdf);
    expect(response.data).toEqual(pdf);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(requests[0]?.headers.get('accept')).toBe('*/*');
  });

  it('still maps a JSON error sent in place of the file', async () => {
    const { transport } = transportAnswering(() => json({ error: 'not_printable_status' }, { status: 400 }));
    const failure = transport.request({ method: 'GET', path: '/labels/42', responseType: 'bytes' });
    await expect(failure).rejects.toThrow(NotFoundError);
    await expect(failure).rejects.toThrow('not_printable_status');
  });

  it('keeps the response size cap for files', async () => {
    const { transport } = transportAnswering(
      () => new Response(new Uint8Array(4096), { headers: { 'content-type': 'application/pdf' } }),
      1024,
    );
    await expect(
      transport.request({ method: 'GET', path: '/labels/42', responseType: 'bytes' }),
    ).rejects.toThrow(ResponseTooLargeError);
  });
});

describe('label files', () => {
  it('recognises PDF, ZPL and ZIP by their first bytes', () => {
    expect(sniffFile(labelPdf(['x']))).toBe('pdf');
    expect(sniffFile(labelZpl(['x']))).toBe('zpl');
    expect(sniffFile(zipArchive([{ name: 'a.txt', bytes: labelZpl(['x']) }]))).toBe('zip');
  });

  it('reads stored and deflated ZIP entries', async () => {
    const zpl = labelZpl(['shipment 42', 'x'.repeat(300)]);
    const stored = await readZip(zipArchive([{ name: 'Etiqueta.txt', bytes: zpl }]));
    const deflated = await readZip(deflatedZip('Etiqueta.txt', zpl));
    expect(stored).toEqual([{ fileName: 'Etiqueta.txt', bytes: zpl }]);
    expect(deflated).toEqual([{ fileName: 'Etiqueta.txt', bytes: zpl }]);
  });

  it('takes the label in the asked format out of a ZIP and keeps the other files as attachments', async () => {
    const zip = zipArchive([
      { name: 'declaracao.pdf', bytes: labelPdf(['content declaration']) },
      { name: 'label.txt', bytes: labelZpl(['shipment 42']) },
    ]);
    const { label, attachments } = await unpackLabelFile({ bytes: zip }, 'zpl', 'shopee');
    expect(label.contentType).toBe('text/plain');
    expect(label.fileName).toBe('label.txt');
    expect(text(label.bytes)).toContain('shipment 42');
    expect(attachments.map((file) => [file.fileName, file.contentType])).toEqual([
      ['declaracao.pdf', 'application/pdf'],
    ]);
  });

  it('refuses a download that holds no label in the asked format, saying what it held', async () => {
    const failure = unpackLabelFile({ bytes: labelPdf(['x']), fileName: 'a.pdf' }, 'zpl', 'tiktok');
    await expect(failure).rejects.toThrow(MlhError);
    await expect(failure).rejects.toThrow('holds no ZPL file (it holds a.pdf)');
  });

  it('refuses a truncated archive with a typed error', async () => {
    const zip = zipArchive([{ name: 'label.txt', bytes: labelZpl(['x']) }]);
    await expect(readZip(zip.subarray(0, 20))).rejects.toThrow('Unreadable ZIP archive');
  });
});
