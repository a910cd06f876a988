import { FormEvent, useState } from 'react';
import { get } from '../api';
import { ChartView, PALETTE } from '../charts';
import { DAY, ErrorAlert, formatTime, isoDay, pct, useLive, useLoad } from '../common';
import { currentLocale, useI18n } from '../i18n';
import { navigate } from '../router';
import { screenPath } from '../session';


/** Every period of the range, so a quiet day shows as a zero and not as a gap in the chart. */
function periods(from: string, to: string, granularity: string): string[] {
  const starts: string[] = [];
  const first = new Date(`${from}T00:00:00Z`);
  const end = new Date(`${to}T00:00:00Z`).getTime() + DAY;
  let at = new Date(first);
  if (granularity === 'week') at = new Date(first.getTime() - ((first.getUTCDay() + 6) % 7) * DAY);
  if (granularity === 'month') at = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), 1));
  while (at.getTime() < end && starts.length < 400) {
    starts.push(`${isoDay(at)}T00:00:00Z`);
    at = granularity === 'day' ? new Date(at.getTime() + DAY) : granularity === 'week' ? new Date(at.getTime() + 7 * DAY)
      : new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  }
  return starts;
}

/** The last day of the period that starts then, for the logs' inclusive date filter. */
function lastDay(start: string, granularity: string) {
  const d = new Date(start);
  const next = granularity === 'day' ? new Date(d.getTime() + DAY) : granularity === 'week' ? new Date(d.getTime() + 7 * DAY)
    : new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
  return isoDay(new Date(next.getTime() - DAY));
}

function logs(filters: Record<string, string>) {
  const p = new URLSearchParams(filters);
  return `${screenPath.logs}?${p}`;
}

function DrillLink({ to, children }: { to: string; children: string }) {
  return <a href={to} onClick={e => { e.preventDefault(); navigate(to); }}>{children}</a>;
}

export function Insights() {
  const { t } = useI18n();
  const today = isoDay(new Date());
  const [form, setForm] = useState({ from: isoDay(new Date(Date.now() - 29 * DAY)), to: today, granularity: 'day' });
  const [applied, setApplied] = useState(form);
  const insights = useLoad(() => get(`/api/ai/insights?from=${applied.from}&to=${applied.to}&granularity=${applied.granularity}`),
    [applied]);
  const gaps = useLoad(() => get(`/api/ai/insights/gaps?from=${applied.from}&to=${applied.to}`), [applied]);
  useLive(['runs'], () => { insights.reload(); gaps.reload(); });
  const apply = (e: FormEvent) => { e.preventDefault(); setApplied({ ...form }); };
  const v = insights.value;
  const totals = v?.totals;
  const range = { from: applied.from, to: applied.to };
  const starts = v ? periods(applied.from, applied.to, applied.granularity) : [];
  const byStart: Record<string, any> = {};
  v?.periods.forEach((p: any) => { byStart[p.start.replace(/\.\d+Z$/, 'Z')] = p.figures; });
  const label = (start: string) => new Date(start).toLocaleDateString(currentLocale(), applied.granularity === 'month'
    ? { month: 'short', year: 'numeric', timeZone: 'UTC' } : { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const outcomes = ['completed', 'escalated', 'failed', 'awaiting_approval', 'running'];
  const periodLogs = (index: number, extra: Record<string, string> = {}) =>
    navigate(logs({ from: isoDay(new Date(starts[index])), to: lastDay(starts[index], applied.granularity), ...extra }));
  const reasons = Object.keys(totals?.autopilot.handover_reasons ?? {});
  const intents = Object.keys(totals?.intents ?? {});
  const cost = (totals?.usage ?? []).reduce((n: number, u: any) => n + u.cost_usd, 0);
  return (
    <section>
      <h1>{t('ins.title')}</h1>
      <p>{t('ins.intro')}</p>
      <form className="filters card" onSubmit={apply} aria-label={t('ins.range')}>
        <label>{t('logs.from')}<input type="date" value={form.from} max={form.to}
                                      onChange={e => setForm(f => ({ ...f, from: e.target.value }))} /></label>
        <label>{t('logs.to')}<input type="date" value={form.to} min={form.from}
                                    onChange={e => setForm(f => ({ ...f, to: e.target.value }))} /></label>
        <label>{t('ins.granularity')}<select value={form.granularity} onChange={e => setForm(f => ({ ...f, granularity: e.target.value }))}>
          {['day', 'week', 'month'].map(g => <option key={g} value={g}>{t(`ins.by.${g}`)}</option>)}</select></label>
        <button type="submit">{t('logs.apply')}</button>
      </form>
      <ErrorAlert error={insights.error} />
      {!v && !insights.error && <p>{t('loading')}</p>}
      {totals && (
        <>
          <div className="grid" data-testid="insight-cards">
            <section className="card" aria-labelledby="ins-runs">
              <h2 id="ins-runs">{t('ins.runs')}</h2>
              <p className="figure" data-testid="ins-runs-total">{totals.runs.total}</p>
              <p>{Object.entries(totals.runs.by_mode).map(([m, n]) => `${t(`mode.${m}`)} ${n}`).join(' · ') || t('none')}</p>
              <DrillLink to={logs(range)}>{t('ins.seeRuns')}</DrillLink>
            </section>
            <section className="card" aria-labelledby="ins-resolution">
              <h2 id="ins-resolution">{t('ins.resolution')}</h2>
              <p className="figure" data-testid="ins-resolution">{pct(totals.autopilot.resolution_rate)}</p>
              <p>{t('ins.resolvedOf', { resolved: totals.autopilot.resolved, runs: totals.autopilot.runs })}</p>
              <DrillLink to={logs({ ...range, mode: 'autopilot', status: 'completed' })}>{t('ins.seeRuns')}</DrillLink>
            </section>
            <section className="card" aria-labelledby="ins-handovers">
              <h2 id="ins-handovers">{t('ins.handovers')}</h2>
              <p className="figure">{totals.autopilot.handovers}</p>
              <ul>{reasons.map(r => <li key={r}>{t(`handoff.${r}`)}: {totals.autopilot.handover_reasons[r]}</li>)}</ul>
              <DrillLink to={logs({ ...range, status: 'escalated' })}>{t('ins.seeRuns')}</DrillLink>
            </section>
            <section className="card" aria-labelledby="ins-approvals">
              <h2 id="ins-approvals">{t('ins.approvals')}</h2>
              <p className="figure">{totals.approvals.requested}</p>
              <p>{t('ins.approvalSplit', totals.approvals)}</p>
              <p>{t('ins.decisionTime', { p50: duration(totals.approvals.decision_p50_ms), p95: duration(totals.approvals.decision_p95_ms) })}</p>
              <DrillLink to={screenPath.approvals}>{t('ins.seeApprovals')}</DrillLink>
            </section>
            <section className="card" aria-labelledby="ins-tickets">
              <h2 id="ins-tickets">{t('ins.tickets')}</h2>
              <p className="figure">{totals.tickets_opened}</p>
              <DrillLink to={logs({ ...range, tool: 'create_ticket' })}>{t('ins.seeRuns')}</DrillLink>
            </section>
            <section className="card" aria-labelledby="ins-drafts">
              <h2 id="ins-drafts">{t('ins.drafts')}</h2>
              <p className="figure">{totals.drafts.drafted}</p>
              <p>{t('ins.draftSplit', totals.drafts)}</p>
              <p>{t('ins.ratings', totals.drafts)}</p>
              <DrillLink to={logs({ ...range, mode: 'copilot' })}>{t('ins.seeRuns')}</DrillLink>
            </section>
            <section className="card" aria-labelledby="ins-cost">
              <h2 id="ins-cost">{t('ins.cost')}</h2>
              <p className="figure">${cost.toFixed(4)}</p>
              <ul>{totals.usage.map((u: any) => <li key={u.model}>{t('ins.usage', u)}</li>)}</ul>
            </section>
            <section className="card" aria-labelledby="ins-latency">
              <h2 id="ins-latency">{t('ins.latency')}</h2>
              <p className="figure">{duration(totals.latency.p50_ms)}</p>
              <p>{t('ins.p95', { value: duration(totals.latency.p95_ms) })}</p>
            </section>
          </div>
          <div className="charts">
            <section className="card" aria-labelledby="ins-chart-runs">
              <h2 id="ins-chart-runs">{t('ins.chart.runs')}</h2>
              <ChartView type="bar" stacked testId="chart-runs" label={t('ins.chart.runsLabel', { total: totals.runs.total })}
                         onPick={i => periodLogs(i)}
                         data={{ labels: starts.map(label), datasets: outcomes.map((o, k) => ({
                           label: t(`run.status.${o}`), backgroundColor: PALETTE[k],
                           data: starts.map(s => byStart[s]?.runs.by_outcome[o] ?? 0) })) }} />
            </section>
            <section className="card" aria-labelledby="ins-chart-resolution">
              <h2 id="ins-chart-resolution">{t('ins.chart.resolution')}</h2>
              <ChartView type="line" percent testId="chart-resolution"
                         label={t('ins.chart.resolutionLabel', { rate: pct(totals.autopilot.resolution_rate) })}
                         onPick={i => periodLogs(i, { mode: 'autopilot' })}
                         data={{ labels: starts.map(label), datasets: [{ label: t('ins.resolution'), borderColor: PALETTE[1],
                           backgroundColor: PALETTE[1], spanGaps: true,
                           data: starts.map(s => byStart[s]?.autopilot.resolution_rate ?? null) }] }} />
            </section>
            <section className="card" aria-labelledby="ins-chart-reasons">
              <h2 id="ins-chart-reasons">{t('ins.chart.reasons')}</h2>
              {reasons.length === 0 ? <p>{t('ins.noHandovers')}</p> : (
                <ChartView type="bar" testId="chart-reasons" label={reasons.map(r => `${t(`handoff.${r}`)} ${totals.autopilot.handover_reasons[r]}`).join(', ')}
                           onPick={() => navigate(logs({ ...range, status: 'escalated' }))}
                           data={{ labels: reasons.map(r => t(`handoff.${r}`)), datasets: [{ label: t('ins.handovers'),
                             backgroundColor: PALETTE[2], data: reasons.map(r => totals.autopilot.handover_reasons[r]) }] }} />)}
            </section>
            <section className="card" aria-labelledby="ins-chart-intents">
              <h2 id="ins-chart-intents">{t('ins.chart.intents')}</h2>
              {intents.length === 0 ? <p>{t('none')}</p> : (
                <ChartView type="doughnut" testId="chart-intents" label={intents.map(i => `${t(`intent.${i}`)} ${totals.intents[i]}`).join(', ')}
                           onPick={i => navigate(logs({ ...range, intent: intents[i] }))}
                           data={{ labels: intents.map(i => t(`intent.${i}`)), datasets: [{ label: t('logs.intent'),
                             backgroundColor: PALETTE, data: intents.map(i => totals.intents[i]) }] }} />)}
            </section>
          </div>
        </>
      )}
      <section className="card" aria-labelledby="ins-gaps">
        <h2 id="ins-gaps">{t('ins.gaps')}</h2>
        <p>{t('ins.gapsIntro')}</p>
        <ErrorAlert error={gaps.error} />
        {gaps.value && gaps.value.unlogged > 0 && <p>{t('ins.unlogged', { n: gaps.value.unlogged })}</p>}
        {gaps.value && gaps.value.gaps.length === 0 && <p>{t('ins.noGaps')}</p>}
        {gaps.value && gaps.value.gaps.length > 0 && (
          <ol data-testid="gaps">
            {gaps.value.gaps.map((gap: any) => (
              <li key={gap.gap_id} className="gap">
                <strong>{t('ins.asked', { n: gap.asked })}</strong> · {t('ins.lastAsked', { at: formatTime(gap.last_asked_at) })}
                <ul className="gap-examples">
                  {gap.examples.map((ex: any) => (
                    <li key={ex.run_id}>
                      <a href={`${screenPath.logs}?run=${ex.run_id}`}
                         onClick={e => { e.preventDefault(); navigate(`${screenPath.logs}?run=${ex.run_id}`); }}>“{ex.question}”</a>
                      {' '}({pct(ex.confidence)})
                    </li>))}
                </ul>
                {gap.closest_pages.length > 0 && (
                  <p>{t('ins.closest')}{' '}
                    {gap.closest_pages.map((page: any, i: number) => (
                      <span key={`${page.url}-${i}`}>{i > 0 ? ', ' : ''}{page.url
                        ? <a href={page.url} target="_blank" rel="noreferrer">{page.title || page.url}</a> : page.title}</span>))}
                  </p>)}
              </li>))}
          </ol>)}
      </section>
    </section>
  );
}

function duration(ms?: number | null) {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
