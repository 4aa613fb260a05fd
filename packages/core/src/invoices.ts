import * as z from 'zod/mini';
import {
  ConflictError,
  type FieldIssue,
  type MarketplaceId,
  type MlhErrorOptions,
  ValidationError,
} from './errors';
import { DecimalString, Money } from './money';
import { plainConstructor } from './plain';

/*
 * Brazilian invoices (NF-e). A seller who issues its own NF-e must attach it to an order before
 * the marketplace lets the order ship (Mercado Livre shipment substatus `invoice_pending`, Shopee
 * order status `INVOICE_PENDING`, TikTok `need_upload_invoice = NEED_INVOICE`). This file holds
 * what is the same everywhere: the access key and its check digit, the invoice an application
 * submits, the invoice state of an order, and the error a shipment refused for want of an invoice.
 */

/** Length of an NF-e access key (chave de acesso). */
export const NFE_ACCESS_KEY_LENGTH = 44;

/** The only NF-e model the marketplaces accept (model 55; 65 is the consumer NFC-e). */
export const NFE_MODEL = '55';

// Alphanumeric CNPJs (from July 2026) may put letters in the issuer positions (7–20) of a key;
// the rest stays numeric. The check digit then weighs each character as its ASCII code − 48.
const ACCESS_KEY_SHAPE = /^\d{6}[0-9A-Z]{14}\d{24}$/;

function characterValue(character: string): number {
  return character.charCodeAt(0) - 48;
}

/**
 * The check digit (cDV) of the first 43 characters of an NF-e access key: modulo 11 with weights
 * 2 to 9 from the right; a remainder of 0 or 1 gives 0.
 *
 * @example
 * nfeAccessKeyCheckDigit('3525011234567800019955001000001234100001234') // 9
 */
export function nfeAccessKeyCheckDigit(first43: string): number {
  let sum = 0;
  let weight = 2;
  for (let index = first43.length - 1; index >= 0; index -= 1) {
    sum += characterValue(first43.charAt(index)) * weight;
    weight = weight === 9 ? 2 : weight + 1;
  }
  const remainder = sum % 11;
  return remainder < 2 ? 0 : 11 - remainder;
}

/** An access key as written on a DANFE (groups of four, dots) with separators removed, upper case. */
export function normalizeNfeAccessKey(key: string): string {
  return key.replace(/[\s.\-/]/g, '').toUpperCase();
}

/** The fields an NF-e access key encodes. */
export interface NfeAccessKeyParts {
  /** IBGE code of the issuer's state (`35` São Paulo). */
  stateCode: string;
  /** Year and month of issue, `YYMM`. */
  yearMonth: string;
  /** CNPJ (or CPF, left-padded) of the issuer. */
  issuerTaxId: string;
  /** Document model: `55` NF-e, `65` NFC-e. */
  model: string;
  /** Series, 3 digits. */
  series: string;
  /** Number, 9 digits. */
  number: string;
  /** Emission type (`1` normal). */
  emissionType: string;
  /** The random numeric code. */
  code: string;
  checkDigit: string;
}

/**
 * Why a string is not a valid NF-e access key, or `undefined` when it is one: 44 characters,
 * numeric except the issuer CNPJ positions, and a check digit that matches.
 *
 * @example
 * nfeAccessKeyProblem('3525011234567800019955001000001234100001234') // 'must be 44 characters (got 43)'
 */
export function nfeAccessKeyProblem(key: string): string | undefined {
  const normalized = normalizeNfeAccessKey(key);
  if (normalized.length !== NFE_ACCESS_KEY_LENGTH) {
    return `must be ${NFE_ACCESS_KEY_LENGTH} characters (got ${normalized.length})`;
  }
  if (!ACCESS_KEY_SHAPE.test(normalized)) return 'must be digits (letters only in the issuer CNPJ)';
  const expected = nfeAccessKeyCheckDigit(normalized.slice(0, 43));
  if (String(expected) !== normalized.charAt(43)) return 'check digit does not match: not an NF-e access key';
  return undefined;
}

/** True when `key` is a valid NF-e access key (see {@link nfeAccessKeyProblem}). */
export function isValidNfeAccessKey(key: string): boolean {
  return nfeAccessKeyProblem(key) === undefined;
}

/** The fields of a valid access key, or `undefined` when it is not one. */
export function parseNfeAccessKey(key: string): NfeAccessKeyParts | undefined {
  if (!isValidNfeAccessKey(key)) return undefined;
  const k = normalizeNfeAccessKey(key);
  return {
    stateCode: k.slice(0, 2),
    yearMonth: k.slice(2, 6),
    issuerTaxId: k.slice(6, 20),
    model: k.slice(20, 22),
    series: k.slice(22, 25),
    number: k.slice(25, 34),
    emissionType: k.slice(34, 35),
    code: k.slice(35, 43),
    checkDigit: k.slice(43),
  };
}

/** An NF-e access key, normalized (separators removed) and checked, check digit included. */
export const NfeAccessKey = /* @__PURE__ */ (() =>
  z.pipe(
    z.string().check(
      z.refine((key) => nfeAccessKeyProblem(key) === undefined, {
        error: (issue) => nfeAccessKeyProblem(String(issue.input)) ?? 'invalid NF-e access key',
      }),
    ),
    z.transform(normalizeNfeAccessKey),
  ))();

const Bytes = /* @__PURE__ */ (() =>
  z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'must be a Uint8Array'))();

/**
 * An NF-e an application attaches to an order: what the marketplaces read from it. Give the
 * authorised XML (`<nfeProc>`) wherever you have it: Mercado Livre and TikTok take only the XML;
 * Shopee takes the XML, or the invoice data alone where the shop is allowed to send it.
 */
export const InvoiceInput = /* @__PURE__ */ (() =>
  z
    .object({
      /** The 44-character access key (chave de acesso); separators are removed. */
      accessKey: NfeAccessKey,
      /** NF-e number; default: read from the key. */
      number: z.optional(z.string().check(z.regex(/^\d{1,9}$/, 'must be 1 to 9 digits'))),
      /** NF-e series; default: read from the key. */
      series: z.optional(z.string().check(z.regex(/^\d{1,3}$/, 'must be 1 to 3 digits'))),
      /** When the NF-e was issued (ISO 8601); it must be after the sale and not in the future. */
      issuedAt: z.optional(z.iso.datetime({ offset: true })),
      /** The NF-e total (`vNF`). */
      total: z.optional(Money),
      /** The products total (`vProd`). */
      productsTotal: z.optional(Money),
      /** The predominant CFOP, 4 digits (Shopee's `tax_code`). */
      cfop: z.optional(z.string().check(z.regex(/^\d{4}$/, 'must be 4 digits'))),
      /** The authorised NF-e XML (`<nfeProc versao="4.00">…`), as text or UTF-8 bytes. */
      xml: z.optional(z.union([z.string().check(z.minLength(1, 'must not be empty')), Bytes])),
      /** The DANFE as PDF, where a marketplace takes a file for the buyer. */
      pdf: z.optional(Bytes),
      /** Marketplace-specific fields (Shopee `file_type`, TikTok `package_id`, ...). */
      marketplaceFields: z.optional(z.record(z.string(), z.unknown())),
    })
    .check(
      z.superRefine((invoice, ctx) => {
        const parts = parseNfeAccessKey(invoice.accessKey);
        if (!parts) return;
        if (parts.model !== NFE_MODEL) {
          ctx.issues.push({
            code: 'custom',
            input: invoice.accessKey,
            path: ['accessKey'],
            message: `is a model ${parts.model} document: only NF-e model 55 is accepted`,
          });
        }
        if (invoice.number !== undefined && Number(invoice.number) !== Number(parts.number)) {
          ctx.issues.push({
            code: 'custom',
            input: invoice.number,
            path: ['number'],
            message: `does not match the access key (number ${Number(parts.number)})`,
          });
        }
        if (invoice.series !== undefined && Number(invoice.series) !== Number(parts.series)) {
          ctx.issues.push({
            code: 'custom',
            input: invoice.series,
            path: ['series'],
            message: `does not match the access key (series ${Number(parts.series)})`,
          });
        }
      }),
    ))();
/**
 * An NF-e an application attaches to an order, field by field (what {@link InvoiceInput} takes).
 *
 * @interface
 */
export type InvoiceInput = z.input<typeof InvoiceInput>;
/**
 * A checked {@link InvoiceInput}: the access key normalized.
 *
 * @interface
 */
export type Invoice = z.output<typeof InvoiceInput>;

/**
 * Checks an {@link InvoiceInput} before anything is sent: the checked invoice, or a
 * `ValidationError` naming each bad field (a bad access key, a number that disagrees with it, ...).
 */
export function parseInvoice(input: unknown, marketplace?: MarketplaceId): Invoice {
  const result = z.safeParse(InvoiceInput, input);
  if (result.success) return result.data;
  const issues: FieldIssue[] = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
    code: issue.code,
  }));
  throw new ValidationError('Invalid invoice', issues, { marketplace });
}

/**
 * Where an order stands with its invoice, the same words on every marketplace:
 * `not_required` (the marketplace says none is needed: channel, seller or marketplace issuer),
 * `required` (the order cannot ship until one is attached), `submitted` (sent, not yet validated:
 * TikTok's processing, Shopee's `pending`), `accepted` (validated: the order can ship),
 * `rejected` (refused after submission, with the reason: submit a corrected one).
 */
export const InvoiceStatus = /* @__PURE__ */ (() =>
  z.enum(['not_required', 'required', 'submitted', 'accepted', 'rejected']))();
export type InvoiceStatus = z.infer<typeof InvoiceStatus>;

/** The invoice of an order, as the marketplace reports it. */
export const OrderInvoice = /* @__PURE__ */ (() =>
  z.looseObject({
    status: InvoiceStatus,
    /** The marketplace's word for it (`invoice_pending`, `NEED_INVOICE`, `valid`, ...). */
    rawStatus: z.optional(z.string()),
    /** Why it is pending or rejected, when the marketplace says. */
    reason: z.optional(z.string()),
    accessKey: z.optional(z.string()),
    number: z.optional(z.string()),
    series: z.optional(z.string()),
    issuedAt: z.optional(z.iso.datetime({ offset: true })),
    total: z.optional(Money),
    /** The marketplace's id of the stored invoice (Mercado Livre's, for an update). */
    externalId: z.optional(z.string()),
  }))();
/**
 * The invoice of an order, field by field (the value the {@link OrderInvoice} schema parses).
 *
 * @interface
 */
export type OrderInvoice = z.infer<typeof OrderInvoice>;

/** A Brazilian tax id: CPF (11 digits, a person) or CNPJ (14 characters, a company). */
export const TaxId = /* @__PURE__ */ (() =>
  z.object({
    type: z.enum(['CPF', 'CNPJ']),
    /** Digits only (a CNPJ may hold letters from 2026). Never logged by the SDK. */
    number: z.string().check(z.regex(/^[0-9A-Z]{11,14}$/, 'must be 11 (CPF) or 14 (CNPJ) characters')),
  }))();
/**
 * A Brazilian tax id, field by field.
 *
 * @interface
 */
export type TaxId = z.infer<typeof TaxId>;

/** The fiscal data of one product for the NF-e (Shopee `tax_info`): codes as strings. */
export const ItemTaxData = /* @__PURE__ */ (() =>
  z.looseObject({
    /** Mercosur code, 8 digits (`"00"` when none). */
    ncm: z.optional(z.string()),
    cest: z.optional(z.string()),
    /** CFOP for a buyer in the seller's state / in another state. */
    cfopSameState: z.optional(z.string()),
    cfopOtherState: z.optional(z.string()),
    /** Goods origin, `0`–`8` (0 national). */
    origin: z.optional(z.string()),
    csosn: z.optional(z.string()),
    measureUnit: z.optional(z.string()),
  }))();
/**
 * The fiscal data of one product for the NF-e, field by field.
 *
 * @interface
 */
export type ItemTaxData = z.infer<typeof ItemTaxData>;

/**
 * The Brazilian fiscal side of an order (`Order.fiscal`): the invoice state and, where the
 * marketplace discloses it, the buyer's CPF/CNPJ for the NF-e. The SDK never logs it.
 */
export const OrderFiscal = /* @__PURE__ */ (() =>
  z.looseObject({
    invoice: z.optional(OrderInvoice),
    buyerTaxId: z.optional(TaxId),
    /** The name registered to the buyer's tax id (TikTok `cpf_name`). */
    buyerTaxName: z.optional(z.string()),
  }))();
/**
 * The Brazilian fiscal side of an order, field by field.
 *
 * @interface
 */
export type OrderFiscal = z.infer<typeof OrderFiscal>;

/** A {@link TaxId} without a literal's allocation site (see `plainConstructor`): one per order mapped. */
const TaxIdRecord = /* @__PURE__ */ plainConstructor(function (
  this: TaxId,
  type: TaxId['type'],
  number: string,
) {
  this.type = type;
  this.number = number;
});

/** The type of a Brazilian tax id by its length, or `undefined` when it is neither. */
export function taxIdFrom(value: string | null | undefined): TaxId | undefined {
  const number = (value ?? '').replace(/[\s.\-/]/g, '').toUpperCase();
  if (/^\d{11}$/.test(number)) return new TaxIdRecord('CPF', number);
  if (/^[0-9A-Z]{12}\d{2}$/.test(number)) return new TaxIdRecord('CNPJ', number);
  return undefined;
}

/**
 * Attaching and reading back an order's NF-e, on a `MarketplaceClient` (optional methods: a
 * marketplace without invoices has none).
 */
export interface InvoicesCapability {
  /**
   * Attaches the NF-e to an order (Mercado Livre: the order's shipment; TikTok: its package).
   * Checked before any request leaves; never retried after an unknown outcome. Resolves with the
   * invoice as the marketplace then reports it: `accepted`, or `submitted` while it validates.
   */
  submitInvoice(orderExternalId: string, invoice: InvoiceInput): Promise<OrderInvoice>;
  /** The order's invoice as the marketplace stores it, or `undefined` when none is attached. */
  getInvoice?(orderExternalId: string): Promise<OrderInvoice | undefined>;
}

/**
 * Thrown by `fulfillOrder` (and label downloads) before any write when the order's invoice state
 * says the marketplace will refuse to ship it: attach the NF-e with `submitInvoice` first.
 */
export class InvoiceRequiredError extends ConflictError {
  readonly orderId: string;
  readonly invoice: OrderInvoice;

  constructor(
    orderId: string,
    invoice: OrderInvoice,
    options: MlhErrorOptions & { marketplace: MarketplaceId },
  ) {
    const why =
      invoice.status === 'submitted'
        ? 'its NF-e is still being validated'
        : invoice.status === 'rejected'
          ? `its NF-e was rejected${invoice.reason ? ` (${invoice.reason})` : ''}`
          : `it has no NF-e yet${invoice.reason ? ` (${invoice.reason})` : ''}`;
    super(`Order ${orderId} cannot ship: ${why}; attach an accepted invoice with submitInvoice first`, {
      retryable: false,
      ...options,
    });
    this.orderId = orderId;
    this.invoice = invoice;
  }
}

/** True when an invoice state keeps an order from shipping (`required`, `submitted` or `rejected`). */
export function invoiceBlocksShipping(invoice: OrderInvoice | undefined): boolean {
  return invoice !== undefined && ['required', 'submitted', 'rejected'].includes(invoice.status);
}

/** What {@link readNfeXml} reads from an authorised NF-e XML; absent fields were not found. */
export interface NfeXmlSummary {
  accessKey?: string;
  model?: string;
  series?: string;
  number?: string;
  /** `dhEmi` as written (ISO 8601 with offset). */
  issuedAt?: string;
  /** `vNF`, a decimal string. */
  total?: string;
  /** `vProd`, a decimal string. */
  productsTotal?: string;
  /** The first item's CFOP. */
  cfop?: string;
  /** SEFAZ status of the authorisation (`100` authorised). */
  authorizationStatus?: string;
  /** `1` production, `2` homologation (test notes, which marketplaces refuse). */
  environment?: string;
}

function tagText(xml: string, tag: string): string | undefined {
  const match = new RegExp(`<(?:\\w+:)?${tag}(?:\\s[^>]*)?>([^<]*)</(?:\\w+:)?${tag}>`).exec(xml);
  return match?.[1]?.trim() || undefined;
}

/**
 * Reads the fields marketplaces ask for out of an authorised NF-e XML, without a full XML parser:
 * key, model, series, number, issue date, totals, first CFOP, SEFAZ status and environment.
 */
export function readNfeXml(xml: string | Uint8Array): NfeXmlSummary {
  const text = typeof xml === 'string' ? xml : new TextDecoder().decode(xml);
  const idKey = /<(?:\w+:)?infNFe[^>]*\sId="NFe([0-9A-Z]{44})"/.exec(text)?.[1];
  // Totals come from the ICMSTot group; each item also carries its own vProd.
  const totals = /<(?:\w+:)?ICMSTot>[\s\S]*?<\/(?:\w+:)?ICMSTot>/.exec(text)?.[0] ?? text;
  const total = tagText(totals, 'vNF');
  const productsTotal = tagText(totals, 'vProd');
  const summary: Record<keyof NfeXmlSummary, string | undefined> = {
    accessKey: tagText(text, 'chNFe') ?? idKey,
    model: tagText(text, 'mod'),
    series: tagText(text, 'serie'),
    number: tagText(text, 'nNF'),
    issuedAt: tagText(text, 'dhEmi'),
    total: total && DecimalString.safeParse(total).success ? total : undefined,
    productsTotal:
      productsTotal && DecimalString.safeParse(productsTotal).success ? productsTotal : undefined,
    cfop: tagText(text, 'CFOP'),
    authorizationStatus: tagText(text, 'cStat'),
    environment: tagText(text, 'tpAmb'),
  };
  return Object.fromEntries(Object.entries(summary).filter(([, value]) => value !== undefined));
}

/**
 * An {@link InvoiceInput} from an authorised NF-e XML: key, number, series, issue date, totals
 * and CFOP read from it, the XML attached. Check the result with `submitInvoice` as usual.
 *
 * @example
 * await client.submitInvoice(order.externalId, invoiceFromNfeXml(xmlFromYourErp));
 */
export function invoiceFromNfeXml(xml: string | Uint8Array, currency = 'BRL'): InvoiceInput {
  const read = readNfeXml(xml);
  return {
    accessKey: read.accessKey ?? '',
    ...(read.number ? { number: String(Number(read.number)) } : {}),
    ...(read.series ? { series: String(Number(read.series)) } : {}),
    ...(read.issuedAt ? { issuedAt: read.issuedAt } : {}),
    ...(read.total ? { total: { amount: read.total, currency } } : {}),
    ...(read.productsTotal ? { productsTotal: { amount: read.productsTotal, currency } } : {}),
    ...(read.cfop ? { cfop: read.cfop } : {}),
    xml,
  };
}

/** The invoice's XML as UTF-8 text, or `undefined` when none was given. */
export function invoiceXmlText(invoice: Invoice): string | undefined {
  if (invoice.xml === undefined) return undefined;
  return typeof invoice.xml === 'string' ? invoice.xml : new TextDecoder().decode(invoice.xml);
}
