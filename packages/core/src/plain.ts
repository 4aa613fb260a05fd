/**
 * Constructors of the plain objects built on every call: money, order lines, orders, the
 * transport's per-request records.
 *
 * V8 keeps feedback per object literal of the source (its "allocation site") and, when most of a
 * literal's objects were still alive at a young collection, allocates that literal's objects in the
 * old generation from then on. The objects of a call are alive at that moment often enough (a
 * request's records wait on the socket; an order's lines are alive while the rest of the order is
 * mapped), so those literals got tenured: their objects, and the young ones they point at, then
 * stay until a full collection, and each young collection copies what they hold. Measured on Node
 * 20, 22 and 24: mapping a Shopee order took 14–17 µs instead of 7, a `getOrder` loop promoted
 * 1.5–2 MB per young collection (pauses of 6–9 ms instead of under 1).
 *
 * An object made by `new` of a function has no allocation site, so it is never tenured that way;
 * with `Object.prototype` as the function's `prototype` it is a plain object like a literal's: same
 * prototype, `constructor === Object`, same JSON, `structuredClone` and deep equality.
 */

/**
 * Makes `init` a constructor of plain objects (see the module comment): `new Record(...)` runs
 * `init` on a fresh object whose prototype is `Object.prototype`. `init` must be a `function`
 * expression (an arrow function cannot be called with `new`) that only assigns fields.
 *
 * @example
 * const MoneyRecord = plainConstructor(function (this: Money, amount: string, currency: string) {
 *   this.amount = amount;
 *   this.currency = currency;
 * });
 * const price = new MoneyRecord('19.90', 'BRL'); // { amount: '19.90', currency: 'BRL' }
 */
export function plainConstructor<A extends unknown[], T extends object>(
  init: (this: T, ...args: A) => void,
): new (
  ...args: A
) => T {
  (init as unknown as { prototype: object }).prototype = Object.prototype;
  return init as unknown as new (
    ...args: A
  ) => T;
}

/**
 * An empty plain object to set fields on one by one, without a literal's allocation site (see
 * {@link plainConstructor}): for objects of many optional fields built on every call.
 *
 * @example
 * const buyer = new PlainRecord() as Order['buyer'];
 * if (nickname) buyer.nickname = nickname;
 */
export const PlainRecord = /* @__PURE__ */ plainConstructor(function (this: Record<string, unknown>) {});
