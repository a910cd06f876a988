import { FormEvent, useEffect, useState } from 'react';
import { api, get } from '../api';
import { ErrorAlert, TOOLS, useLoad } from '../common';
import { useI18n } from '../i18n';
import { setLeaveGuard } from '../router';

const SENSITIVE = new Set(['change_plan', 'issue_credit', 'cancel_subscription']);
const INTENTS = ['support', 'sales', 'billing', 'other'];

interface Rule { intents: string[]; keywords: string }

const toRules = (rules: any[]): Rule[] => rules.map(r => ({ intents: r.match?.intents ?? [], keywords: (r.match?.keywords ?? []).join(', ') }));
/** Required fields per intent as the form edits them: comma-separated names. */
const toRequired = (byIntent: Record<string, string[]> | undefined) =>
  Object.fromEntries(INTENTS.map(i => [i, (byIntent?.[i] ?? []).join(', ')]));
const fromRequired = (byIntent: Record<string, string>) => Object.fromEntries(INTENTS
  .map(i => [i, (byIntent[i] ?? '').split(',').map(f => f.trim()).filter(Boolean)] as [string, string[]])
  .filter(([, fields]) => fields.length > 0));
const fromRules = (rules: Rule[]) => rules.map(r => ({ match: { intents: r.intents,
  keywords: r.keywords.split(',').map(k => k.trim()).filter(Boolean) }, action: 'handoff' }));
/** What a save sends: tools in the screen's order, so the same set always reads the same. */
const bodyOf = (form: any, rules: Rule[], required: Record<string, string>) => ({
  copilot_enabled: form.copilot_enabled, autopilot_enabled: form.autopilot_enabled,
  confidence_threshold: Number(form.confidence_threshold),
  allowed_tools: TOOLS.filter(tool => (form.allowed_tools ?? []).includes(tool)),
  escalation_rules: fromRules(rules), log_content: form.log_content, required_fields: fromRequired(required),
  ...(form.approval_timeout_minutes ? { approval_timeout_minutes: Number(form.approval_timeout_minutes) } : {}),
});

export function Assistant() {
  const { t } = useI18n();
  const loaded = useLoad(() => get('/api/ai/settings'), []);
  const [form, setForm] = useState<any>(null);
  const [rules, setRules] = useState<Rule[]>([]);
  const [required, setRequired] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<any>(null);
  // the settings as last loaded or saved: the form differs from them while it has unsaved changes
  const [saved, setSaved] = useState<any>(null);
  const dirty = !!form && !!saved
    && JSON.stringify(bodyOf(form, rules, required)) !== JSON.stringify(bodyOf(saved, toRules(saved.escalation_rules ?? []), toRequired(saved.required_fields)));
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => { e.preventDefault(); e.returnValue = ''; };
    window.addEventListener('beforeunload', warn);
    setLeaveGuard(() => window.confirm(t('as.leaveUnsaved')));
    return () => { window.removeEventListener('beforeunload', warn); setLeaveGuard(null); };
  }, [dirty, t]);

  useEffect(() => {
    if (loaded.value && !form) {
      setForm({ ...loaded.value.settings });
      setSaved(loaded.value.settings);
      setRules(toRules(loaded.value.settings.escalation_rules ?? []));
      setRequired(toRequired(loaded.value.settings.required_fields));
    }
  }, [loaded.value, form]);

  if (!form) return <section><h1>{t('as.title')}</h1><ErrorAlert error={loaded.error} />{!loaded.error && <p>{t('loading')}</p>}</section>;

  const set = (field: string, value: unknown) => setForm((f: any) => ({ ...f, [field]: value }));
  const toggleTool = (tool: string, on: boolean) =>
    set('allowed_tools', on ? [...form.allowed_tools.filter((x: string) => x !== tool), tool] : form.allowed_tools.filter((x: string) => x !== tool));

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const body = bodyOf(form, rules, required);
    setSaving(true);
    setError(null);
    setResult(null);
    try {
      const answer = await api('PUT', '/api/ai/settings', body);
      setResult(answer);
      setForm({ ...answer.settings });
      setSaved(answer.settings);
      setRules(toRules(answer.settings.escalation_rules ?? []));
      setRequired(toRequired(answer.settings.required_fields));
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  // the tools are a set: what was added and what was removed, in words
  const toolChange = (from: string[], to: string[]) => [
    ...to.filter(x => !from.includes(x)).map(x => t('as.toolAdded', { tool: t(`tool.${x}`) })),
    ...from.filter(x => !to.includes(x)).map(x => t('as.toolRemoved', { tool: t(`tool.${x}`) })),
  ].join('; ');

  const show = (v: unknown) => {
    if (v === null || v === undefined) return '—';
    if (typeof v === 'boolean') return t(v ? 'ov.on' : 'ov.off');
    if (Array.isArray(v)) return v.length ? v.map(x => typeof x === 'string' ? x : JSON.stringify(x)).join(', ') : t('none');
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  };

  return (
    <section>
      <h1>{t('as.title')}</h1>
      <form onSubmit={save} className="form wide">
        <div className="card">
          <label className="switch">
            <input type="checkbox" role="switch" checked={form.copilot_enabled} onChange={e => set('copilot_enabled', e.target.checked)} />
            {' '}{t('as.copilot')}</label>
          <p className="help">{t('as.copilotHelp')}</p>
          <label className="switch">
            <input type="checkbox" role="switch" checked={form.autopilot_enabled} onChange={e => set('autopilot_enabled', e.target.checked)} />
            {' '}{t('as.autopilot')}</label>
          <p className="help">{t('as.autopilotHelp')}</p>
        </div>
        <div className="card">
          <label htmlFor="threshold">{t('as.threshold')}: <output htmlFor="threshold">{Math.round(form.confidence_threshold * 100)}%</output></label>
          <input id="threshold" type="range" min={0} max={1} step={0.01} value={form.confidence_threshold}
                 onChange={e => set('confidence_threshold', Number(e.target.value))} aria-describedby="threshold-help" />
          <p className="help" id="threshold-help">{t('as.thresholdHelp')}</p>
        </div>
        <fieldset className="card">
          <legend>{t('as.tools')}</legend>
          {TOOLS.map(tool => (
            <label key={tool} className="check">
              <input type="checkbox" checked={form.allowed_tools.includes(tool)} onChange={e => toggleTool(tool, e.target.checked)} />
              {' '}{t(`tool.${tool}`)} <code>{tool}</code>
              {SENSITIVE.has(tool) && <span className="badge sensitive">{t('as.sensitive')}</span>}
            </label>
          ))}
        </fieldset>
        <fieldset className="card">
          <legend>{t('as.rules')}</legend>
          {rules.length === 0 && <p>{t('as.noRules')}</p>}
          {rules.map((rule, i) => (
            <fieldset key={i} className="rule">
              <legend>{t('as.rule', { n: i + 1 })}</legend>
              <span>{t('as.ruleIntents')}: </span>
              {INTENTS.map(intent => (
                <label key={intent} className="check inline">
                  <input type="checkbox" checked={rule.intents.includes(intent)}
                         onChange={e => setRules(rs => rs.map((r, j) => j !== i ? r : { ...r,
                           intents: e.target.checked ? [...r.intents, intent] : r.intents.filter(x => x !== intent) }))} />
                  {' '}{t(`intent.${intent}`)}</label>
              ))}
              <label>{t('as.ruleKeywords')}
                <input type="text" value={rule.keywords} onChange={e => setRules(rs => rs.map((r, j) => j !== i ? r : { ...r, keywords: e.target.value }))} />
              </label>
              <button type="button" onClick={() => setRules(rs => rs.filter((_, j) => j !== i))}>{t('as.removeRule', { n: i + 1 })}</button>
            </fieldset>
          ))}
          <button type="button" onClick={() => setRules(rs => [...rs, { intents: [], keywords: '' }])}>{t('as.addRule')}</button>
        </fieldset>
        <fieldset className="card">
          <legend>{t('as.required')}</legend>
          <p className="help">{t('as.requiredHelp')}</p>
          {INTENTS.map(intent => (
            <label key={intent}>{t('as.requiredFor', { intent: t(`intent.${intent}`) })}
              <input type="text" value={required[intent] ?? ''} placeholder="policy_number"
                     onChange={e => setRequired(r => ({ ...r, [intent]: e.target.value }))} />
            </label>
          ))}
        </fieldset>
        <div className="card">
          <label>{t('as.logContent')}
            <select value={form.log_content} onChange={e => set('log_content', e.target.value)}>
              {['full', 'redacted', 'none'].map(m => <option key={m} value={m}>{t(`as.log.${m}`)}</option>)}
            </select>
          </label>
          <label>{t('as.approvalTimeout')}
            <input type="number" min={1} max={43200} value={form.approval_timeout_minutes ?? ''}
                   onChange={e => set('approval_timeout_minutes', e.target.value === '' ? null : e.target.value)} />
          </label>
        </div>
        <ErrorAlert error={error} />
        {result && (
          <div className="alert ok" role="status" aria-label={result.changes.length ? t('as.saved') : t('as.nothing')}>
            <p>{result.changes.length ? t('as.saved') : t('as.nothing')} <small>{t('as.revision', { n: result.revision })}</small></p>
            <ul className="changes">
              {result.changes.map((c: any, i: number) => (
                <li key={i}><strong>{t(`field.${c.field}`)}</strong>: {c.field === 'allowed_tools' ? toolChange(c.from ?? [], c.to ?? []) : <>{show(c.from)} → {show(c.to)}</>}</li>
              ))}
            </ul>
          </div>
        )}
        {dirty && <p className="alert warn" role="status">{t('as.unsaved')}</p>}
        <button type="submit" disabled={saving}>{saving ? t('saving') : t('save')}</button>
      </form>
    </section>
  );
}
