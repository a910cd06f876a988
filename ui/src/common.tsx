import { ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from './api';
import { currentLocale, useI18n } from './i18n';

type T = (key: string, vars?: Record<string, unknown>) => string;

/** An API error in words a person understands, with the server's own detail. */
export function errorMessage(t: T, error: unknown): string {
  if (!(error instanceof ApiError)) return t('err.other', { detail: String((error as Error)?.message ?? error) });
  const detail = error.detail || error.title;
  switch (error.status) {
    case 0: return t('err.network');
    case 400: return error.field ? t('err.400.field', { field: error.field, detail }) : t('err.400', { detail });
    case 401: return t('err.401');
    case 403: return t('err.403');
    case 404: return t('err.404');
    case 409: return t('err.409', { detail });
    case 413: return t('err.413');
    case 415: return t('err.415', { detail });
    case 429: return t('err.429', { seconds: error.retryAfter ?? '60' });
    default: return error.status >= 500 ? t('err.500') : t('err.other', { detail });
  }
}

export function ErrorAlert({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  return <div className="alert error" role="alert">{errorMessage(t, error)}</div>;
}

export function Notice({ children }: { children: ReactNode }) {
  if (!children) return null;
  return <div className="alert ok" role="status">{children}</div>;
}

export function formatTime(value?: string | null) {
  if (!value) return '—';
  const d = new Date(value);
  return isNaN(d.getTime()) ? value : d.toLocaleString(currentLocale());
}

export function pct(value?: number | null) {
  return value === null || value === undefined ? '—' : `${Math.round(value * 100)}%`;
}

export function Json({ value, label }: { value: unknown; label: string }) {
  return <pre className="json" aria-label={label} tabIndex={0}>{JSON.stringify(value, null, 2)}</pre>;
}

/** Loads once and again on reload(); polls every `every` ms while `poll` says so. */
export function useLoad<V>(load: () => Promise<V>, deps: unknown[], poll?: (v: V | undefined) => number | null) {
  const [value, setValue] = useState<V>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const loadRef = useRef(load);
  loadRef.current = load;
  // only the latest request's answer counts: an older one that arrives last must not overwrite it
  const latest = useRef(0);
  const inFlight = useRef(false);
  const reload = useCallback(async () => {
    const id = ++latest.current;
    inFlight.current = true;
    try {
      const v = await loadRef.current();
      if (id === latest.current) {
        setValue(v);
        setError(null);
      }
      return v;
    } catch (e) {
      if (id === latest.current) setError(e);
      return undefined;
    } finally {
      if (id === latest.current) {
        setLoading(false);
        inFlight.current = false;
      }
    }
  }, []);
  useEffect(() => {
    setLoading(true);
    reload();
  }, deps); // eslint-disable-line react-hooks/exhaustive-deps
  const every = poll ? poll(value) : null;
  useEffect(() => {
    if (!every) return;
    // a hidden tab, or a slow server still answering the last poll, is not asked again
    const timer = setInterval(() => { if (!document.hidden && !inFlight.current) reload(); }, every);
    return () => clearInterval(timer);
  }, [every, reload]);
  return { value, error, loading, reload, setValue };
}
