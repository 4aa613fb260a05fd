import { crc32, deflateRawSync } from 'node:zlib';
import {
  createTransport,
  MlhError,
  NotFoundError,
  ResponseTooLargeError,
  readZip,
  sniffFile,
  unpackLabelFile,
} from '@mlh/core';
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

const encoder = new TextEncoder();
const labelPdf = (line: string) => encoder.encode(`%PDF-1.4\n% ${line}\n%%EOF\n`);
const labelZpl = (line: string) => encoder.encode(`^XA\n^FO40,40^FD${line}^FS\n^XZ\n`);

/** A ZIP archive written here, independently of the reader: entries stored or deflated (zlib). */
function zipArchive(files: { name: string; bytes: Uint8Array; deflate?: boolean }[]): Uint8Array {
  const parts: number[] = [];
  const central: number[] = [];
  const u16 = (out: number[], value: number) => out.push(value & 0xff, (value >>> 8) & 0xff);
  const u32 = (out: number[], value: number) => {
    u16(out, value & 0xffff);
    u16(out, value >>> 16);
  };
  for (const file of files) {
    const name = encoder.encode(file.name);
    const data = file.deflate ? deflateRawSync(file.bytes) : file.bytes;
    const offset = parts.length;
    const header = (out: number[], signature: number) => {
      u32(out, signature);
      if (signature === 0x02014b50) u16(out, 20);
      u16(out, 20);
      u16(out, 0);
      u16(out, file.deflate ? 8 : 0);
      u32(out, 0);
      u32(out, crc32(file.bytes));
      u32(out, data.length);
      u32(out, file.bytes.length);
      u16(out, name.length);
      u16(out, 0);
    };
    header(parts, 0x04034b50);
    parts.push(...name, ...data);
    header(central, 0x02014b50);
    u16(central, 0);
    u16(central, 0);
    u16(central, 0);
    u32(central, 0);
    u32(central, offset);
    central.push(...name);
  }
  const end: number[] = [];
  u32(end, 0x06054b50);
  u16(end, 0);
  u16(end, 0);
  u16(end, files.length);
  u16(end, files.length);
  u32(end, central.length);
  u32(end, parts.length);
  u16(end, 0);
  return new Uint8Array([...parts, ...central, ...end]);
}

describe('file downloads through the transport', () => {
  it('returns the body as bytes, exactly as sent, with its content type', async () => {
    const pdf = labelPdf('shipment 42');
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
    expect(sniffFile(labelPdf('x'))).toBe('pdf');
    expect(sniffFile(labelZpl('x'))).toBe('zpl');
    expect(sniffFile(zipArchive([{ name: 'a.txt', bytes: labelZpl('x') }]))).toBe('zip');
  });

  it('reads stored and deflated ZIP entries', async () => {
    const zpl = labelZpl(`shipment 42 ${'x'.repeat(300)}`);
    const stored = await readZip(zipArchive([{ name: 'Etiqueta.txt', bytes: zpl }]));
    const deflated = await readZip(zipArchive([{ name: 'Etiqueta.txt', bytes: zpl, deflate: true }]));
    expect(stored).toEqual([{ fileName: 'Etiqueta.txt', bytes: zpl }]);
    expect(deflated).toEqual([{ fileName: 'Etiqueta.txt', bytes: zpl }]);
  });

  it('takes the label in the asked format out of a ZIP and keeps the other files as attachments', async () => {
    const zip = zipArchive([
      { name: 'declaracao.pdf', bytes: labelPdf('content declaration') },
      { name: 'label.txt', bytes: labelZpl('shipment 42') },
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
    const failure = unpackLabelFile({ bytes: labelPdf('x'), fileName: 'a.pdf' }, 'zpl', 'tiktok');
    await expect(failure).rejects.toThrow(MlhError);
    await expect(failure).rejects.toThrow('holds no ZPL file (it holds a.pdf)');
  });

  it('refuses a truncated archive with a typed error', async () => {
    const zip = zipArchive([{ name: 'label.txt', bytes: labelZpl('x') }]);
    await expect(readZip(zip.subarray(0, 20))).rejects.toThrow('Unreadable ZIP archive');
  });
});
