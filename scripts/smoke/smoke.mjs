// The consumer smoke from an ES module: the packages loaded with `import`, then the shared checks.
import * as core from '@mlh/core';
import * as meli from '@mlh/meli';
import * as shopee from '@mlh/shopee';
import * as shopeeSigner from '@mlh/shopee/signer';
import * as sync from '@mlh/sync';
import * as testing from '@mlh/testing';
import * as server from '@mlh/testing/server';
import * as tiktok from '@mlh/tiktok';
import * as tiktokSigner from '@mlh/tiktok/signer';
import { runChecks } from './checks.cjs';

await runChecks({ core, meli, shopee, shopeeSigner, tiktok, tiktokSigner, sync, testing, server });
