// The jose functions `EncryptedTokenStore` uses, in a module of their own: the store imports it on
// first use, so importing `@mlh/core` does not load jose, and a build keeps only these three.
export { base64url, CompactEncrypt, compactDecrypt } from 'jose';
