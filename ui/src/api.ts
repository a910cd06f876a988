// Every call to AI Desk's API: the token from the session, problem+json turned into an ApiError, 401 back to sign-in.
import { clearSession, getSession } from './session';

export class ApiError extends Error {
  constructor(public status: number, public title: string, public detail: string, public field?: string,
              public retryAfter?: string) {
    super(detail || title);
  }
}

let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(handler: () => void) {
  onUnauthorized = handler;
}

export async function api<T = any>(method: string, path: string, body?: unknown, opts: { noAuth?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  const session = getSession();
  if (session && !opts.noAuth) headers.Authorization = `Bearer ${session.token}`;
  let payload: BodyInit | undefined;
  if (body instanceof FormData) {
    payload = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: payload });
  } catch {
    throw new ApiError(0, 'network', '');
  }
  const text = await response.text();
  let json: any = null;
  if (text) {
    try { json = JSON.parse(text); } catch { json = null; }
  }
  if (!response.ok) {
    if (response.status === 401 && !opts.noAuth) {
      clearSession();
      onUnauthorized();
    }
    throw new ApiError(response.status, json?.title ?? response.statusText, json?.detail ?? '', json?.field ?? undefined,
      response.headers.get('Retry-After') ?? undefined);
  }
  return json as T;
}

export const get = <T = any>(path: string) => api<T>('GET', path);
export const post = <T = any>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
