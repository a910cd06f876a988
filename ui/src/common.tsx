import React, { ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from './api';
import { getSession } from './session';
import { currentLocale, useI18n } from './i18n';

type T = (key: string, vars?: Record<string, unknown>) => string;

/** The tool registry's tools, in the order the screens list them. */
export const TOOLS = ['create_ticket', 'add_internal_note', 'set_contact_field', 'create_task', 'handoff_to_human',
  'change_plan', 'issue_credit', 'cancel_subscription'];

export const DAY = 24 * 3600 * 1000;
/** A date as the date inputs and the API's date filters spell it (UTC). */
export const isoDay = (d: Date) => d.toISOString().slice(0, 10);

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

/** Loads once and again on reload(); what changes later comes from useLive, never from a timer. */
export function useLoad<V>(load: () => Promise<V>, deps: unknown[]) {
  const [value, setValue] = useState<V>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const loadRef = useRef(load);
  loadRef.current = load;
  // only the latest request's answer counts: an older one that arrives last must not overwrite it
  const latest = useRef(0);
  const reload = useCallback(async () => {
    const id = ++latest.current;
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
      if (id === latest.current) setLoading(false);
    }
  }, []);
  useEffect(() => {
    setLoading(true);
    reload();
  }, deps); // eslint-disable-line react-hooks/exhaustive-deps
  return { value, error, loading, reload, setValue };
}

/**
 * An admin's action on a screen: one at a time (busy), its outcome in words (notice) or its error, and the screen's
 * list read again after it.
 */
export function useAction(after: () => Promise<unknown>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const act = async (work: () => Promise<string>) => {
    setError(null);
    setNotice('');
    setBusy(true);
    try {
      setNotice(await work());
      await after();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { act, busy, error, setError, notice };
}

export interface Change { topic: string; id: string; what: string }

/**
 * Follows the tenant's changes on the topics (GET /api/ai/stream, server-sent events, read with fetch so the token
 * goes in a header) while the screen is shown. Each change reaches onChange; a burst of changes (a run's steps) is
 * told together after a moment, and a stream that drops is opened again, telling 'reconnected' so the screen reads
 * what it may have missed.
 */
export function useLive(topics: string[], onChange: (changes: Change[]) => void) {
  const handler = useRef(onChange);
  handler.current = onChange;
  const key = topics.join(',');
  useEffect(() => {
    const abort = new AbortController();
    let pending: Change[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    let retryIn = 1000;
    let opened = 0;
    const tell = (change: Change) => {
      pending.push(change);
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        const told = pending;
        pending = [];
        handler.current(told);
      }, 150);
    };
    const connect = async () => {
      const session = getSession();
      if (!session) return;
      try {
        const response = await fetch(`/api/ai/stream?topics=${encodeURIComponent(key)}`, {
          headers: { Accept: 'text/event-stream, application/problem+json', Authorization: `Bearer ${session.token}` },
          signal: abort.signal,
        });
        // a refused stream (a role that may not follow a topic, an ended session) is not asked for again; a server
        // that is restarting (502, 503) is
        if ([400, 401, 403, 404].includes(response.status)) return;
        if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event:(.*)$/m.exec(block)?.[1]?.trim();
            const data = block.split('\n').filter(l => l.startsWith('data:')).map(l => l.slice(5)).join('\n');
            if (event === 'ready') {
              retryIn = 1000;
              if (opened++ > 0) tell({ topic: '*', id: '', what: 'reconnected' });
            } else if (event === 'changed' && data) {
              try { tell(JSON.parse(data) as Change); } catch { /* a line this version cannot read */ }
            }
          }
        }
      } catch {
        if (abort.signal.aborted) return;
      }
      if (abort.signal.aborted) return;
      setTimeout(connect, retryIn);
      retryIn = Math.min(retryIn * 2, 30000);
    };
    connect();
    return () => {
      abort.abort();
      if (timer) clearTimeout(timer);
    };
  }, [key]);
}

/**
 * A citation that opens: a web page in a new tab; an uploaded file fetched with the session's token (a plain link
 * could not carry it) and opened, a PDF at its page, anything else saved under its name.
 */
export function CitationLink({ citation, label }: { citation: { chunk_id: string; url?: string; title?: string }; label: string }) {
  const { t } = useI18n();
  const [gone, setGone] = useState(false);
  const url = citation.url ?? '';
  if (!url.startsWith('file:')) return <a href={url} target="_blank" rel="noreferrer">{label}</a>;
  const [name, fragment] = url.slice('file:'.length).split('#');
  const open = async (e: React.MouseEvent) => {
    e.preventDefault();
    const session = getSession();
    const response = await fetch(`/api/ai/kb/chunks/${citation.chunk_id}/file`, {
      headers: session ? { Authorization: `Bearer ${session.token}` } : {},
    }).catch(() => null);
    if (!response?.ok) {
      setGone(true);
      return;
    }
    const blob = await response.blob();
    const href = URL.createObjectURL(blob);
    if (blob.type === 'application/pdf') {
      window.open(fragment ? `${href}#${fragment}` : href, '_blank', 'noopener');
    } else {
      const a = document.createElement('a');
      a.href = href;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
    }
    setTimeout(() => URL.revokeObjectURL(href), 60_000);
  };
  return (
    <>
      <a href={`/api/ai/kb/chunks/${citation.chunk_id}/file`} onClick={open} aria-label={t('cite.download', { name })}>{label}</a>
      {gone && <span className="alert error" role="alert">{t('cite.gone')}</span>}
    </>
  );
}
