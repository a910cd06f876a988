import { FormEvent, useState } from 'react';
import { get, post } from '../api';
import { CitationLink, ErrorAlert, Notice, formatTime, pct, useLive, useLoad } from '../common';
import { useI18n } from '../i18n';
import { getSession } from '../session';

export function Inbox() {
  const { t } = useI18n();
  const roles = getSession()?.roles ?? [];
  const canWrite = roles.some(r => r === 'admin' || r === 'agent' || r === 'service');
  const [selected, setSelected] = useState<string | null>(null);
  const conversations = useLoad(() => get('/api/ai/conversations').then(r => r.items as any[]), []);
  // a new conversation or message anywhere in the tenant: the list is read again
  useLive(['conversations'], () => { conversations.reload(); });
  const contacts = useLoad(() => get('/api/crm/contacts').then(r => r.items as any[]).catch(() => [] as any[]), []);
  const settings = useLoad(() => get('/api/ai/settings').then(r => r.settings), []);
  const [contact, setContact] = useState('');
  const [channel, setChannel] = useState('web');
  const [subject, setSubject] = useState('');
  const [error, setError] = useState<unknown>(null);
  const contactName = (id: string) => contacts.value?.find(c => c.id === id)?.name ?? id;

  const start = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const chosen = contact || contacts.value?.[0]?.id || '';
      const created = await post('/api/ai/conversations', { channel, contact_id: chosen, ...(subject.trim() ? { subject: subject.trim() } : {}) });
      setSubject('');
      await conversations.reload();
      setSelected(created.id);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section>
      <h1>{t('in.title')}</h1>
      <ErrorAlert error={error || conversations.error} />
      {/* on a phone one pane at a time: the list, or the open conversation with a way back to the list */}
      <div className={`inbox${selected ? ' has-selection' : ''}`}>
        {selected && <button type="button" className="phone-only back" onClick={() => setSelected(null)}>← {t('in.conversations')}</button>}
        <aside className="card list" aria-labelledby="in-list">
          <h2 id="in-list">{t('in.conversations')}</h2>
          {conversations.value?.length === 0 && <p>{t('in.empty')}</p>}
          <ul className="conversations">
            {conversations.value?.map(c => (
              <li key={c.id}>
                <button type="button" aria-current={selected === c.id ? 'true' : undefined}
                        onClick={() => setSelected(c.id)}>
                  <strong>{contactName(c.contact_id)}</strong> <small>{c.channel} · {c.messages}</small>
                  <br /><span>{c.subject || '—'}</span>
                  {c.status === 'waiting_human' && <span className="badge escalated">{t('in.waitingHuman')}</span>}
                </button>
              </li>
            ))}
          </ul>
          {/* once the contacts are known: a form shown before offered a contact-id field, and its required check
              swallowed a click that came as the list arrived */}
          {canWrite && contacts.value && (
            <form onSubmit={start} className="form">
              <h3>{t('in.new')}</h3>
              {contacts.value && contacts.value.length > 0 ? (
                <label>{t('in.contact')}
                  <select value={contact} onChange={e => setContact(e.target.value)}>
                    {contacts.value.map(c => <option key={c.id} value={c.id}>{c.name}</option>)}
                  </select>
                </label>
              ) : (
                <label>{t('in.contactId')}<input value={contact} onChange={e => setContact(e.target.value)} required /></label>
              )}
              <label>{t('in.channel')}
                <select value={channel} onChange={e => setChannel(e.target.value)}>
                  {['web', 'email', 'whatsapp', 'sms'].map(c => <option key={c}>{c}</option>)}
                </select>
              </label>
              <label>{t('in.subject')}<input value={subject} onChange={e => setSubject(e.target.value)} maxLength={300} /></label>
              <button type="submit">{t('in.start')}</button>
            </form>
          )}
        </aside>
        {selected ? <Conversation key={selected} id={selected} canWrite={canWrite} roles={roles} settings={settings.value}
                                  contactName={contactName} onPosted={() => conversations.reload()} />
          : <p className="card">{t('in.pick')}</p>}
      </div>
    </section>
  );
}

function Conversation({ id, canWrite, roles, settings, contactName, onPosted }:
  { id: string; canWrite: boolean; roles: string[]; settings: any; contactName: (id: string) => string; onPosted: () => void }) {
  const { t } = useI18n();
  const conversation = useLoad(() => get(`/api/ai/conversations/${id}`), [id]);
  // every role that works the inbox follows the autopilot's runs on the conversation, calls included
  const runs = useLoad(async () =>
    (await get(`/api/ai/agent/runs?conversation_id=${encodeURIComponent(id)}`)).items as any[], [id]);
  // its messages and its runs' steps as they happen, without a reload
  useLive(['conversations'], changes => {
    if (changes.some(c => c.id === id || c.what === 'reconnected')) {
      conversation.reload();
      runs.reload();
    }
  });
  const [text, setText] = useState('');
  const [draft, setDraft] = useState<any>(null);
  const [draftText, setDraftText] = useState('');
  const [discardReason, setDiscardReason] = useState('');
  const [rating, setRating] = useState<boolean | null>(null);
  const [rateReason, setRateReason] = useState('');
  const [reply, setReply] = useState('');
  const [notice, setNotice] = useState('');
  const [drafting, setDrafting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const messages: any[] = conversation.value?.messages ?? [];
  const lastCustomer = [...messages].reverse().find(m => m.sender === 'customer');

  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    setError(null);
    try {
      await post(`/api/ai/conversations/${id}/messages`, { sender: 'customer', text: text.trim() });
      setText('');
      setDraft(null);
      await conversation.reload();
      runs.reload();
      onPosted();
    } catch (err) {
      setError(err);
    }
  };

  const askDraft = async () => {
    setError(null);
    setDrafting(true);
    try {
      const drafted = await post('/api/ai/assist/draft-reply', { conversation_id: id, message: lastCustomer?.text ?? '' });
      setDraft(drafted);
      setDraftText(drafted.reply ?? '');
      setRating(null);
      setNotice('');
    } catch (err) {
      setError(err);
    } finally {
      setDrafting(false);
    }
  };

  const act = async (work: () => Promise<string | void>) => {
    setError(null);
    try {
      const said = await work();
      if (said) setNotice(said);
    } catch (err) {
      setError(err);
    }
  };
  // the draft as sent (as drafted or edited: the server tells) or discarded is recorded on its run
  const sendDraft = () => act(async () => {
    const r = await post(`/api/ai/assist/drafts/${draft.run_id}/send`, { text: draftText });
    setDraft(null);
    conversation.reload();
    return t(`in.sent.${r.outcome}`);
  });
  const discardDraft = () => act(async () => {
    const r = await post(`/api/ai/assist/drafts/${draft.run_id}/discard`, { reason: discardReason.trim() || undefined });
    setDraft(null);
    return t(`in.sent.${r.outcome}`);
  });
  const rate = (helpful: boolean) => act(async () => {
    await post(`/api/ai/assist/drafts/${draft.run_id}/rating`, { helpful, reason: rateReason.trim() || undefined });
    setRating(helpful);
  });
  const sendReply = (e: FormEvent) => {
    e.preventDefault();
    if (!reply.trim()) return;
    act(async () => {
      await post(`/api/ai/conversations/${id}/messages`, { sender: 'agent', text: reply.trim() });
      setReply('');
      conversation.reload();
    });
  };
  const takeOver = () => act(async () => {
    await post(`/api/ai/conversations/${id}/take-over`);
    await conversation.reload();
    return t('in.tookOver');
  });
  const handBack = () => act(async () => {
    await post(`/api/ai/conversations/${id}/hand-back`);
    await conversation.reload();
    return t('in.handedBack');
  });
  const agentSide = roles.includes('admin') || roles.includes('agent');

  const c = conversation.value;
  return (
    <>
      <section className="card thread" aria-labelledby="in-thread">
        <h2 id="in-thread">{c ? `${contactName(c.contact_id)}${c.subject ? ` · ${c.subject}` : ''}` : t('in.messages')}</h2>
        <ErrorAlert error={error || conversation.error} />
        <Notice>{notice}</Notice>
        {c?.status === 'waiting_human' && <p className="alert warn">{t('in.waitingHuman')}</p>}
        {c && agentSide && (c.status === 'waiting_human'
          ? <button type="button" onClick={handBack}>{t('in.handBack')}</button>
          : settings?.autopilot_enabled && <button type="button" onClick={takeOver}>{t('in.takeOver')}</button>)}
        {c && messages.length === 0 && <p>{t('in.noMessages')}</p>}
        <ol className="messages" aria-label={t('in.messages')} aria-live="polite">
          {messages.map(m => (
            <li key={m.id} className={m.sender}>
              <span className="sender">{t(`in.sender.${m.sender}`)}{m.posted_by === 'autopilot' ? ` ${t('in.byAutopilot')}` : ''}</span>
              <p>{m.text}</p>
              <small>{formatTime(m.created_at)}</small>
            </li>
          ))}
        </ol>
        {agentSide && (
          <form onSubmit={sendReply} className="composer">
            <label htmlFor="own-reply">{t('in.ownReply')}</label>
            <textarea id="own-reply" rows={2} value={reply} onChange={e => setReply(e.target.value)} />
            <button type="submit">{t('in.sendAsAgent')}</button>
          </form>
        )}
        {canWrite && (
          <form onSubmit={send} className="composer">
            <label htmlFor="composer">{t('in.customerSays')}</label>
            <textarea id="composer" rows={2} value={text} onChange={e => setText(e.target.value)}
                      onKeyDown={e => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) send(e as any); }} />
            <button type="submit">{t('in.send')}</button>
          </form>
        )}
      </section>
      <aside className="side">
        <section className="card" aria-labelledby="in-copilot">
          <h2 id="in-copilot">{t('in.copilot')}</h2>
          {settings && !settings.copilot_enabled && <p className="help">{t('ov.copilot')}: {t('ov.off')}</p>}
          {(roles.includes('admin') || roles.includes('agent')) && (
            <button type="button" onClick={askDraft} disabled={drafting || !lastCustomer}>{drafting ? t('in.drafting') : t('in.draft')}</button>
          )}
          {draft && (
            <div className="draft" aria-label="draft">
              <p className="meta"><span className={`badge ${draft.needs_human ? 'escalated' : 'ok'}`}>{t('in.confidence', { value: pct(draft.confidence) })}</span>
                {draft.intent && <> · {t(`intent.${draft.intent}`)}</>}</p>
              {draft.needs_human && <p className="alert warn">{t('in.needsHuman')}</p>}
              <label htmlFor="draft-text">{t('in.reply')}</label>
              <textarea id="draft-text" rows={5} value={draftText} onChange={e => setDraftText(e.target.value)} />
              <h3>{t('in.sources')}</h3>
              {draft.citations?.length ? (
                <ol className="citations">
                  {draft.citations.map((ct: any) => (
                    <li key={ct.chunk_id}><CitationLink citation={ct} label={ct.title || ct.url} />
                      <p className="snippet">{ct.snippet}</p></li>
                  ))}
                </ol>
              ) : <p>{t('in.noCitations')}</p>}
              <div className="row">
                <button type="button" onClick={sendDraft} disabled={!draftText.trim()}>{t('in.sendReply')}</button>
                <label>{t('in.discardReason')}<input type="text" value={discardReason} onChange={e => setDiscardReason(e.target.value)} /></label>
                <button type="button" className="danger" onClick={discardDraft}>{t('in.discard')}</button>
              </div>
              <fieldset className="rating">
                <legend>{t('in.rate')}</legend>
                <label>{t('in.rateReason')}<input type="text" value={rateReason} onChange={e => setRateReason(e.target.value)} /></label>
                <button type="button" aria-pressed={rating === true} onClick={() => rate(true)}>{t('in.helpful')}</button>
                <button type="button" aria-pressed={rating === false} onClick={() => rate(false)}>{t('in.notHelpful')}</button>
                {rating !== null && <p role="status">{t(`in.rated.${rating}`)}</p>}
              </fieldset>
            </div>
          )}
        </section>
        <section className="card" aria-labelledby="in-autopilot">
          <h2 id="in-autopilot">{t('in.autopilot')}</h2>
          {settings && !settings.autopilot_enabled && <p className="help">{t('in.autopilotOff')}</p>}
          <ErrorAlert error={runs.error} />
          {runs.value?.length === 0 && <p>{t('in.noRuns')}</p>}
          <ol className="runs-live">
            {runs.value?.map(r => (
              <li key={r.run_id}>
                <span className={`badge ${r.status}`}>{t('in.runStatus', { status: t(`run.status.${r.status}`) })}</span>{' '}
                {r.intent && t(`intent.${r.intent}`)} · {pct(r.confidence)}
                {r.handoff_reason && <> · {t('logs.handoff', { reason: t(`handoff.${r.handoff_reason}`) })}</>}
                <ul>
                  {(r.actions ?? []).map((a: any) => (
                    <li key={a.call_id}>{t(`tool.${a.tool}`)} <span className={`badge ${a.status}`}>{t(`call.status.${a.status}`)}</span>
                      {a.decided_by && <> · {a.decided_by}</>}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        </section>
      </aside>
    </>
  );
}
