import { seededRandom } from './random';

/**
 * What goes wrong with one request. Faults that say "NOT processed" leave the sandbox state
 * untouched; `truncatedJson` and `lostResponse` run the request first, so its effects stay.
 */
export type Fault =
  /** Answer with this status (and body/headers) instead of handling the request. NOT processed. */
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** Wait this long (real timers; keep it small in tests), then handle normally. */
  | { latencyMs: number }
  /** A network error (`Response.error()`). NOT processed. */
  | { drop: true }
  /** 200 with a body that is not JSON. NOT processed. */
  | { malformedJson: true }
  /** Processed, but the JSON body is cut in half. */
  | { truncatedJson: true }
  /** Processed (state changed!), then a network error is returned: the client cannot know it succeeded. */
  | { lostResponse: true };

/** When a {@link Fault} applies. Every condition given must hold. */
export interface FaultRule {
  /** HTTP method to match, case-insensitive. Default: any. */
  method?: string;
  /** URL pathname to match: a string matches exactly, a RegExp is tested against the pathname. Default: any. */
  path?: string | RegExp;
  /** Only the nth matching call (1-based). */
  nth?: number;
  /** Apply at most this many times. Default: unlimited, or 1 when `nth` is set. */
  times?: number;
  /** Probability 0..1 of applying to a matching call (drawn from the injector's seedable random). */
  rate?: number;
  /** What happens. */
  fault: Fault;
}

/** One fault that was applied, for assertions and debugging. */
export interface AppliedFault {
  method: string;
  path: string;
  kind: FaultKind;
}

/** The name of a {@link Fault} variant. */
export type FaultKind = 'status' | 'latency' | 'drop' | 'malformedJson' | 'truncatedJson' | 'lostResponse';

/** Injects faults into a sandbox's request handling. */
export interface FaultInjector {
  /** Adds a rule; returns a function that removes it. */
  inject(rule: FaultRule): () => void;
  /** Removes every rule and forgets the call counts. */
  clear(): void;
  /** Wraps one request's handling: picks a matching rule and applies it around `handle`. */
  run(request: Request, handle: () => Promise<Response>): Promise<Response>;
  /** Faults applied so far, oldest first. */
  readonly applied: ReadonlyArray<AppliedFault>;
}

/** Options of {@link createFaultInjector}. */
export interface FaultInjectorOptions {
  /** Random source for `rate` rules. Default: seeded from `seed`, or `Math.random`. */
  random?: () => number;
  /** Seed for a reproducible random source when `random` is not given. */
  seed?: number;
  /**
   * Body of a `status` fault that gives none, so each sandbox can answer in its marketplace's
   * own error shape. Default: `{ message, status }`.
   */
  errorBody?: (status: number, request: Request) => unknown;
}

interface ActiveRule {
  rule: FaultRule;
  matched: number;
  applied: number;
}

const MALFORMED_BODY = '<html><head><title>502 Bad Gateway</title></head><body>upstream error</body></html>';

/**
 * Creates a fault injector. A request runs through the first rule (in insertion order) that
 * matches it and decides to fire; each rule counts its own matching calls for `nth`.
 *
 * @example
 * const faults = createFaultInjector();
 * faults.inject({ method: 'POST', path: '/items', nth: 2, fault: { lostResponse: true } });
 * faults.inject({ path: /^\/orders\//, rate: 0.1, fault: { status: 503 } });
 */
export function createFaultInjector(options: FaultInjectorOptions = {}): FaultInjector {
  const random = options.random ?? (options.seed === undefined ? Math.random : seededRandom(options.seed));
  const errorBody =
    options.errorBody ?? ((status: number) => ({ message: `Injected fault: HTTP ${status}`, status }));
  let rules: ActiveRule[] = [];
  const applied: AppliedFault[] = [];

  function pick(request: Request): Fault | undefined {
    const method = request.method.toUpperCase();
    const path = new URL(request.url).pathname;
    let chosen: Fault | undefined;
    for (const active of rules) {
      if (!matches(active.rule, method, path)) continue;
      active.matched += 1;
      if (chosen !== undefined || !fires(active)) continue;
      active.applied += 1;
      chosen = active.rule.fault;
      applied.push({ method, path, kind: kindOf(chosen) });
    }
    return chosen;
  }

  function fires(active: ActiveRule): boolean {
    const { nth, rate } = active.rule;
    const limit = active.rule.times ?? (nth === undefined ? Number.POSITIVE_INFINITY : 1);
    if (active.applied >= limit) return false;
    if (nth !== undefined && active.matched !== nth) return false;
    if (rate !== undefined && random() >= rate) return false;
    return true;
  }

  return {
    inject(rule) {
      validateRule(rule);
      const active: ActiveRule = { rule, matched: 0, applied: 0 };
      rules.push(active);
      return () => {
        rules = rules.filter((candidate) => candidate !== active);
      };
    },
    clear() {
      rules = [];
      applied.length = 0;
    },
    get applied() {
      return applied;
    },
    async run(request, handle) {
      const fault = pick(request);
      if (fault === undefined) return handle();
      if ('status' in fault) {
        const body = fault.body === undefined ? errorBody(fault.status, request) : fault.body;
        return faultResponse(fault.status, body, fault.headers);
      }
      if ('latencyMs' in fault) {
        await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
        return handle();
      }
      if ('drop' in fault) return Response.error();
      if ('malformedJson' in fault) {
        return new Response(MALFORMED_BODY, { status: 200, headers: { 'content-type': 'application/json' } });
      }
      const response = await handle();
      if ('lostResponse' in fault) return Response.error();
      return truncate(response);
    },
  };
}

function matches(rule: FaultRule, method: string, path: string): boolean {
  if (rule.method !== undefined && rule.method.toUpperCase() !== method) return false;
  if (rule.path === undefined) return true;
  return typeof rule.path === 'string' ? rule.path === path : rule.path.test(path);
}

function validateRule(rule: FaultRule): void {
  if (rule.nth !== undefined && (!Number.isInteger(rule.nth) || rule.nth < 1)) {
    throw new RangeError('FaultRule.nth must be a whole number from 1');
  }
  if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1)) {
    throw new RangeError('FaultRule.rate must be between 0 and 1');
  }
  if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 0)) {
    throw new RangeError('FaultRule.times must be a whole number');
  }
}

/** The variant name of a fault. */
export function kindOf(fault: Fault): FaultKind {
  if ('status' in fault) return 'status';
  if ('latencyMs' in fault) return 'latency';
  if ('drop' in fault) return 'drop';
  if ('malformedJson' in fault) return 'malformedJson';
  if ('truncatedJson' in fault) return 'truncatedJson';
  return 'lostResponse';
}

function faultResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const noBody = status === 204 || status === 304 || body === null;
  const text = noBody ? null : typeof body === 'string' ? body : JSON.stringify(body);
  return new Response(text, {
    status,
    headers: { ...(typeof body === 'string' ? {} : { 'content-type': 'application/json' }), ...headers },
  });
}

async function truncate(response: Response): Promise<Response> {
  const text = await response.text();
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  // A 204 has no body to cut; keep the status so the fault stays visible in the client.
  const noBody = response.status === 204 || response.status === 304;
  return new Response(noBody ? null : text.slice(0, Math.floor(text.length / 2)), {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}
