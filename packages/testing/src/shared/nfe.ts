/*
 * Brazilian NF-e, as the marketplaces check it: the 44-character access key with its modulo-11
 * check digit, and the few fields of the authorised XML (`<nfeProc>`) they read. Written from the
 * NF-e layout, independently of the SDK's own reader.
 */

/** What a sandbox reads from an uploaded NF-e XML. */
export interface NfeDocument {
  accessKey: string | undefined;
  model: string | undefined;
  series: string | undefined;
  number: string | undefined;
  /** `dhEmi` in epoch ms, when it parses. */
  issuedAtMs: number | undefined;
  /** `vNF` and `vProd` of the totals group, as written. */
  total: string | undefined;
  productsTotal: string | undefined;
  cfop: string | undefined;
  /** SEFAZ status: `100` authorised. */
  authorizationStatus: string | undefined;
  /** `1` production, `2` homologation. */
  environment: string | undefined;
}

function keyDigit(first43: string): string {
  let sum = 0;
  for (let index = 0; index < 43; index += 1) {
    const weight = ((42 - index) % 8) + 2;
    sum += (first43.charCodeAt(index) - 48) * weight;
  }
  const remainder = sum % 11;
  return String(remainder < 2 ? 0 : 11 - remainder);
}

/** Why `key` is not an NF-e access key, or `undefined` when it is one (letters allowed in the CNPJ positions). */
export function nfeKeyProblem(key: string): string | undefined {
  if (key.length !== 44) return 'access_key must be 44 characters in length.';
  if (!/^\d{6}[0-9A-Z]{14}\d{24}$/.test(key)) return 'Invalid access key..';
  if (keyDigit(key.slice(0, 43)) !== key.charAt(43)) return 'Invalid access key..';
  return undefined;
}

function tag(xml: string, name: string): string | undefined {
  const match = new RegExp(`<(?:\\w+:)?${name}(?:\\s[^>]*)?>([^<]*)</(?:\\w+:)?${name}>`).exec(xml);
  return match?.[1]?.trim() || undefined;
}

/** Reads an NF-e XML the way the sandboxes check it; `undefined` when it is not an NF-e at all. */
export function readNfe(xml: string): NfeDocument | undefined {
  if (!/<(?:\w+:)?(nfeProc|NFe)[\s>]/.test(xml)) return undefined;
  const totals = /<(?:\w+:)?ICMSTot>[\s\S]*?<\/(?:\w+:)?ICMSTot>/.exec(xml)?.[0] ?? '';
  const issued = tag(xml, 'dhEmi');
  const issuedAtMs = issued === undefined ? undefined : Date.parse(issued);
  return {
    accessKey: tag(xml, 'chNFe') ?? /infNFe[^>]*\sId="NFe([0-9A-Z]{44})"/.exec(xml)?.[1],
    model: tag(xml, 'mod'),
    series: tag(xml, 'serie'),
    number: tag(xml, 'nNF'),
    issuedAtMs: issuedAtMs === undefined || Number.isNaN(issuedAtMs) ? undefined : issuedAtMs,
    total: tag(totals, 'vNF'),
    productsTotal: tag(totals, 'vProd'),
    cfop: tag(xml, 'CFOP'),
    authorizationStatus: tag(xml, 'cStat'),
    environment: tag(xml, 'tpAmb'),
  };
}

/** Input of {@link sampleNfe}. */
export interface SampleNfeInput {
  /** Issuer CNPJ, 14 digits. Default `12345678000195`. */
  issuerCnpj?: string;
  /** IBGE state code. Default `35` (São Paulo). */
  stateCode?: string;
  number?: number;
  series?: number;
  /** Default: now. */
  issuedAt?: Date;
  /** `vNF`, a decimal string. Default `100.00`. */
  total?: string;
  productsTotal?: string;
  cfop?: string;
  /** Default `55`. */
  model?: string;
  /** Default `100` (authorised). */
  authorizationStatus?: string;
  /** Default `1` (production). */
  environment?: string;
  /** The buyer's CPF on the note. */
  buyerCpf?: string;
}

/**
 * An authorised-looking NF-e XML with a valid access key, for tests and demos against the
 * sandboxes: change one field (model, status, environment, date) to see each refusal.
 *
 * @example
 * const { xml, accessKey } = sampleNfe({ number: 1234, total: '59.80' });
 */
export function sampleNfe(input: SampleNfeInput = {}): { xml: string; accessKey: string } {
  const issuedAt = input.issuedAt ?? new Date();
  const yymm = `${String(issuedAt.getUTCFullYear()).slice(2)}${String(issuedAt.getUTCMonth() + 1).padStart(2, '0')}`;
  const model = input.model ?? '55';
  const series = input.series ?? 1;
  const number = input.number ?? 1;
  const code = String((number * 7919) % 100_000_000).padStart(8, '0');
  const first43 = `${input.stateCode ?? '35'}${yymm}${input.issuerCnpj ?? '12345678000195'}${model}${String(series).padStart(3, '0')}${String(number).padStart(9, '0')}1${code}`;
  const accessKey = `${first43}${keyDigit(first43)}`;
  const total = input.total ?? '100.00';
  const productsTotal = input.productsTotal ?? total;
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<nfeProc xmlns="http://www.portalfiscal.inf.br/nfe" versao="4.00"><NFe><infNFe versao="4.00" Id="NFe',
    accessKey,
    `"><ide><mod>${model}</mod><serie>${series}</serie><nNF>${number}</nNF><dhEmi>${issuedAt.toISOString().replace('Z', '+00:00')}</dhEmi>`,
    `<tpAmb>${input.environment ?? '1'}</tpAmb></ide>`,
    input.buyerCpf ? `<dest><CPF>${input.buyerCpf}</CPF></dest>` : '',
    `<det nItem="1"><prod><CFOP>${input.cfop ?? '5102'}</CFOP><vProd>${productsTotal}</vProd></prod></det>`,
    `<total><ICMSTot><vProd>${productsTotal}</vProd><vNF>${total}</vNF></ICMSTot></total></infNFe></NFe>`,
    `<protNFe versao="4.00"><infProt><chNFe>${accessKey}</chNFe><cStat>${input.authorizationStatus ?? '100'}</cStat></infProt></protNFe></nfeProc>`,
  ].join('');
  return { xml, accessKey };
}
