import { ReactElement, useEffect, useMemo, useState } from 'react';
import { setUnauthorizedHandler } from './api';
import { I18n, Lang, chooseLang, defaultLang, setLocaleFor, translate } from './i18n';
import { navigate, useLocation } from './router';
import { Screen, clearSession, getSession, homeFor, screenPath, screensFor } from './session';
import { SignIn } from './screens/SignIn';
import { Overview } from './screens/Overview';
import { Knowledge } from './screens/Knowledge';
import { Assistant } from './screens/Assistant';
import { Logs } from './screens/Logs';
import { Approvals } from './screens/Approvals';
import { Inbox } from './screens/Inbox';
import { Webhooks } from './screens/Webhooks';
import { Insights } from './screens/Insights';
import { Replays } from './screens/Replays';

function screenOf(path: string): Screen | null {
  const clean = path.replace(/\/+$/, '') || '/';
  const found = (Object.entries(screenPath) as [Screen, string][]).find(([, p]) => p === clean);
  return found ? found[0] : null;
}

export function App() {
  const [lang, setLang] = useState<Lang>(defaultLang(getSession()?.locale));
  const location = useLocation();
  const [, setVersion] = useState(0);
  const session = getSession();
  const i18n = useMemo(() => ({ lang, t: (key: string, vars?: Record<string, unknown>) => translate(lang, key, vars) }), [lang]);
  setLocaleFor(lang); // before the screens render their dates

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  // a sign-in opens the screens in the tenant's language, unless this person chose one
  const signedInLocale = session?.locale;
  useEffect(() => setLang(defaultLang(signedInLocale)), [signedInLocale, session?.token]);
  useEffect(() => setUnauthorizedHandler(() => navigate('/sign-in?expired=1', true)), []);

  const screen = screenOf(location.path);
  const allowed = session ? screensFor(session.roles) : [];
  // each screen its own title, so tabs, history and screen readers tell them apart
  useEffect(() => {
    const shown = location.path === '/sign-in' || !session || !screen ? i18n.t('signin.title') : i18n.t(`nav.${screen}`);
    document.title = `${shown} · ${i18n.t('app.title')}`;
  });
  useEffect(() => {
    if (location.path === '/sign-in') return;
    if (!session) navigate('/sign-in', true);
    else if (!screen || !allowed.includes(screen)) navigate(homeFor(session.roles), true);
  });

  const languageSwitch = (
    <label className="lang">
      {i18n.t('lang.label')}{' '}
      <select value={lang} onChange={e => { chooseLang(e.target.value as Lang); setLang(e.target.value as Lang); }}>
        <option value="en">English</option>
        <option value="es">Español</option>
      </select>
    </label>
  );

  if (location.path === '/sign-in' || !session || !screen || !allowed.includes(screen)) {
    return (
      <I18n.Provider value={i18n}>
        <a className="skip" href="#main">{i18n.t('skip')}</a>
        <header className="top"><span className="brand">{i18n.t('app.title')}</span>{languageSwitch}</header>
        <main id="main">{location.path === '/sign-in' || !session ? <SignIn onSignedIn={() => setVersion(v => v + 1)} /> : null}</main>
      </I18n.Provider>
    );
  }

  const signOut = () => {
    clearSession();
    navigate('/sign-in');
  };
  const body: Record<Screen, ReactElement> = {
    overview: <Overview />, knowledge: <Knowledge />, assistant: <Assistant />, logs: <Logs search={location.search} />,
    approvals: <Approvals />, webhooks: <Webhooks />, inbox: <Inbox />, insights: <Insights />,
    replays: <Replays search={location.search} />,
  };
  return (
    <I18n.Provider value={i18n}>
      <a className="skip" href="#main">{i18n.t('skip')}</a>
      <header className="top">
        <span className="brand">{i18n.t('app.title')}</span>
        <span className="who" data-testid="who">
          {i18n.t('signedInAs', { user: session.name ? `${session.name} <${session.userId}>` : session.userId,
            roles: session.roles.join(', '), tenant: session.tenantName ? `${session.tenantName} (${session.tenant})` : session.tenant })}
        </span>
        {languageSwitch}
        <button type="button" onClick={signOut}>{i18n.t('signout')}</button>
      </header>
      <nav aria-label={i18n.t('nav.label')} className="tabs">
        {allowed.map(s => (
          <a key={s} href={screenPath[s]} aria-current={s === screen ? 'page' : undefined}
             onClick={e => { e.preventDefault(); navigate(screenPath[s]); }}>{i18n.t(`nav.${s}`)}</a>
        ))}
      </nav>
      <main id="main" tabIndex={-1} key={screen}>{body[screen]}</main>
    </I18n.Provider>
  );
}
