import { DragEvent, FormEvent, useRef, useState } from 'react';
import { api, get, post } from '../api';
import { ErrorAlert, Notice, formatTime, useAction, useLive, useLoad } from '../common';
import { useI18n } from '../i18n';

const lines = (text: string) => text.split('\n').map(s => s.trim()).filter(Boolean);
const INTERVALS = ['off', '6h', '12h', '1d', '7d'];

/** "every 6 hours", "daily"…, or the value itself when it is not one of the screen's choices */
const intervalKey = (every: string) => INTERVALS.includes(every) ? `kb.every.${every}` : null;

function SyncHistory({ sourceId }: { sourceId: string }) {
  const { t } = useI18n();
  const history = useLoad(() => get(`/api/ai/kb/sources/${sourceId}/syncs`).then(r => r.items as any[]), [sourceId]);
  if (history.error) return <ErrorAlert error={history.error} />;
  if (!history.value) return <p>{t('loading')}</p>;
  if (history.value.length === 0) return <p>{t('kb.history.empty')}</p>;
  return (
    <div className="scroll">
      <table className="history">
        <thead><tr>
          <th>{t('kb.history.requested')}</th><th>{t('kb.history.trigger')}</th><th>{t('kb.status')}</th>
          <th>{t('kb.history.duration')}</th><th>{t('kb.history.counts')}</th><th>{t('kb.errors')}</th>
        </tr></thead>
        <tbody>
          {history.value.map(h => (
            <tr key={h.sync_id}>
              <td>{formatTime(h.requested_at)}</td>
              <td>{t(`kb.trigger.${h.trigger}`)}</td>
              <td>{t(`kb.status.${h.status}`)}</td>
              <td>{h.duration_ms != null ? t('kb.history.seconds', { s: (h.duration_ms / 1000).toFixed(1) }) : '—'}</td>
              <td>{h.counts ? t('kb.history.countsText', { fetched: h.counts.fetched, new: h.counts.new_chunks,
                unchanged: h.counts.unchanged_chunks, removed: h.counts.removed_chunks }) : '—'}</td>
              <td>{h.counts?.errors ?? 0}{h.error ? ` · ${h.error}` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Knowledge() {
  const { t } = useI18n();
  const sources = useLoad(() => get('/api/ai/kb/sources').then(r => r.items as any[]), []);
  // a sync's progress and its end arrive as they are recorded
  useLive(['sources'], () => { sources.reload(); });
  const [kind, setKind] = useState<'url' | 'file'>('url');
  // the share of a sync shown so far: a crawl finds pages as it goes, and the bar never goes back when it does
  const shown = useRef<Record<string, number>>({});
  const [url, setUrl] = useState('');
  const [maxPages, setMaxPages] = useState('200');
  const [sameDomain, setSameDomain] = useState(true);
  const [include, setInclude] = useState('');
  const [exclude, setExclude] = useState('');
  const [syncEvery, setSyncEvery] = useState('1d');
  const [schedules, setSchedules] = useState<Record<string, string>>({});
  const [histories, setHistories] = useState<Record<string, boolean>>({});
  const [file, setFile] = useState<File | null>(null);
  const [dragging, setDragging] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);
  const { act, busy, error, setError, notice } = useAction(() => sources.reload());

  const addUrl = (e: FormEvent) => {
    e.preventDefault();
    if (!/^https?:\/\//i.test(url.trim())) {
      setError(new Error(t('kb.needUrl')));
      return;
    }
    act(async () => {
      await post('/api/ai/kb/sources', { type: 'url', url: url.trim(), config: {
        max_pages: Number(maxPages) || undefined, same_domain_only: sameDomain,
        include_paths: lines(include), exclude_paths: lines(exclude), sync_every: syncEvery } });
      setUrl('');
      return t('kb.added');
    });
  };

  const upload = (e: FormEvent) => {
    e.preventDefault();
    if (!file) {
      setError(new Error(t('kb.needFile')));
      return;
    }
    act(async () => {
      const form = new FormData();
      form.append('type', 'file');
      form.append('file', file);
      await api('POST', '/api/ai/kb/sources', form);
      setFile(null);
      return t('kb.added');
    });
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const dropped = e.dataTransfer.files?.[0];
    if (dropped) setFile(dropped);
  };

  const name = (s: any) => s.url ?? s.file_name ?? s.id;

  return (
    <section>
      <h1>{t('kb.title')}</h1>
      <ErrorAlert error={error} />
      <Notice>{notice}</Notice>
      <section className="card" aria-labelledby="kb-add">
        <h2 id="kb-add">{t('kb.add')}</h2>
        <fieldset className="inline">
          <legend>{t('kb.type')}</legend>
          <label><input type="radio" name="kind" checked={kind === 'url'} onChange={() => setKind('url')} /> {t('kb.type.url')}</label>
          <label><input type="radio" name="kind" checked={kind === 'file'} onChange={() => setKind('file')} /> {t('kb.type.file')}</label>
        </fieldset>
        {kind === 'url' ? (
          <form onSubmit={addUrl} className="form">
            <label>{t('kb.url')}<input type="url" value={url} onChange={e => setUrl(e.target.value)} placeholder="https://help.example.com/" required /></label>
            <label>{t('kb.maxPages')}<input type="number" min={1} max={10000} value={maxPages} onChange={e => setMaxPages(e.target.value)} /></label>
            <label className="check"><input type="checkbox" checked={sameDomain} onChange={e => setSameDomain(e.target.checked)} /> {t('kb.sameDomain')}</label>
            <label>{t('kb.include')}<textarea rows={2} value={include} onChange={e => setInclude(e.target.value)} /></label>
            <label>{t('kb.exclude')}<textarea rows={2} value={exclude} onChange={e => setExclude(e.target.value)} /></label>
            <label>{t('kb.resync')}<select value={syncEvery} onChange={e => setSyncEvery(e.target.value)}>
              {INTERVALS.map(i => <option key={i} value={i}>{t(`kb.every.${i}`)}</option>)}
            </select></label>
            <button type="submit" disabled={busy}>{t('kb.addUrl')}</button>
          </form>
        ) : (
          <form onSubmit={upload} className="form">
            <div className={`dropzone${dragging ? ' over' : ''}`} aria-label={t('kb.dropZone')} role="group"
                 onDragOver={e => { e.preventDefault(); setDragging(true); }} onDragLeave={() => setDragging(false)} onDrop={onDrop}>
              <p>{t('kb.drop')}</p>
              <label>{t('kb.file')}<input type="file" accept=".pdf,.doc,.docx,.txt,.md,.html,.htm"
                onChange={e => setFile(e.target.files?.[0] ?? null)} /></label>
              {file && <p>{t('kb.chosen', { name: file.name })}</p>}
            </div>
            <button type="submit" disabled={busy}>{busy ? t('kb.uploading') : t('kb.upload')}</button>
          </form>
        )}
      </section>
      <section aria-labelledby="kb-list">
        <h2 id="kb-list">{t('kb.list')}</h2>
        <ErrorAlert error={sources.error} />
        {sources.loading && !sources.value && <p>{t('loading')}</p>}
        {sources.value?.length === 0 && <p>{t('kb.empty')}</p>}
        <ul className="sources">
          {sources.value?.map(s => {
            const progress = s.stats?.progress;
            const syncing = s.status === 'syncing' || s.status === 'queued';
            if (!syncing) delete shown.current[s.id];
            else if (progress?.total) shown.current[s.id] = Math.max(shown.current[s.id] ?? 0, Math.min(1, progress.done / progress.total));
            const share = shown.current[s.id];
            return (
              <li key={s.id} className="card source" aria-label={name(s)}>
                <div className="row">
                  <strong className="name">{name(s)}</strong>
                  <span className={`badge ${s.status}`} aria-label={`${t('kb.status')}: ${t(`kb.status.${s.status}`)}`}>{t(`kb.status.${s.status}`)}</span>
                </div>
                {syncing && (
                  <div className="progress">
                    <progress aria-label={t('kb.progress', { name: name(s) })} max={100} value={share === undefined ? undefined : Math.round(share * 100)} />
                    {progress && <span>{t('kb.progressText', { done: progress.done, total: progress.total })}</span>}
                  </div>
                )}
                <dl className="stats">
                  <dt>{t('kb.pages')}</dt><dd data-testid="pages">{s.stats?.documents ?? 0}</dd>
                  <dt>{t('kb.chunks')}</dt><dd data-testid="chunks">{s.stats?.chunks ?? 0}</dd>
                  <dt>{t('kb.lastSync')}</dt><dd>{s.stats?.last_synced_at ? formatTime(s.stats.last_synced_at) : t('never')}</dd>
                </dl>
                {s.stats?.last_sync && <p className="help">{t('kb.lastRun', { fetched: s.stats.last_sync.fetched,
                  new: s.stats.last_sync.new_chunks, unchanged: s.stats.last_sync.unchanged_chunks,
                  removed: s.stats.last_sync.removed_chunks, errors: s.stats.last_sync.errors })}</p>}
                {s.schedule && (
                  <div className="row schedule">
                    <span>{s.schedule.every === 'off' ? t('kb.schedule.off')
                      : t('kb.schedule.on', { every: intervalKey(s.schedule.every) ? t(intervalKey(s.schedule.every)!).toLowerCase() : s.schedule.every })
                        + (s.schedule.next_at ? ' · ' + t('kb.schedule.next', { at: formatTime(s.schedule.next_at) }) : '')}</span>
                    <label className="inline">{t('kb.resyncOf', { name: name(s) })}
                      <select value={schedules[s.id] ?? s.schedule.every}
                              onChange={e => setSchedules({ ...schedules, [s.id]: e.target.value })}>
                        {[...new Set([...INTERVALS, s.schedule.every])].map(i => (
                          <option key={i} value={i}>{intervalKey(i) ? t(intervalKey(i)!) : i}</option>))}
                      </select></label>
                    {schedules[s.id] && schedules[s.id] !== s.schedule.every && (
                      <button type="button" disabled={busy} onClick={() => act(async () => {
                        await api('PATCH', `/api/ai/kb/sources/${s.id}`, { config: { ...s.config, sync_every: schedules[s.id] } });
                        setSchedules({ ...schedules, [s.id]: '' });
                        return t('kb.schedule.saved', { name: name(s) });
                      })}>{t('kb.schedule.save')}</button>
                    )}
                  </div>
                )}
                {s.schedule?.backoff && <p className="alert warn">{t('kb.schedule.backoff', { n: s.schedule.failures, factor: s.schedule.wait_factor })}</p>}
                {s.error && <p className="alert error">{s.status === 'cancelled' ? t('kb.cancelledBy', { who: s.error.replace(/^cancelled by /, '') }) : s.error}</p>}
                {s.stats?.last_errors?.length > 0 && (
                  <details>
                    <summary>{t('kb.errors')} ({s.stats.last_errors.length})</summary>
                    <ul>{s.stats.last_errors.map((e: any, i: number) => <li key={i}><code>{e.url}</code>: {e.reason}</li>)}</ul>
                  </details>
                )}
                <div className="row">
                  <button type="button" disabled={busy} aria-label={t('kb.syncNowOf', { name: name(s) })}
                          onClick={() => act(async () => { await post(`/api/ai/kb/sources/${s.id}/sync`); return t('kb.syncQueued', { name: name(s) }); })}>
                    {t('kb.syncNow')}</button>
                  {(s.status === 'syncing' || s.status === 'queued') && (
                    <button type="button" disabled={busy} aria-label={t('kb.cancelOf', { name: name(s) })}
                            onClick={() => act(async () => { await post(`/api/ai/kb/sources/${s.id}/cancel`); return t('kb.cancelled', { name: name(s) }); })}>
                      {t('kb.cancel')}</button>
                  )}
                  <button type="button" aria-expanded={!!histories[s.id]} aria-label={t('kb.historyOf', { name: name(s) })}
                          onClick={() => setHistories({ ...histories, [s.id]: !histories[s.id] })}>{t('kb.history')}</button>
                  {confirming === s.id ? (
                    <span role="group" aria-label={t('kb.confirmDelete', { name: name(s) })} className="confirm">
                      {t('kb.confirmDelete', { name: name(s) })}{' '}
                      <button type="button" className="danger" autoFocus
                              onClick={() => { setConfirming(null); act(async () => { await api('DELETE', `/api/ai/kb/sources/${s.id}`); return t('kb.deleted', { name: name(s) }); }); }}>
                        {t('kb.confirm')}</button>{' '}
                      <button type="button" onClick={() => setConfirming(null)}>{t('cancel')}</button>
                    </span>
                  ) : (
                    <button type="button" className="danger" aria-label={t('kb.deleteOf', { name: name(s) })} onClick={() => setConfirming(s.id)}>
                      {t('kb.delete')}</button>
                  )}
                </div>
                {histories[s.id] && <SyncHistory sourceId={s.id} />}
              </li>
            );
          })}
        </ul>
      </section>
    </section>
  );
}
