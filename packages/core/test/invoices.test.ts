import {
  InvoiceRequiredError,
  invoiceBlocksShipping,
  invoiceFromNfeXml,
  isValidNfeAccessKey,
  nfeAccessKeyCheckDigit,
  nfeAccessKeyProblem,
  Order,
  parseInvoice,
  parseNfeAccessKey,
  readNfeXml,
  redactTaxIds,
  redactText,
  taxIdFrom,
  ValidationError,
} from '@mlh/core';
import { describe, expect, it } from 'vitest';

/** A valid key: SP, Jan 2025, CNPJ 12.345.678/0001-99, model 55, series 1, number 1234. */
const KEY = '35250112345678000199550010000012341000012349';

function nfeXml(key = KEY, extra: { model?: string; status?: string } = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?><nfeProc versao="4.00"><NFe><infNFe Id="NFe${key}" versao="4.00"><ide><mod>${extra.model ?? '55'}</mod><serie>1</serie><nNF>1234</nNF><dhEmi>2025-01-15T10:00:00-03:00</dhEmi><tpAmb>1</tpAmb></ide><det nItem="1"><prod><CFOP>5102</CFOP><vProd>99.90</vProd></prod></det><total><ICMSTot><vProd>99.90</vProd><vFrete>10.00</vFrete><vNF>109.90</vNF></ICMSTot></total></infNFe></NFe><protNFe><infProt><chNFe>${key}</chNFe><cStat>${extra.status ?? '100'}</cStat></infProt></protNFe></nfeProc>`;
}

describe('NF-e access key', () => {
  it('accepts a key whose check digit matches, with or without the DANFE spacing', () => {
    expect(nfeAccessKeyCheckDigit(KEY.slice(0, 43))).toBe(9);
    expect(isValidNfeAccessKey(KEY)).toBe(true);
    expect(isValidNfeAccessKey(KEY.replace(/(.{4})/g, '$1 '))).toBe(true);
  });

  it('names what is wrong with a bad key', () => {
    expect(nfeAccessKeyProblem(KEY.slice(0, 43))).toBe('must be 44 characters (got 43)');
    expect(nfeAccessKeyProblem(`${KEY.slice(0, 43)}5`)).toMatch(/check digit/);
    expect(nfeAccessKeyProblem(`X${KEY.slice(1)}`)).toMatch(/digits/);
  });

  it('accepts letters in the issuer CNPJ positions (alphanumeric CNPJ), weighing them by ASCII code − 48', () => {
    const body = `352501AB345678000199550010000012341000012345`.slice(0, 43);
    const key = `${body}${nfeAccessKeyCheckDigit(body)}`;
    expect(isValidNfeAccessKey(key)).toBe(true);
    expect(parseNfeAccessKey(key)?.issuerTaxId).toBe('AB345678000199');
  });

  it('reads the model, series and number the key encodes', () => {
    expect(parseNfeAccessKey(KEY)).toMatchObject({
      stateCode: '35',
      yearMonth: '2501',
      issuerTaxId: '12345678000199',
      model: '55',
      series: '001',
      number: '000001234',
    });
  });
});

describe('InvoiceInput', () => {
  it('normalizes the key and refuses an invoice whose number or model disagrees with it', () => {
    expect(parseInvoice({ accessKey: KEY.replace(/(.{4})/g, '$1 ') }).accessKey).toBe(KEY);
    const nfce = `${KEY.slice(0, 20)}65${KEY.slice(22, 43)}`;
    const nfceKey = `${nfce}${nfeAccessKeyCheckDigit(nfce)}`;
    let error: unknown;
    try {
      parseInvoice({ accessKey: nfceKey, number: '99' }, 'meli');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['accessKey', 'number']);
    expect((error as ValidationError).message).toMatch(/only NF-e model 55/);
  });

  it('is built from the authorised XML: key, number, series, date, totals and CFOP', () => {
    const invoice = invoiceFromNfeXml(nfeXml());
    expect(invoice).toMatchObject({
      accessKey: KEY,
      number: '1234',
      series: '1',
      issuedAt: '2025-01-15T10:00:00-03:00',
      total: { amount: '109.90', currency: 'BRL' },
      productsTotal: { amount: '99.90', currency: 'BRL' },
      cfop: '5102',
    });
    expect(parseInvoice(invoice).xml).toContain('<nfeProc');
    expect(readNfeXml(nfeXml(KEY, { status: '302' })).authorizationStatus).toBe('302');
  });
});

describe('invoice state on orders', () => {
  const order = {
    externalId: '1',
    marketplace: 'meli',
    accountId: '9',
    items: [
      {
        productExternalId: 'MLB1',
        title: 'Caneca',
        quantity: 1,
        unitPrice: { amount: '10', currency: 'BRL' },
        total: { amount: '10', currency: 'BRL' },
      },
    ],
    currency: 'BRL',
    subtotal: { amount: '10', currency: 'BRL' },
    total: { amount: '10', currency: 'BRL' },
    status: 'paid',
    rawStatus: 'paid',
    paymentStatus: 'paid',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };

  it('carries the invoice state and the buyer tax id as one optional field', () => {
    const parsed = Order.parse({
      ...order,
      fiscal: {
        invoice: { status: 'required', rawStatus: 'invoice_pending' },
        buyerTaxId: taxIdFrom('529.982.247-25'),
      },
    });
    expect(parsed.fiscal).toEqual({
      invoice: { status: 'required', rawStatus: 'invoice_pending' },
      buyerTaxId: { type: 'CPF', number: '52998224725' },
    });
    expect(Order.parse(order).fiscal).toBeUndefined();
    expect(() => Order.parse({ ...order, fiscal: { invoice: { status: 'maybe' } } })).toThrow();
  });

  it('says which states keep an order from shipping, and the error names the order and why', () => {
    expect(invoiceBlocksShipping({ status: 'required' })).toBe(true);
    expect(invoiceBlocksShipping({ status: 'submitted' })).toBe(true);
    expect(invoiceBlocksShipping({ status: 'accepted' })).toBe(false);
    expect(invoiceBlocksShipping({ status: 'not_required' })).toBe(false);
    expect(invoiceBlocksShipping(undefined)).toBe(false);
    const error = new InvoiceRequiredError(
      '2000001',
      { status: 'rejected', reason: 'NOT_AUTHORIZED' },
      { marketplace: 'tiktok' },
    );
    expect(error.message).toBe(
      'Order 2000001 cannot ship: its NF-e was rejected (NOT_AUTHORIZED); attach an accepted invoice with submitInvoice first',
    );
    expect(error.kind).toBe('conflict');
    expect(error.retryable).toBe(false);
  });
});

describe('tax ids stay out of logs and error messages', () => {
  it('masks CPFs and CNPJs, bare or formatted, and leaves other ids and access keys alone', () => {
    expect(
      redactTaxIds('wrong_receiver_cpf 52998224725 / 529.982.247-25 / 11.222.333/0001-81 / 11222333000181'),
    ).toBe('wrong_receiver_cpf **** / **** / **** / ****');
    expect(redactTaxIds(`shipment 40546549876 order 2000012345678 key ${KEY}`)).toBe(
      `shipment 40546549876 order 2000012345678 key ${KEY}`,
    );
    expect(redactText('{"buyer_cpf_id":"12345678901","cpf":"x"}')).toBe(
      '{"buyer_cpf_id":"****","cpf":"****"}',
    );
  });
});
