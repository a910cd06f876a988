import { FormEvent, useState } from 'react';
import { api, get, post } from '../api';
import { ErrorAlert, Json, Notice, formatTime, useAction, useLoad } from '../common';
import { useI18n } from '../i18n';

/** One endpoint's delivery log, newest first, read when opened and on Refresh. */
function Deliveries({ endpointId, onResent }: { endpointId: string; onResent: () => void }) {
  const { t } = useI18n();
  const log = useLoad(() => get(`/api/ai/webhooks/${endpointId}/deliveries?limit=50`).then(r => r.items as any[]), [endpointId]);
  const [error, setError] = useState<unknown>(null);
  const resend = async (id: string) => {
    setError(null);
    try {
      await post(`/api/ai/webhooks/${endpointId}/deliveries/${id}/resend`);
      await log.reload();
      onResent();
    } catch (e) {
      setError(e);
    }
  };
  if (log.error) return <ErrorAlert error={log.error} />;
  if (!log.value) return <p>{t('loading')}</p>;
  return (
    <div>
      <ErrorAlert error={error} />
      <button type="button" onClick={() => log.reload()}>{t('refresh')}</button>
      {log.value.length === 0 ? <p>{t('wh.log.empty')}</p> : (
        <div className="scroll">
          <table className="history">
            <thead><tr>
              <th>{t('wh.log.when')}</th><th>{t('wh.log.event')}</th><th>{t('wh.log.status')}</th>
              <th>{t('wh.log.attempts')}</th><th>{t('wh.log.last')}</th><th>{t('wh.log.payload')}</th><th></th>
            </tr></thead>
            <tbody>
              {log.value.map(d => (
                <tr key={d.id}>
                  <td>{formatTime(d.created_at)}</td>
                  <td>{t(`wh.type.${d.event_type}`)}<br /><code>{d.event_type}</code></td>
                  <td><span className={`badge ${d.status === 'delivered' ? 'ok' : d.status}`}>{t(`wh.delivery.${d.status}`)}</span>
                    {d.status === 'pending' && d.attempts > 0 && <><br />{t('wh.log.next', { at: formatTime(d.next_attempt_at) })}</>}</td>
                  <td>{d.attempts}</td>
                  <td>{d.last_error ?? (d.last_status ? t('wh.log.answered', { status: d.last_status }) : '—')}</td>
                  <td><details><summary>{d.id}</summary><Json value={d.payload} label={`${t('wh.log.payload')} ${d.id}`} /></details></td>
                  <td>{d.status !== 'pending' && (
                    <button type="button" onClick={() => resend(d.id)} aria-label={t('wh.resendOf', { id: d.id })}>{t('wh.resend')}</button>
                  )}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function Webhooks() {
  const { t } = useI18n();
  const endpoints = useLoad(() => get('/api/ai/webhooks'), []);
  const types: string[] = endpoints.value?.event_types ?? [];
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [chosen, setChosen] = useState<string[] | null>(null);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [open, setOpen] = useState<Record<string, boolean>>({});
  const [confirming, setConfirming] = useState<string | null>(null);
  const selected = chosen ?? types;

  const { act, busy, error, notice } = useAction(() => endpoints.reload());

  const add = (e: FormEvent) => {
    e.preventDefault();
    act(async () => {
      const created = await post('/api/ai/webhooks', { url: url.trim(), description: description.trim() || undefined,
        event_types: selected });
      setSecret({ url: created.url, secret: created.secret });
      setUrl('');
      setDescription('');
      return t('wh.added');
    });
  };

  const rotate = (ep: any) => act(async () => {
    const rotated = await post(`/api/ai/webhooks/${ep.id}/rotate-secret`);
    setSecret({ url: rotated.url, secret: rotated.secret });
    return t('wh.rotated');
  });
  const toggle = (ep: any) => act(async () => {
    await api('PATCH', `/api/ai/webhooks/${ep.id}`, { enabled: ep.status !== 'active' });
    return ep.status === 'active' ? t('wh.paused') : t('wh.enabled');
  });
  const remove = (ep: any) => act(async () => {
    setConfirming(null);
    await api('DELETE', `/api/ai/webhooks/${ep.id}`);
    setSecret(null);
    return t('wh.removed');
  });

  return (
    <section>
      <h1>{t('wh.title')}</h1>
      <p>{t('wh.intro')}</p>
      <ErrorAlert error={error || endpoints.error} />
      <Notice>{notice}</Notice>
      {secret && (
        <div className="alert warn" role="status" aria-label={t('wh.secretFor', { url: secret.url })}>
          <p>{t('wh.secretOnce', { url: secret.url })}</p>
          <code className="secret" tabIndex={0}>{secret.secret}</code>
          <p>{t('wh.verifyHelp')}</p>
          <button type="button" onClick={() => setSecret(null)}>{t('wh.secretKept')}</button>
        </div>
      )}
      <section className="card" aria-labelledby="wh-add">
        <h2 id="wh-add">{t('wh.add')}</h2>
        <form onSubmit={add} className="form">
          <label>{t('wh.url')}<input type="url" value={url} onChange={e => setUrl(e.target.value)}
                                      placeholder="https://crm.example.com/ai-desk/events" required /></label>
          <label>{t('wh.description')}<input type="text" maxLength={200} value={description}
                                              onChange={e => setDescription(e.target.value)} /></label>
          <fieldset>
            <legend>{t('wh.events')}</legend>
            {types.map(type => (
              <label key={type} className="check">
                <input type="checkbox" checked={selected.includes(type)}
                       onChange={e => setChosen(e.target.checked ? [...selected, type] : selected.filter(s => s !== type))} />
                {' '}{t(`wh.type.${type}`)} <code>{type}</code>
              </label>
            ))}
          </fieldset>
          <button type="submit" disabled={busy || selected.length === 0}>{t('wh.addButton')}</button>
        </form>
      </section>
      {endpoints.loading && !endpoints.value && <p>{t('loading')}</p>}
      {endpoints.value?.items?.length === 0 && <p>{t('wh.empty')}</p>}
      {(endpoints.value?.items as any[] | undefined)?.map(ep => (
        <article key={ep.id} className="card" aria-label={t('wh.endpointOf', { url: ep.url })}>
          <h2><code>{ep.url}</code> <span className={`badge ${ep.status === 'active' ? 'ok' : ep.status === 'disabled' ? 'failed' : ''}`}>{t(`wh.status.${ep.status}`)}</span></h2>
          {ep.description && <p>{ep.description}</p>}
          {ep.disabled_reason && <p className="alert error">{t('wh.disabledBecause', { reason: ep.disabled_reason })}</p>}
          <p>{t('wh.subscribed')}: {ep.event_types.map((type: string) => t(`wh.type.${type}`)).join(', ')}</p>
          <p>{t('wh.pending', { n: ep.pending })}
            {ep.failing_since && <> · {t('wh.failingSince', { at: formatTime(ep.failing_since) })}</>}
            {' · '}{t('wh.createdBy', { by: ep.created_by, at: formatTime(ep.created_at) })}</p>
          <div className="row">
            <button type="button" disabled={busy} onClick={() => toggle(ep)}>{ep.status === 'active' ? t('wh.pause') : t('wh.enable')}</button>
            <button type="button" disabled={busy} onClick={() => rotate(ep)}>{t('wh.rotate')}</button>
            <button type="button" onClick={() => setOpen(o => ({ ...o, [ep.id]: !o[ep.id] }))} aria-expanded={!!open[ep.id]}>
              {open[ep.id] ? t('wh.hideLog') : t('wh.showLog')}</button>
            <button type="button" className="danger" disabled={busy} onClick={() => setConfirming(ep.id)}>{t('wh.remove')}</button>
          </div>
          {confirming === ep.id && (
            <div className="alert warn" role="alertdialog" aria-label={t('wh.removeOf', { url: ep.url })}>
              <p>{t('wh.removeEffect', { url: ep.url, n: ep.pending })}</p>
              <div className="row">
                <button type="button" className="danger" disabled={busy} onClick={() => remove(ep)}>{t('wh.removeConfirm')}</button>
                <button type="button" onClick={() => setConfirming(null)}>{t('cancel')}</button>
              </div>
            </div>
          )}
          {open[ep.id] && <Deliveries endpointId={ep.id} onResent={() => endpoints.reload()} />}
        </article>
      ))}
    </section>
  );
}
