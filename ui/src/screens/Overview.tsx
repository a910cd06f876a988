import { get } from '../api';
import { ErrorAlert, formatTime, useLoad } from '../common';
import { useI18n } from '../i18n';
import { navigate } from '../router';
import { Screen, screenPath } from '../session';

export function Overview() {
  const { t } = useI18n();
  const { value, error } = useLoad(async () => {
    const from = new Date(Date.now() - 7 * 24 * 3600 * 1000).toISOString();
    const [settings, sources, runs, approvals] = await Promise.all([
      get('/api/ai/settings'), get('/api/ai/kb/sources'), get(`/api/ai/runs?from=${encodeURIComponent(from)}&limit=200`),
      get('/api/ai/approvals?status=pending')]);
    return { settings: settings.settings, sources: sources.items as any[], runs: runs.items as any[],
      more: !!runs.next_cursor, approvals: approvals.items as any[] };
  }, []);
  const byStatus: Record<string, number> = {};
  value?.sources.forEach(s => { byStatus[s.status] = (byStatus[s.status] ?? 0) + 1; });
  const chunks = value?.sources.reduce((n, s) => n + (s.stats?.chunks ?? 0), 0) ?? 0;
  const lastSync = value?.sources.map(s => s.stats?.last_synced_at).filter(Boolean).sort().pop();
  const escalated = value?.runs.filter(r => r.status === 'escalated' || r.needs_human).length ?? 0;
  const link = (s: Screen) => (
    <a href={screenPath[s]} onClick={e => { e.preventDefault(); navigate(screenPath[s]); }}>
      {t('ov.open', { tab: t(`nav.${s}`) })}</a>
  );
  return (
    <section>
      <h1>{t('ov.title')}</h1>
      <ErrorAlert error={error} />
      {!value && !error && <p>{t('loading')}</p>}
      {value && (
        <div className="grid">
          <section className="card" aria-labelledby="ov-assistant">
            <h2 id="ov-assistant">{t('nav.assistant')}</h2>
            <p>{t('ov.copilot')}: <strong>{t(value.settings.copilot_enabled ? 'ov.on' : 'ov.off')}</strong></p>
            <p>{t('ov.autopilot')}: <strong>{t(value.settings.autopilot_enabled ? 'ov.on' : 'ov.off')}</strong></p>
            {link('assistant')}
          </section>
          <section className="card" aria-labelledby="ov-kb">
            <h2 id="ov-kb">{t('ov.knowledge')}</h2>
            <p>{t('ov.sources')}: {Object.keys(byStatus).length
              ? Object.entries(byStatus).map(([s, n]) => `${t(`kb.status.${s}`)} ${n}`).join(', ') : t('none')}</p>
            <p>{t('ov.chunks')}: <strong>{chunks}</strong></p>
            <p>{t('ov.lastSync')}: {lastSync ? formatTime(lastSync) : t('never')}</p>
            {link('knowledge')}
          </section>
          <section className="card" aria-labelledby="ov-runs">
            <h2 id="ov-runs">{t('ov.runs')}</h2>
            <p><strong>{value.runs.length}{value.more ? '+' : ''}</strong></p>
            <p>{t('ov.escalations')}: <strong>{escalated}</strong></p>
            {link('logs')}
          </section>
          <section className="card" aria-labelledby="ov-approvals">
            <h2 id="ov-approvals">{t('ov.pending')}</h2>
            <p><strong>{value.approvals.length}</strong></p>
            {link('approvals')}
          </section>
          <section className="card" aria-labelledby="ov-insights">
            <h2 id="ov-insights">{t('nav.insights')}</h2>
            <p>{t('ov.insights')}</p>
            {link('insights')}
            {' · '}{link('replays')}
          </section>
          <section className="card" aria-labelledby="ov-inbox">
            <h2 id="ov-inbox">{t('nav.inbox')}</h2>
            {link('inbox')}
          </section>
        </div>
      )}
    </section>
  );
}
