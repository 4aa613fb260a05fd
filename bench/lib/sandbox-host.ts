/**
 * A sandbox in a process of its own, served over HTTP on 127.0.0.1 (`@mlh/testing/server`): the
 * sync jobs (sections 4 and 6) talk to it, so their process's CPU and heap are the SDK's alone,
 * not the sandbox's answering and checking every call. {@link startSandboxHost} forks it; the
 * parent asks it over IPC for the calls it answered and the CPU it used.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { startSandboxServer } from '@mlh/testing/server';
import { type Marketplace, type SeatAccess, seat } from './world';

type HostRequest = { kind: 'start'; marketplace: Marketplace } | { kind: 'stats' } | { kind: 'close' };
/** The sandbox's calls since it was seeded, and its process's CPU so far. */
export interface HostStats {
  calls: { total: number; byPath: Record<string, number> };
  cpuSeconds: number;
}
type HostReply =
  | { kind: 'ready'; url: string; access: SeatAccess; listingFields: Record<string, unknown> }
  | { kind: 'stats'; stats: HostStats }
  | { kind: 'failed'; error: string };

/** A freshly seeded sandbox served by the host, and how to act as its seller. */
export interface HostedSandbox {
  url: string;
  access: SeatAccess;
  listingFields: Record<string, unknown>;
}

/** A running sandbox process. */
export interface SandboxHost {
  /** Replaces the sandbox served (if any) by a freshly seeded one of `marketplace`. */
  start(marketplace: Marketplace): Promise<HostedSandbox>;
  /** Calls the current sandbox answered since it was seeded, and the process's CPU so far. */
  stats(): Promise<HostStats>;
  close(): Promise<void>;
}

function ask<T extends HostReply['kind']>(
  child: ChildProcess,
  request: HostRequest,
  kind: T,
): Promise<Extract<HostReply, { kind: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox host: no ${kind} answer in 60 s`)), 60_000);
    const onMessage = (reply: HostReply) => {
      if (reply.kind !== kind && reply.kind !== 'failed') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      if (reply.kind === 'failed') reject(new Error(`sandbox host: ${reply.error}`));
      else resolve(reply as Extract<HostReply, { kind: T }>);
    };
    child.on('message', onMessage);
    child.send(request);
  });
}

/** Forks the sandbox process (one per sync process: starting one costs seconds on a loaded machine). */
export function startSandboxHost(): SandboxHost {
  const child = fork(new URL(import.meta.url), ['--host'], {
    execArgv: process.execArgv.filter((arg) => arg !== '--expose-gc'),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    start: async (marketplace) => {
      const { url, access, listingFields } = await ask(child, { kind: 'start', marketplace }, 'ready');
      return { url, access, listingFields };
    },
    stats: async () => (await ask(child, { kind: 'stats' }, 'stats')).stats,
    close: async () => {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ kind: 'close' } satisfies HostRequest);
      const timer = setTimeout(() => child.kill(), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

if (process.argv.includes('--host')) {
  const send = (reply: HostReply) => process.send?.(reply);
  let current: Awaited<ReturnType<typeof seat>> | undefined;
  let close: (() => Promise<void>) | undefined;
  process.on('message', (request: HostRequest) => {
    if (request.kind === 'start') {
      (close?.() ?? Promise.resolve())
        .then(() => seat(request.marketplace))
        .then(async (seated) => {
          current = seated;
          const server = await startSandboxServer(seated.sandbox.handlers);
          close = server.close;
          send({
            kind: 'ready',
            url: server.url,
            access: seated.access,
            listingFields: seated.listingFields,
          });
        })
        .catch((error: unknown) => send({ kind: 'failed', error: String(error) }));
    } else if (request.kind === 'stats') {
      const cpu = process.cpuUsage();
      send({
        kind: 'stats',
        stats: {
          calls: current?.calls() ?? { total: 0, byPath: {} },
          cpuSeconds: (cpu.user + cpu.system) / 1e6,
        },
      });
    } else {
      (close?.() ?? Promise.resolve()).finally(() => process.exit(0));
    }
  });
}
