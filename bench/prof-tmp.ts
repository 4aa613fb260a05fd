import { localClients } from './lib/local-clients';
import { startPayloadServer } from './lib/payload-server';
import { recordGetOrders } from './lib/recording';

const which = (process.argv[2] ?? 'shopee') as 'shopee' | 'tiktok' | 'meli';
const recorded = await recordGetOrders();
const entry = recorded.find((e) => e.marketplace === which)!;
const server = await startPayloadServer(recorded.flatMap((e) => e.calls));
const clients = await localClients(server.url);
const client = clients[which];
for (let i = 0; i < 300; i++) await client.getOrder(entry.orderId);
const { Session } = await import('node:inspector/promises');
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
const t = process.hrtime.bigint();
for (let i = 0; i < 2000; i++) await client.getOrder(entry.orderId);
console.log('per call µs', Number(process.hrtime.bigint() - t) / 2000 / 1000);
const { profile } = await session.post('Profiler.stop');
// self time by function
const self = new Map<string, number>();
const total = profile.samples!.length;
const counts = new Map<number, number>();
for (const id of profile.samples!) counts.set(id, (counts.get(id) ?? 0) + 1);
for (const node of profile.nodes) {
  const c = counts.get(node.id) ?? 0;
  if (!c) continue;
  const f = node.callFrame;
  const key = `${f.functionName || '(anon)'} ${f.url.replace(/.*\/(node_modules\/\.pnpm\/)?/, '')}:${f.lineNumber}`;
  self.set(key, (self.get(key) ?? 0) + c);
}
// aggregate by file
const byFile = new Map<string, number>();
for (const node of profile.nodes) {
  const c = counts.get(node.id) ?? 0;
  if (!c) continue;
  let u = node.callFrame.url;
  const m = u.match(/node_modules\/\.pnpm\/([^/]+)/);
  u = m ? m[1]! : u.replace(/.*perf-overhead\//, '');
  byFile.set(u, (byFile.get(u) ?? 0) + c);
}
console.log(
  [...byFile]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25)
    .map(([k, v]) => `${((100 * v) / total).toFixed(1)}% ${k}`)
    .join('\n'),
);
console.log('---');
console.log(
  [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 30)
    .map(([k, v]) => `${((100 * v) / total).toFixed(1)}% ${k}`)
    .join('\n'),
);
await server.close();
process.exit(0);
