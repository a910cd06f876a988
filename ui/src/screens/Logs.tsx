import { FormEvent, useState } from 'react';
import { get } from '../api';
import { CitationLink, ErrorAlert, Json, TOOLS, formatTime, pct, useLive, useLoad } from '../common';
import { useI18n } from '../i18n';
import { navigate } from '../router';

const STATUSES = ['running', 'awaiting_approval', 'completed', 'escalated', 'failed'];

export function Logs({ search }: { search: string }) {
  const run = new URLSearchParams(search).get('run');
  return run ? <RunDetail id={run} /> : <RunList search={search} />;
}

/** The filters start from the address (a drill-down from the insights names them), and apply on submit. */
function RunList({ search }: { search: string }) {
  const { t } = useI18n();
  const given = new URLSearchParams(search);
  const [filters, setFilters] = useState(() => {
    const start = { from: '', to: '', mode: '', intent: '', status: '', min_confidence: '', tool: '' };
    (Object.keys(start) as (keyof typeof start)[]).forEach(k => { start[k] = given.get(k) ?? ''; });
    return start;
  });
  const [applied, setApplied] = useState(filters);
  const [extra, setExtra] = useState<any[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const query = (f: typeof filters, c?: string | null) => {
    const p = new URLSearchParams();
    Object.entries(f).forEach(([k, v]) => { if (v) p.set(k, v); });
    if (c) p.set('cursor', c);
    p.set('limit', '50');
    return `/api/ai/runs?${p}`;
  };
  const page = useLoad(async () => {
    const r = await get(query(applied));
    setExtra([]);
    setCursor(r.next_cursor);
    return r.items as any[];
  }, [applied]);
  const [moreError, setMoreError] = useState<unknown>(null);
  const more = async () => {
    try {
      const r = await get(query(applied, cursor));
      setExtra(x => [...x, ...r.items]);
      setCursor(r.next_cursor);
    } catch (e) { setMoreError(e); }
  };
  const field = (name: keyof typeof filters) => ({ value: filters[name], onChange: (e: any) => setFilters(f => ({ ...f, [name]: e.target.value })) });
  const apply = (e: FormEvent) => { e.preventDefault(); setApplied({ ...filters }); };
  const items = [...(page.value ?? []), ...extra];
  return (
    <section>
      <h1>{t('logs.title')}</h1>
      <form className="filters card" onSubmit={apply} aria-label={t('logs.filters')}>
        <label>{t('logs.from')}<input type="date" {...field('from')} /></label>
        <label>{t('logs.to')}<input type="date" {...field('to')} /></label>
        <label>{t('logs.mode')}<select {...field('mode')}><option value="">{t('logs.any')}</option><option value="copilot">{t('mode.copilot')}</option><option value="autopilot">{t('mode.autopilot')}</option><option value="replay">{t('mode.replay')}</option></select></label>
        <label>{t('logs.intent')}<select {...field('intent')}><option value="">{t('logs.any')}</option>
          {['support', 'sales', 'billing', 'other'].map(i => <option key={i} value={i}>{t(`intent.${i}`)}</option>)}</select></label>
        <label>{t('logs.status')}<select {...field('status')}><option value="">{t('logs.any')}</option>
          {STATUSES.map(s => <option key={s} value={s}>{t(`run.status.${s}`)}</option>)}</select></label>
        <label>{t('logs.minConf')}<input type="number" min={0} max={1} step={0.05} {...field('min_confidence')} /></label>
        <label>{t('logs.tool')}<select {...field('tool')}><option value="">{t('logs.any')}</option>
          {TOOLS.map(s => <option key={s} value={s}>{t(`tool.${s}`)}</option>)}</select></label>
        <button type="submit">{t('logs.apply')}</button>
        <button type="button" onClick={() => page.reload()}>{t('refresh')}</button>
      </form>
      <ErrorAlert error={page.error || moreError} />
      {page.loading && !page.value && <p>{t('loading')}</p>}
      {page.value && items.length === 0 && <p>{t('logs.empty')}</p>}
      {items.length > 0 && (
        <table className="runs">
          <thead><tr><th>{t('logs.started')}</th><th>{t('logs.mode')}</th><th>{t('logs.intent')}</th><th>{t('logs.confidence')}</th>
            <th>{t('logs.status')}</th><th>{t('logs.actions')}</th><th><span className="sr-only">run</span></th></tr></thead>
          <tbody>
            {items.map(r => (
              <tr key={r.run_id}>
                <td data-label={t('logs.started')}>{formatTime(r.started_at)}</td><td data-label={t('logs.mode')}>{t(`mode.${r.mode}`)}</td>
                <td data-label={t('logs.intent')}>{r.intent ? t(`intent.${r.intent}`) : '—'}</td>
                <td data-label={t('logs.confidence')}>{pct(r.confidence)}</td>
                <td data-label={t('logs.status')}><span className={`badge ${r.status}`}>{t(`run.status.${r.status}`)}</span></td>
                <td data-label={t('logs.actions')}>{r.actions_executed} / {r.tools?.length ?? 0}{r.tools?.length ? ` (${r.tools.map((x: string) => t(`tool.${x}`)).join(', ')})` : ''}</td>
                <td><a href={`?run=${r.run_id}`} aria-label={t('logs.open', { id: r.run_id })}
                       onClick={e => { e.preventDefault(); navigate(`/settings/ai-desk/logs?run=${r.run_id}`); }}>{t('logs.openShort')}</a></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor && <button type="button" onClick={more}>{t('logs.more')}</button>}
    </section>
  );
}

function RunDetail({ id }: { id: string }) {
  const { t } = useI18n();
  const detail = useLoad(() => Promise.all([get(`/api/ai/runs/${id}`), get(`/api/ai/runs/${id}/events`)]), [id]);
  // a run still going shows its next steps as they are recorded
  useLive(['runs'], changes => {
    if (changes.some(c => c.id === id || c.what === 'reconnected')) detail.reload();
  });
  const [run, events] = detail.value ?? [null, null];
  return (
    <section>
      <a href="/settings/ai-desk/logs" onClick={e => { e.preventDefault(); navigate('/settings/ai-desk/logs'); }}>← {t('logs.back')}</a>
      <h1>{t('logs.detail', { id })}</h1>
      <ErrorAlert error={detail.error} />
      {!run && !detail.error && <p>{t('loading')}</p>}
      {run && (
        <>
          <p className="meta">
            <span className={`badge ${run.status}`}>{t(`run.status.${run.status}`)}</span> {t(`mode.${run.mode}`)} · {run.intent ? t(`intent.${run.intent}`) : '—'} ·{' '}
            {t('logs.confidence')} {pct(run.confidence)} · {formatTime(run.started_at)} · {run.duration_ms ?? '—'} ms ·{' '}
            {t('logs.logContent', { mode: t(`as.log.${run.log_content}`) })}
          </p>
          {run.handoff_reason && <p className="alert warn">{t('logs.handoff', { reason: t(`handoff.${run.handoff_reason}`) })}</p>}
          <section className="card" aria-labelledby="d-input"><h2 id="d-input">{t('logs.input')}</h2><blockquote>{run.input}</blockquote></section>
          {run.reply && <section className="card" aria-labelledby="d-reply"><h2 id="d-reply">{t('logs.reply')}</h2><blockquote>{run.reply}</blockquote></section>}
          <section className="card" aria-labelledby="d-cit">
            <h2 id="d-cit">{t('logs.citations')}</h2>
            {(run.citations ?? []).length === 0 && <p>{t('none')}</p>}
            <ol className="citations">
              {(run.citations ?? []).map((c: any) => (
                <li key={c.chunk_id}>
                  <strong>{c.title ?? c.url}</strong> {c.url && <CitationLink citation={c} label={c.url} />}{' '}
                  <span className="badge">{t('logs.score', { score: c.score?.toFixed(3) })}</span>
                  {c.cited && <span className="badge ok">{t('logs.cited')}</span>}
                  <p className="snippet">{c.text}</p>
                </li>
              ))}
            </ol>
            {(run.dropped_citations ?? []).length > 0 && <p className="help">dropped: {run.dropped_citations.join(', ')}</p>}
          </section>
          <section className="card" aria-labelledby="d-out"><h2 id="d-out">{t('logs.output')}</h2><Json value={run.output} label={t('logs.output')} /></section>
          <section className="card" aria-labelledby="d-calls">
            <h2 id="d-calls">{t('logs.calls')}</h2>
            {(run.actions ?? []).length === 0 && <p>{t('logs.noCalls')}</p>}
            {(run.actions ?? []).map((a: any) => (
              <article key={a.call_id} className="call" aria-label={`${a.tool} ${a.status}`}>
                <h3>{t(`tool.${a.tool}`)} <code>{a.tool}</code> <span className={`badge ${a.status}`}>{t(`call.status.${a.status}`)}</span></h3>
                {a.reason && <p>{a.reason}</p>}
                {a.decided_by && <p>{t('logs.approvedBy', { by: a.decided_by, at: formatTime(a.decided_at) })}</p>}
                <h4>{t('logs.args')}</h4><Json value={a.args} label={`${t('logs.args')} ${a.tool}`} />
                {a.result && <><h4>{t('logs.result')}</h4><Json value={a.result} label={`${t('logs.result')} ${a.tool}`} /></>}
                {a.error && <p className="alert error">{t('logs.error')}: {a.error}</p>}
              </article>
            ))}
          </section>
          {run.usage && <p className="help">{t('logs.usage', { model: run.usage.model, tin: run.usage.tokens_in ?? '—', tout: run.usage.tokens_out ?? '—', ms: run.usage.latency_ms ?? '—' })}</p>}
          <section className="card" aria-labelledby="d-events">
            <h2 id="d-events">{t('logs.timeline')}</h2>
            <ol className="timeline">
              {(events?.items ?? []).map((ev: any) => (
                <li key={ev.sequence}>
                  <details>
                    <summary><span className="seq">{ev.sequence}</span> <strong>{ev.type}</strong> · {formatTime(ev.timestamp)}
                      {ev.metadata?.user_id ? ` · ${t('logs.by', { user: ev.metadata.user_id })}` : ''}</summary>
                    <Json value={ev.payload} label={ev.type} />
                  </details>
                </li>
              ))}
            </ol>
          </section>
        </>
      )}
    </section>
  );
}
