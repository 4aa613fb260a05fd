// The namespace object of `export * as` in index.ts is built in the module it names: naming this
// re-export keeps it out of `../payment`, so a bundle that imports one call of it keeps only that call.
export * from '../payment';
