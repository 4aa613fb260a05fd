import * as z from 'zod/mini';
import { ValidationError } from './errors';
import { addMoney, compareMoney, type Money, moneyInCurrencyScale, subtractMoney, sumMoney } from './money';

/**
 * Fees and net proceeds of one order: what the sale brought in, each fee, shipping cost, rebate
 * and withholding as the marketplace names it, and the net. The lines are added up exactly and
 * compared with the net the marketplace reports; a difference is reported, never absorbed.
 */

const DECIMAL = /^-?\d+(\.\d+)?$/;

const MoneyShape = /* @__PURE__ */ (() =>
  z.object({
    amount: z.string().check(z.regex(DECIMAL, 'must be a decimal string like "19.90"')),
    currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like "BRL"')),
  }))();

/** What a line of {@link OrderProceeds} is, the same words on every marketplace. */
export const ProceedsLineKind = /* @__PURE__ */ (() =>
  z.enum([
    /** The marketplace's commission or selling fee (affiliate commissions too). */
    'commission',
    /** Programme, campaign, protection and other service fees. */
    'service_fee',
    /** Payment processing fees. */
    'transaction_fee',
    /** Shipping the seller pays, or shipping the buyer paid that reaches the seller. */
    'shipping',
    /** Money the marketplace gives back: shipping rebates, fee rebates, subsidies. */
    'rebate',
    /** Discounts and vouchers the seller funds. */
    'discount',
    /** Refunds to the buyer taken from the sale. */
    'refund',
    /** Taxes the marketplace withholds or charges on the sale. */
    'tax_withheld',
    /** Corrections after the sale (adjustments, compensations). */
    'adjustment',
    /** Anything else the marketplace counts into the net. */
    'other',
  ]))();
/** What a line of {@link OrderProceeds} is. */
export type ProceedsLineKind = z.infer<typeof ProceedsLineKind>;

/** One amount between the gross and the net of an order. */
export const ProceedsLine = /* @__PURE__ */ (() =>
  z.looseObject({
    kind: ProceedsLineKind,
    /** The marketplace's own name for it (`commission_fee`, `sale_fee`, `platform_commission_amount`). */
    label: z.string(),
    /** Signed as it affects the seller: a fee is negative, a rebate positive. */
    amount: MoneyShape,
    /** Where it was read in the marketplace's payload (`order_income.commission_fee`). */
    rawKey: z.string(),
  }))();
/**
 * One amount between the gross and the net of an order, field by field.
 *
 * @interface
 */
export type ProceedsLine = z.infer<typeof ProceedsLine>;

/** A figure the marketplace reports that the lines do not add up to. */
export const ProceedsMismatch = /* @__PURE__ */ (() =>
  z.object({
    /** What was compared: `net`, or another total the marketplace reports (`marketplace_fee`). */
    subject: z.string(),
    /** What the marketplace reports. */
    reported: MoneyShape,
    /** What the lines add up to. */
    computed: MoneyShape,
    /** `reported − computed`. */
    difference: MoneyShape,
  }))();
/**
 * A figure the marketplace reports that the lines do not add up to, field by field.
 *
 * @interface
 */
export type ProceedsMismatch = z.infer<typeof ProceedsMismatch>;

/**
 * How final the numbers are: `estimated` (they may still change: not paid, not delivered, not
 * settled), `confirmed` (final, the money not yet released to the seller's balance as far as the
 * API tells), `settled` (the marketplace settled or released it).
 */
export const ProceedsStatus = /* @__PURE__ */ (() => z.enum(['estimated', 'confirmed', 'settled']))();
/** How final the numbers of an {@link OrderProceeds} are. */
export type ProceedsStatus = z.infer<typeof ProceedsStatus>;

/** Fees and net proceeds of one order. Every amount is in `currency`, exact. */
export const OrderProceeds = /* @__PURE__ */ (() =>
  z.looseObject({
    marketplace: z.string(),
    accountId: z.string(),
    orderExternalId: z.string(),
    currency: z.string(),
    /** What the sale brought in before any line: the items at their price. */
    gross: MoneyShape,
    /** Fees, shipping, rebates, discounts, withholdings, in the marketplace's order. Zero amounts are left out. */
    lines: z.array(ProceedsLine),
    /** `gross` plus every line, computed exactly. */
    net: MoneyShape,
    /** The net the marketplace reports, when it reports one (Mercado Livre's order API does not). */
    reportedNet: z.optional(MoneyShape),
    /** True when every figure the marketplace reports agrees with the lines (see `mismatches`). */
    balanced: z.boolean(),
    /** Each reported figure the lines do not add up to; empty when balanced. */
    mismatches: z.array(ProceedsMismatch),
    status: ProceedsStatus,
    /** The marketplace's word for the state behind `status` (order or payment status). */
    rawStatus: z.optional(z.string()),
    /** When the marketplace settled or released the money, where it says. ISO 8601. */
    settledAt: z.optional(z.string()),
    /** The payloads the proceeds were read from, as received. */
    raw: z.unknown(),
  }))();
/**
 * Fees and net proceeds of one order, field by field (the value the `OrderProceeds` schema parses).
 *
 * @interface
 */
export type OrderProceeds = z.infer<typeof OrderProceeds>;

/** A total the marketplace reports beside the net, and what the lines say it is. */
export interface ProceedsCheck {
  subject: string;
  reported: Money;
  computed: Money;
}

/** What an adapter read, before it is added up: {@link reconcileProceeds} computes the rest. */
export interface ProceedsDraft {
  marketplace: string;
  accountId: string;
  orderExternalId: string;
  currency: string;
  gross: Money;
  lines: readonly ProceedsLine[];
  reportedNet?: Money | undefined;
  /** Further totals to compare (a fee total the marketplace reports elsewhere, a subtotal). */
  checks?: readonly ProceedsCheck[] | undefined;
  status: ProceedsStatus;
  rawStatus?: string | undefined;
  settledAt?: string | undefined;
  raw: unknown;
}

function inScale(value: Money): Money {
  return moneyInCurrencyScale(value.amount, value.currency);
}

function checkCurrencies(draft: ProceedsDraft): void {
  const amounts: Array<[string, Money | undefined]> = [
    ['gross', draft.gross],
    ['reportedNet', draft.reportedNet],
    ...draft.lines.map((line, index): [string, Money] => [`lines.${index}.amount`, line.amount]),
    ...(draft.checks ?? []).flatMap(
      (check, index): Array<[string, Money]> => [
        [`checks.${index}.reported`, check.reported],
        [`checks.${index}.computed`, check.computed],
      ],
    ),
  ];
  const issues = amounts
    .filter(([, value]) => value !== undefined && value.currency !== draft.currency)
    .map(([path, value]) => ({
      path: `${path}.currency`,
      message: `${value?.currency} is not ${draft.currency}`,
    }));
  if (issues.length > 0) {
    throw new ValidationError(`Proceeds of order ${draft.orderExternalId} mix currencies`, issues, {
      marketplace: draft.marketplace,
    });
  }
}

function mismatchOf(subject: string, reported: Money, computed: Money): ProceedsMismatch | undefined {
  if (compareMoney(reported, computed) === 0) return undefined;
  return {
    subject,
    reported: inScale(reported),
    computed: inScale(computed),
    difference: inScale(subtractMoney(reported, computed)),
  };
}

/**
 * The exact sum of some lines (all of them without `include`): what a subtotal the marketplace
 * reports is compared with. @example sumProceedsLines(lines, 'BRL', (l) => l.kind === 'commission')
 */
export function sumProceedsLines(
  lines: readonly ProceedsLine[],
  currency: string,
  include: (line: ProceedsLine) => boolean = () => true,
): Money {
  return sumMoney(
    lines.filter(include).map((line) => line.amount),
    currency,
  );
}

/**
 * Adds the lines to the gross, exactly, and compares the result with the net the marketplace
 * reports (and with any further reported total in `checks`). A difference is listed in
 * `mismatches` with both figures, and `balanced` is false: nothing is rounded or forced to agree.
 * Amounts come out in their currency's scale (`16.8` BRL → `"16.80"`, `"15000.00"` CLP → `"15000"`).
 * @throws ValidationError when an amount is in another currency than the order.
 */
export function reconcileProceeds(draft: ProceedsDraft): OrderProceeds {
  checkCurrencies(draft);
  const net = addMoney(draft.gross, sumProceedsLines(draft.lines, draft.currency));
  const mismatches = [
    ...(draft.reportedNet === undefined ? [] : [mismatchOf('net', draft.reportedNet, net)]),
    ...(draft.checks ?? []).map((check) => mismatchOf(check.subject, check.reported, check.computed)),
  ].filter((mismatch): mismatch is ProceedsMismatch => mismatch !== undefined);
  return {
    marketplace: draft.marketplace,
    accountId: draft.accountId,
    orderExternalId: draft.orderExternalId,
    currency: draft.currency,
    gross: inScale(draft.gross),
    lines: draft.lines.map((line) => ({ ...line, amount: inScale(line.amount) })),
    net: inScale(net),
    ...(draft.reportedNet === undefined ? {} : { reportedNet: inScale(draft.reportedNet) }),
    balanced: mismatches.length === 0,
    mismatches,
    status: draft.status,
    ...(draft.rawStatus === undefined ? {} : { rawStatus: draft.rawStatus }),
    ...(draft.settledAt === undefined ? {} : { settledAt: draft.settledAt }),
    raw: draft.raw,
  };
}

/**
 * Throws when the proceeds do not add up, for code that must not book unbalanced numbers.
 * @throws ValidationError (code `proceeds_mismatch`) with one issue per mismatch, naming the
 * reported figure, the computed one and the difference.
 */
export function assertProceedsBalanced(proceeds: OrderProceeds): void {
  if (proceeds.balanced) return;
  throw new ValidationError(
    `Proceeds of order ${proceeds.orderExternalId} do not add up`,
    proceeds.mismatches.map((mismatch) => ({
      path: mismatch.subject,
      code: 'proceeds_mismatch',
      message: `${proceeds.marketplace} reports ${mismatch.reported.amount} ${mismatch.reported.currency}, the lines add up to ${mismatch.computed.amount} (difference ${mismatch.difference.amount})`,
    })),
    { marketplace: proceeds.marketplace, code: 'proceeds_mismatch' },
  );
}
