// The floor of section 10 (cold import): a module with nothing in it, loaded as the adapters are.
export {};
