import { useState } from 'react';
import { get, post } from '../api';
import { ErrorAlert, Json, Notice, formatTime, useLive, useLoad } from '../common';
import { currentLocale, useI18n } from '../i18n';

export function Approvals() {
  const { t } = useI18n();
  const list = useLoad(async () => {
    const r = await get('/api/ai/approvals?status=pending');
    const items = r.items as any[];
    // the conversation each call came from, and the contact it acts on (none when the CRM is not the built-in one)
    const conversations = await Promise.all(items.map(a => a.conversation_id
      ? get(`/api/ai/conversations/${a.conversation_id}`).catch(() => null) : Promise.resolve(null)));
    const contacts = await Promise.all(items.map(a => a.contact_id
      ? get(`/api/crm/contacts/${a.contact_id}`).catch(() => null) : Promise.resolve(null)));
    return items.map((a, i) => ({ ...a, conversation: conversations[i], contact: contacts[i] }));
  }, []);
  // decided and expired calls, newest first: what was approved, by whom, and what was turned down and why
  const history = useLoad(async () => {
    const r = await get('/api/ai/approvals');
    return (r.items as any[]).filter(a => a.action.status !== 'awaiting_approval')
      .sort((x, y) => String(y.action.decided_at ?? y.action.deadline ?? '').localeCompare(String(x.action.decided_at ?? x.action.deadline ?? '')));
  }, []);
  // a call that asks for approval, or is decided or expires, shows at once
  useLive(['approvals'], () => { list.reload(); history.reload(); });
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  // the call whose approval waits for a second click: an approved cancellation or credit cannot be taken back here
  const [confirming, setConfirming] = useState<string | null>(null);

  const who = (a: any) => a.contact?.name ?? t('ap.contact', { id: a.contact_id ?? '—' });
  const effect = (a: any) => {
    const args = a.action.args ?? {};
    const name = who(a);
    const plan = a.contact?.subscription?.plan ?? t('ap.unknownPlan');
    switch (a.action.tool) {
      case 'cancel_subscription': return t('ap.effect.cancel_subscription', { name, plan });
      case 'change_plan': return t('ap.effect.change_plan', { name, plan, to: args.plan ?? '—' });
      case 'issue_credit': return t('ap.effect.issue_credit', { name,
        amount: typeof args.amount === 'number' ? args.amount.toLocaleString(currentLocale()) : String(args.amount ?? '—'), currency: args.currency ?? '' });
      default: return null;
    }
  };

  const decide = async (a: any, approve: boolean) => {
    setError(null);
    setNotice('');
    const reason = (reasons[a.call_id] ?? '').trim();
    if (!approve && !reason) {
      setError(new Error(t('ap.needReason')));
      return;
    }
    if (approve && effect(a) && confirming !== a.call_id) {
      setConfirming(a.call_id);
      return;
    }
    setConfirming(null);
    setBusy(a.call_id);
    try {
      const tool = t(`tool.${a.action.tool}`);
      if (approve) {
        const r = await post(`/api/ai/approvals/${a.call_id}/approve`, { args_hash: a.action.args_hash });
        setNotice(t('ap.approved', { tool, status: r?.status ?? '' }));
      } else {
        await post(`/api/ai/approvals/${a.call_id}/reject`, { reason });
        setNotice(t('ap.rejected', { tool }));
      }
      await Promise.all([list.reload(), history.reload()]);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section>
      <h1>{t('ap.title')}</h1>
      <ErrorAlert error={error || list.error} />
      <Notice>{notice}</Notice>
      {list.loading && !list.value && <p>{t('loading')}</p>}
      {list.value?.length === 0 && <p>{t('ap.empty')}</p>}
      {list.value?.map(a => (
        <article key={a.call_id} className="card approval" aria-label={`${t(`tool.${a.action.tool}`)} ${a.call_id}`}>
          <h2>{t(`tool.${a.action.tool}`)} <code>{a.action.tool}</code> <span className="badge sensitive">{t(`call.status.${a.action.status}`)}</span></h2>
          <p>{who(a)}{a.contact?.subscription?.plan && <> · {t('ap.plan', { plan: a.contact.subscription.plan })}</>}
            {' · '}{t('ap.conversation')} <code>{a.conversation_id}</code>
            {a.action.deadline && <> · {t('ap.deadline', { at: formatTime(a.action.deadline) })}</>}</p>
          <h3>{t('ap.customer')}</h3>
          <blockquote>{a.input}</blockquote>
          {a.conversation?.messages?.length > 0 && (
            <details open>
              <summary>{t('ap.conversation')}</summary>
              <ol className="messages small">
                {a.conversation.messages.map((m: any) => (
                  <li key={m.id} className={m.sender}><strong>{t(`in.sender.${m.sender}`)}:</strong> {m.text}</li>
                ))}
              </ol>
            </details>
          )}
          <h3>{t('ap.args')}</h3>
          <Json value={a.action.args} label={`${t('ap.args')} ${a.action.tool}`} />
          {confirming === a.call_id && (
            <div className="alert warn" role="alertdialog" aria-label={t('ap.confirmOf', { tool: t(`tool.${a.action.tool}`) })}>
              <p>{effect(a)}</p>
              <div className="row">
                <button type="button" className="danger" disabled={busy === a.call_id} onClick={() => decide(a, true)}>{t('ap.confirm')}</button>
                <button type="button" onClick={() => setConfirming(null)}>{t('ap.keepWaiting')}</button>
              </div>
            </div>
          )}
          <div className="row">
            <button type="button" disabled={busy === a.call_id || confirming === a.call_id} onClick={() => decide(a, true)}
                    aria-label={t('ap.approveOf', { tool: t(`tool.${a.action.tool}`) })}>{t('ap.approve')}</button>
            <label>{t('ap.reason')}
              <input type="text" value={reasons[a.call_id] ?? ''} onChange={e => setReasons(r => ({ ...r, [a.call_id]: e.target.value }))} />
            </label>
            <button type="button" className="danger" disabled={busy === a.call_id} onClick={() => decide(a, false)}
                    aria-label={t('ap.rejectOf', { tool: t(`tool.${a.action.tool}`) })}>{t('ap.reject')}</button>
          </div>
        </article>
      ))}
      <section aria-labelledby="ap-history">
        <h2 id="ap-history">{t('ap.history')}</h2>
        <ErrorAlert error={history.error} />
        {history.value?.length === 0 && <p>{t('ap.historyEmpty')}</p>}
        {(history.value?.length ?? 0) > 0 && (
          <table className="runs">
            <thead><tr><th>{t('ap.action')}</th><th>{t('ap.outcome')}</th><th>{t('ap.decidedBy')}</th><th>{t('ap.decidedAt')}</th><th>{t('ap.why')}</th></tr></thead>
            <tbody>
              {history.value!.map(a => (
                <tr key={a.call_id}>
                  <td data-label={t('ap.action')}>{t(`tool.${a.action.tool}`)}</td>
                  <td data-label={t('ap.outcome')}>{t(`call.status.${a.action.status}`)}</td>
                  <td data-label={t('ap.decidedBy')}>{a.action.decided_by ?? '—'}</td>
                  <td data-label={t('ap.decidedAt')}>{formatTime(a.action.decided_at ?? a.action.deadline)}</td>
                  <td data-label={t('ap.why')}>{a.action.reason ?? a.action.error ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </section>
  );
}
