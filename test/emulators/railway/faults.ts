import type { FaultKind, FaultSpec } from './types.js';

interface ArmedFault {
  spec: FaultSpec;
  /** Matching requests seen since injection, counted whether or not this fault fired. */
  seen: number;
}

/** Faults fire on matching requests, in injection order; the first one that fires wins. */
export class FaultPlan {
  private faults: ArmedFault[] = [];

  inject(spec: FaultSpec): void {
    this.faults.push({ spec, seen: 0 });
  }

  clear(): void {
    this.faults = [];
  }

  /** Consumes and returns the fault to apply to a request for `operation`, if any. */
  take(operation: string | null): FaultSpec | undefined {
    let fired: FaultSpec | undefined;
    for (const f of this.faults) {
      if (f.spec.operation !== undefined && f.spec.operation !== operation) continue;
      f.seen++;
      const first = f.spec.nth ?? 1;
      const times = f.spec.times ?? 1;
      if (!fired && f.seen >= first && f.seen < first + times) fired = f.spec;
    }
    // A fault that can never fire again is dropped so it does not count requests forever.
    this.faults = this.faults.filter((f) => f.seen < (f.spec.nth ?? 1) + (f.spec.times ?? 1) - 1);
    return fired;
  }
}

export interface FaultAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const REASONS: Record<number, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The answer for the fault kinds that answer at all (`slow`, `drop` and `hang` are handled by the server). */
export function faultAnswer(
  spec: FaultSpec,
  kind: Exclude<FaultKind, 'slow' | 'drop' | 'hang'>,
): FaultAnswer {
  const json = { 'content-type': 'application/json; charset=utf-8' };
  switch (kind) {
    case 'rate_limit': {
      const retry = spec.retryAfterSeconds ?? 1;
      return {
        status: spec.status ?? 429,
        headers: { ...json, 'retry-after': String(retry), 'x-ratelimit-remaining': '0' },
        body: JSON.stringify({ errors: [{ message: spec.message ?? 'Too Many Requests' }] }),
      };
    }
    case 'server_error': {
      const status = spec.status ?? 500;
      const reason = REASONS[status] ?? 'Error';
      const format = spec.format ?? (status === 500 ? 'json' : 'text');
      return format === 'json'
        ? { status, headers: json, body: JSON.stringify({ errors: [{ message: spec.message ?? reason }] }) }
        : { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: spec.message ?? reason };
    }
    case 'html': {
      const status = spec.status ?? 502;
      return {
        status,
        headers: {
          'content-type': 'text/html; charset=UTF-8',
          server: 'cloudflare',
          'cf-ray': '8f1e2d3c4b5a6978-SJC',
        },
        body: cloudflarePage(status),
      };
    }
    case 'graphql_error':
      return {
        status: spec.status ?? 200,
        headers: json,
        body: JSON.stringify({
          errors: [{ message: spec.message ?? 'Problem processing request' }],
          data: null,
        }),
      };
  }
}

function cloudflarePage(status: number): string {
  const reason = REASONS[status] ?? 'Error';
  return `<!DOCTYPE html>
<!--[if lt IE 7]> <html class="no-js ie6 oldie" lang="en-US"> <![endif]-->
<html lang="en-US">
<head>
<title>backboard.railway.com | ${status}: ${reason}</title>
<meta charset="UTF-8" />
<meta name="robots" content="noindex, nofollow" />
</head>
<body>
<div id="cf-wrapper">
  <div id="cf-error-details" class="cf-error-details-wrapper">
    <h1><span class="cf-error-type">Error</span> <span class="cf-error-code">${status}</span></h1>
    <h2 class="cf-subheadline">${reason}</h2>
    <p>The web server reported a bad gateway error.</p>
    <span>Cloudflare Ray ID: <strong>8f1e2d3c4b5a6978</strong></span>
  </div>
</div>
</body>
</html>
`;
}
