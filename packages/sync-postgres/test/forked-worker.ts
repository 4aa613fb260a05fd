import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What every forked test worker may answer besides its own replies. */
export interface FailedReply {
  type: 'failed';
  message: string;
}

/** An app process of a multi-process test, forked with tsx, and its replies in order. */
export interface ForkedWorker<Reply extends { type: string }> {
  name: string;
  child: ChildProcess;
  /** The next reply; `failed` when the process exits before answering. */
  next(): Promise<Reply | FailedReply>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Forks `script` with `node --import tsx` from the repository root (the root tsconfig maps `@mlh/*`
 * to sources), with `environment` added to this process's, and queues what it sends.
 */
export function forkWorker<Reply extends { type: string }>(
  script: string,
  name: string,
  environment: Readonly<Record<string, string>>,
): ForkedWorker<Reply> {
  const child = fork(script, [], {
    cwd: repositoryRoot,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...environment, TSX_TSCONFIG_PATH: 'tsconfig.json' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const replies: (Reply | FailedReply)[] = [];
  const waiting: ((reply: Reply | FailedReply) => void)[] = [];
  const deliver = (reply: Reply | FailedReply) => {
    const waiter = waiting.shift();
    if (waiter) waiter(reply);
    else replies.push(reply);
  };
  child.on('message', (reply: Reply) => deliver(reply));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      deliver({ type: 'failed', message: `worker ${name} exited (${signal ?? code})` });
      resolve({ code, signal });
    }),
  );
  return {
    name,
    child,
    exited,
    next: () => {
      const reply = replies.shift();
      return reply ? Promise.resolve(reply) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

/** The worker's next reply, which must be of `type`; otherwise an error naming what came instead. */
export async function expectReply<Reply extends { type: string }, T extends Reply['type']>(
  worker: ForkedWorker<Reply>,
  type: T,
): Promise<Extract<Reply, { type: T }>> {
  const reply = await worker.next();
  if (reply.type !== type) {
    const why = reply.type === 'failed' ? (reply as FailedReply).message : `unexpected ${reply.type}`;
    throw new Error(`worker ${worker.name}: ${why}`);
  }
  return reply as Extract<Reply, { type: T }>;
}
