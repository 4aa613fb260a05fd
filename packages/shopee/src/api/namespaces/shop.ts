// See ./invoices.ts: a named re-export keeps the namespace object out of the module it names.
export * from '../shop';
