import { FormEvent, useState } from 'react';
import { get, post } from '../api';
import { DAY, ErrorAlert, Notice, TOOLS, formatTime, isoDay, pct, useAction, useLive, useLoad } from '../common';
import { useI18n } from '../i18n';
import { navigate } from '../router';
import { getSession, screenPath } from '../session';


export function Replays({ search }: { search: string }) {
  const id = new URLSearchParams(search).get('replay');
  return id ? <ReplayDetail id={id} /> : <ReplayList />;
}

const open = (id: string) => navigate(`${screenPath.replays}?replay=${id}`);

function ReplayList() {
  const { t } = useI18n();
  const admin = getSession()?.roles.includes('admin');
  const list = useLoad(() => get('/api/ai/replays'), []);
  const settings = useLoad(() => get('/api/ai/settings'), []);
  useLive(['replays'], () => list.reload());
  return (
    <section>
      <h1>{t('rp.title')}</h1>
      <p>{t('rp.intro')}</p>
      {admin && settings.value && <StartReplay current={settings.value.settings} after={() => list.reload()} />}
      <ErrorAlert error={list.error || settings.error} />
      <h2>{t('rp.list')}</h2>
      {list.value && list.value.items.length === 0 && <p>{t('rp.empty')}</p>}
      {list.value && list.value.items.length > 0 && (
        <table className="runs">
          <thead><tr><th>{t('rp.started')}</th><th>{t('rp.description')}</th><th>{t('rp.selection')}</th>
            <th>{t('rp.progress')}</th><th>{t('rp.changed')}</th><th><span className="sr-only">{t('rp.open')}</span></th></tr></thead>
          <tbody>
            {list.value.items.map((r: any) => (
              <tr key={r.replay_id}>
                <td data-label={t('rp.started')}>{formatTime(r.started_at)}</td>
                <td data-label={t('rp.description')}>{r.description || '—'}</td>
                <td data-label={t('rp.selection')}>{r.selection}</td>
                <td data-label={t('rp.progress')}><span className={`badge ${r.status}`}>{t(`rp.status.${r.status}`)}</span> {r.replayed} / {r.items}</td>
                <td data-label={t('rp.changed')}>{r.outcome_changed}</td>
                <td><a href={`?replay=${r.replay_id}`} aria-label={t('rp.openOf', { at: formatTime(r.started_at) })}
                       onClick={e => { e.preventDefault(); open(r.replay_id); }}>{t('rp.open')}</a></td>
              </tr>))}
          </tbody>
        </table>)}
    </section>
  );
}

function StartReplay({ current, after }: { current: any; after: () => Promise<unknown> }) {
  const { t } = useI18n();
  const [threshold, setThreshold] = useState(String(current.confidence_threshold));
  const [tools, setTools] = useState<string[]>(current.allowed_tools);
  const [kind, setKind] = useState<'period' | 'conversations' | 'questions'>('period');
  const [from, setFrom] = useState(isoDay(new Date(Date.now() - 29 * DAY)));
  const [to, setTo] = useState(isoDay(new Date()));
  const [conversations, setConversations] = useState('');
  const [questions, setQuestions] = useState('');
  const [description, setDescription] = useState('');
  const [model, setModel] = useState('');
  const action = useAction(after);
  const lines = (text: string) => text.split('\n').map(s => s.trim()).filter(Boolean);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    action.act(async () => {
      const selection = kind === 'period' ? { from, to } : kind === 'conversations'
        ? { conversation_ids: lines(conversations) } : { questions: lines(questions) };
      const settings: Record<string, unknown> = {};
      if (Number(threshold) !== current.confidence_threshold) settings.confidence_threshold = Number(threshold);
      if (tools.join() !== current.allowed_tools.join()) settings.allowed_tools = tools;
      const started = await post('/api/ai/replays', { description, settings, selection, model: model.trim() || null });
      open(started.replay_id);
      return t('rp.startedNotice', { n: started.items });
    });
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="rp-start">
      <h2 id="rp-start">{t('rp.start')}</h2>
      <label>{t('rp.description')}<input value={description} maxLength={200} onChange={e => setDescription(e.target.value)} /></label>
      <fieldset>
        <legend>{t('rp.proposal')}</legend>
        <label>{t('rp.threshold', { now: current.confidence_threshold })}
          <input type="number" min={0} max={1} step={0.01} value={threshold} onChange={e => setThreshold(e.target.value)} /></label>
        <fieldset>
          <legend>{t('rp.tools')}</legend>
          {TOOLS.map(tool => (
            <label key={tool} className="check">
              <input type="checkbox" checked={tools.includes(tool)}
                     onChange={e => setTools(ts => e.target.checked ? [...ts, tool] : ts.filter(x => x !== tool))} />
              {t(`tool.${tool}`)}
            </label>))}
        </fieldset>
        <label>{t('rp.modelField')}<input value={model} onChange={e => setModel(e.target.value)}
                                          placeholder="offline-extractive-v3 · openai:gpt-4.1-mini" /></label>
      </fieldset>
      <fieldset>
        <legend>{t('rp.what')}</legend>
        {(['period', 'conversations', 'questions'] as const).map(k => (
          <label key={k} className="check"><input type="radio" name="rp-kind" checked={kind === k} onChange={() => setKind(k)} />
            {t(`rp.kind.${k}`)}</label>))}
        {kind === 'period' && <>
          <label>{t('logs.from')}<input type="date" value={from} onChange={e => setFrom(e.target.value)} /></label>
          <label>{t('logs.to')}<input type="date" value={to} onChange={e => setTo(e.target.value)} /></label></>}
        {kind === 'conversations' && <label>{t('rp.conversationIds')}
          <textarea rows={4} value={conversations} onChange={e => setConversations(e.target.value)} /></label>}
        {kind === 'questions' && <label>{t('rp.questions')}
          <textarea rows={6} value={questions} onChange={e => setQuestions(e.target.value)} /></label>}
      </fieldset>
      <ErrorAlert error={action.error} />
      <Notice>{action.notice}</Notice>
      <button type="submit" disabled={action.busy}>{action.busy ? t('rp.starting') : t('rp.startButton')}</button>
    </form>
  );
}

function ReplayDetail({ id }: { id: string }) {
  const { t } = useI18n();
  const [changedOnly, setChangedOnly] = useState(false);
  const replay = useLoad(() => get(`/api/ai/replays/${id}${changedOnly ? '?changed=outcome' : ''}`), [id, changedOnly]);
  useLive(['replays'], changes => { if (changes.some(c => c.id === id || c.what === 'reconnected')) replay.reload(); });
  const admin = getSession()?.roles.includes('admin');
  const cancel = useAction(() => replay.reload());
  const v = replay.value;
  const runLink = (run?: string) => run
    ? <a href={`${screenPath.logs}?run=${run}`} onClick={e => { e.preventDefault(); navigate(`${screenPath.logs}?run=${run}`); }}>{t('rp.run')}</a>
    : '—';
  const outcome = (o: any) => o ? <>
    <span className={`badge ${o.outcome === 'answer' ? 'completed' : o.outcome === 'handoff' ? 'escalated' : o.outcome}`}>
      {t(`rp.outcome.${o.outcome}`)}</span>
    {o.handoff_reason ? ` (${t(`handoff.${o.handoff_reason}`)})` : ''} {pct(o.confidence)}
    {o.tools.length > 0 && <div>{o.tools.map((x: string) => t(`tool.${x}`)).join(', ')}</div>}</> : '…';
  return (
    <section>
      <a href={screenPath.replays} onClick={e => { e.preventDefault(); navigate(screenPath.replays); }}>{t('rp.back')}</a>
      <h1>{t('rp.detail')}</h1>
      <ErrorAlert error={replay.error || cancel.error} />
      <Notice>{cancel.notice}</Notice>
      {v && (
        <>
          <section className="card" aria-labelledby="rp-summary">
            <h2 id="rp-summary">{v.replay.description || v.replay.selection}</h2>
            <p><span className={`badge ${v.replay.status}`} data-testid="replay-status">{t(`rp.status.${v.replay.status}`)}</span>{' '}
              {t('rp.progressOf', { done: v.replay.replayed, all: v.replay.items })}</p>
            <progress max={v.replay.items} value={v.replay.replayed} aria-label={t('rp.progress')} />
            <p>{v.replay.selection} · {t('rp.by', { by: v.replay.requested_by, at: formatTime(v.replay.started_at) })}</p>
            <p>{t('rp.changes')}{' '}{v.changes.length === 0 ? t('rp.noChanges')
              : v.changes.map((c: any) => `${t(`rp.field.${c.field}`)}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`).join('; ')}
              {v.replay.model ? ` · ${t('rp.model', { model: v.replay.model })}` : ''}</p>
            {admin && v.replay.status === 'running' && (
              <button type="button" onClick={() => cancel.act(async () => { await post(`/api/ai/replays/${id}/cancel`); return t('rp.cancelled'); })}>
                {t('rp.cancel')}</button>)}
          </section>
          <div className="grid" data-testid="replay-totals">
            <section className="card"><h2>{t('rp.resolution')}</h2>
              <p className="figure">{pct(v.totals.resolution_before)} → {pct(v.totals.resolution_after)}</p></section>
            <section className="card"><h2>{t('rp.handovers')}</h2>
              <p className="figure">{v.totals.handovers_before} → {v.totals.handovers_after}</p></section>
            <section className="card"><h2>{t('rp.outcomeChanged')}</h2>
              <p className="figure" data-testid="replay-changed">{v.totals.outcome_changed}</p>
              <p>{t('rp.anyChange', { n: v.totals.changed })}</p></section>
            <section className="card"><h2>{t('rp.toolsWould')}</h2>
              <ul>{Object.keys({ ...v.totals.tools_before, ...v.totals.tools_after }).map(tool => (
                <li key={tool}>{t(`tool.${tool}`)}: {v.totals.tools_before[tool] ?? 0} → {v.totals.tools_after[tool] ?? 0}</li>))}</ul>
              {Object.keys(v.totals.tools_after).length === 0 && Object.keys(v.totals.tools_before).length === 0 && <p>{t('none')}</p>}
            </section>
          </div>
          <label className="check"><input type="checkbox" checked={changedOnly} onChange={e => setChangedOnly(e.target.checked)} />
            {t('rp.onlyChanged')}</label>
          <table className="runs" data-testid="replay-diff">
            <thead><tr><th>#</th><th>{t('rp.message')}</th><th>{t('rp.before')}</th><th>{t('rp.after')}</th><th>{t('rp.differs')}</th></tr></thead>
            <tbody>
              {v.items.map((item: any) => (
                <tr key={item.index} className={item.outcome_changed ? 'diff-changed' : undefined}>
                  <td data-label="#">{item.index + 1}</td>
                  <td data-label={t('rp.message')}>{item.question || item.message ? `“${item.question ?? item.message}”` : '—'}</td>
                  <td data-label={t('rp.before')}>{outcome(item.original)} {item.original_run_id && runLink(item.original_run_id)}</td>
                  <td data-label={t('rp.after')}>{outcome(item.replayed)} {runLink(item.replay_run_id)}</td>
                  <td data-label={t('rp.differs')}>{item.differences.length ? item.differences.map((d: string) => t(`rp.diff.${d}`)).join(', ')
                    : item.replayed ? t('rp.same') : '…'}</td>
                </tr>))}
            </tbody>
          </table>
        </>)}
    </section>
  );
}
