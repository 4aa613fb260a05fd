/**
 * The admin dashboard of `@mlh/api` on the three sandboxes:
 *
 *   pnpm demo:admin        (or: cd examples && npx tsx admin.ts)
 *
 * Starts the unified API (under /api) and its dashboard (under /admin) on one local server, with
 * a seller on Mercado Livre, Shopee and TikTok Shop, a catalog listed on all three, a buyer who
 * orders somewhere every 20 seconds and the order worker syncing every 2 seconds. Prints the URL
 * and an operator key (and a read-only key) to log in with. PORT picks the port (default 3000).
 * `--once` starts it, checks the dashboard answers, and stops (what the test runs).
 */
import { startAdminDemo } from './lib/admin-demo';
import { type Print, runWhenMain } from './lib/report';

/** What a `--once` run saw. */
export interface AdminRun {
  adminUrl: string;
  loginStatus: number;
  overviewStatus: number;
}

/** Starts the demo; with `once`, logs in once, loads the overview, and stops. */
export async function main(
  options: { print?: Print; once?: boolean; port?: number } = {},
): Promise<AdminRun> {
  const print = options.print ?? console.log;
  const demo = await startAdminDemo({
    port: options.port ?? Number(process.env.PORT ?? 3000),
    ...(options.once ? { orderEveryMs: 0 } : { print: (line: string) => print(`  ${line}`) }),
  });
  print(`\nThe admin dashboard: ${demo.adminUrl}`);
  print(`  operator key:  ${demo.keys.operator}`);
  print(`  read-only key: ${demo.keys.read}`);
  print(`The API it calls: ${demo.apiUrl} (OpenAPI at ${demo.apiUrl}/openapi.json)`);
  print(`The sandboxes over HTTP: ${demo.sandboxServer.url}`);
  if (!options.once) {
    print('\nA buyer orders every 20 s; the order worker syncs every 2 s. Ctrl+C stops.\n');
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    await demo.close();
    return { adminUrl: demo.adminUrl, loginStatus: 0, overviewStatus: 0 };
  }
  try {
    const login = await fetch(`${demo.origin}/admin/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: demo.origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ apiKey: demo.keys.operator }).toString(),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const overview = await fetch(demo.adminUrl, { headers: { cookie }, redirect: 'manual' });
    await overview.text();
    return { adminUrl: demo.adminUrl, loginStatus: login.status, overviewStatus: overview.status };
  } finally {
    await demo.close();
  }
}

runWhenMain(import.meta.url, () => main({ once: process.argv.includes('--once') }));
