/**
 * The one way the web apps talk to the server: same-origin JSON with the session cookie.
 * Every failure the server reports arrives as application/problem+json (server/src/platform/errors.ts)
 * and becomes an ApiError carrying its stable `code`, which the UI maps to translated text.
 */

export interface FieldError {
  /** JSON pointer into the request, e.g. /body/employeeNo */
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'ApiError';
  }

  /** The bad fields of the body by name: /body/name → name, /body/roles/0 → roles. */
  fieldErrors(): Record<string, string> {
    const fields: Record<string, string> = {};
    for (const e of this.errors) {
      const [, part, field] = e.path.split('/');
      if (part === 'body' && field && !(field in fields)) fields[field] = e.message;
    }
    return fields;
  }
}

/** Raised when the server cannot be reached at all: no status, no problem document. */
export const NETWORK_ERROR = 'NETWORK_ERROR';

type QueryValue = string | number | boolean | undefined | null;
type Query = Record<string, QueryValue | readonly QueryValue[]>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Extra request headers, e.g. the Idempotency-Key of a request that moves money. */
  headers?: Record<string, string>;
}

type Listener = (error: ApiError) => void;
const unauthenticatedListeners = new Set<Listener>();

/** Called when any request answers 401, so an app can send the person back to its sign-in page. */
export function onUnauthenticated(listener: Listener): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    // A list repeats its key (kind=spend&kind=top_up), as the server's query parser expects.
    for (const one of Array.isArray(value) ? value : [value]) {
      if (one !== undefined && one !== null && one !== '') params.append(key, String(one));
    }
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function problemOf(response: Response): Promise<ApiError> {
  let body: Record<string, unknown> = {};
  try {
    body = (await response.json()) as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's error page): keep the status, use a generic code.
  }
  const { code, detail, errors, ...extra } = body;
  return new ApiError(
    response.status,
    typeof code === 'string' ? code : `HTTP_${response.status}`,
    typeof detail === 'string' ? detail : response.statusText,
    Array.isArray(errors) ? (errors as FieldError[]) : [],
    extra,
  );
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json, application/problem+json',
    ...options.headers,
  };
  const init: RequestInit = { method, headers, credentials: 'same-origin', signal: options.signal ?? null };
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), init);
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, NETWORK_ERROR, (error as Error).message);
  }
  if (!response.ok) {
    const error = await problemOf(response);
    if (error.status === 401) for (const listener of unauthenticatedListeners) listener(error);
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  return (type.includes('json') ? await response.json() : await response.text()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  /** A request that moves money: the same key on a retry makes the server answer with the first result. */
  postOnce: <T>(path: string, body: unknown, idempotencyKey: string) =>
    request<T>('POST', path, { body, headers: { 'idempotency-key': idempotencyKey } }),
};
