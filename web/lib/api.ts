/** A failed API call, as the server described it (docs/api.md §6): status, stable code, message, fields. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: Record<string, unknown>,
    readonly retryAfter: number | null,
  ) {
    super(message);
  }

  get details(): { field: string; message: string }[] {
    return Array.isArray(this.body.details) ? (this.body.details as { field: string; message: string }[]) : [];
  }
}

/** Calls the API with the key as a header (never a cookie); JSON in, JSON out; errors thrown as ApiProblem. */
export async function api<T = Record<string, unknown>>(key: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { 'x-api-key': key };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    credentials: 'omit',
  });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = { error: text.slice(0, 200) };
  }
  if (!res.ok) {
    const retry = Number(res.headers.get('retry-after'));
    throw new ApiProblem(
      res.status,
      String(body.code ?? 'error'),
      String(body.error ?? `HTTP ${res.status}`),
      body,
      Number.isFinite(retry) && retry > 0 ? retry : null,
    );
  }
  return body as T;
}

/** One sentence a person understands for each error the API can give. */
export function explain(err: unknown): string {
  if (err instanceof ApiProblem) {
    if (err.status === 401) return 'The API key was not accepted (missing, unknown, expired or revoked). Check it and enter it again.';
    if (err.status === 403) return `This key may not do that: ${err.message}`;
    if (err.status === 406) return `Not enough credits: ${err.message}`;
    if (err.status === 429) return `Too many requests. Try again in ${err.retryAfter ?? 'a few'} seconds. (${err.message})`;
    return err.message;
  }
  if (err instanceof TypeError) return 'The server cannot be reached (network error).';
  return err instanceof Error ? err.message : String(err);
}
