import { FormEvent, useEffect, useState } from 'react';
import { api } from '../api';
import { ErrorAlert } from '../common';
import { useI18n } from '../i18n';
import { navigate } from '../router';
import { Role, Session, homeFor, saveSession, screensFor, sessionFromJwt } from '../session';

interface DemoUser { user_id: string; name: string; roles: Role[] }
interface DemoTenant { tenant: string; name: string; users: DemoUser[] }

export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const { t } = useI18n();
  const [tenants, setTenants] = useState<DemoTenant[] | null>(null);
  const [demoMissing, setDemoMissing] = useState(false);
  const [jwt, setJwt] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState('');
  const expired = new URLSearchParams(window.location.search).has('expired');

  useEffect(() => {
    api<{ tenants: DemoTenant[] }>('GET', '/api/demo/users', undefined, { noAuth: true })
      .then(r => setTenants(r?.tenants ?? []))
      .catch(() => setDemoMissing(true));
  }, []);

  const enter = (session: Session) => {
    if (!screensFor(session.roles).length) {
      setMessage(t('signin.noScreens'));
      return;
    }
    saveSession(session);
    onSignedIn();
    navigate(homeFor(session.roles));
  };

  const demoSignIn = async (tenant: DemoTenant, user: DemoUser) => {
    setError(null);
    try {
      const r = await api<any>('POST', '/api/demo/sign-in', { user_id: user.user_id }, { noAuth: true });
      enter({ token: r.token, tenant: r.tenant, tenantName: tenant.name, userId: r.user_id, name: r.name,
        roles: r.roles, expiresAt: r.expires_at, locale: r.locale });
    } catch (e) {
      setError(e);
    }
  };

  const tokenSignIn = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setMessage('');
    const session = sessionFromJwt(jwt);
    if (!session) {
      setMessage(t('signin.badToken'));
      return;
    }
    try {
      // the server checks the signature: any role may read the settings
      await fetch('/api/ai/settings', { headers: { Authorization: `Bearer ${session.token}` } }).then(r => {
        if (r.status === 401) throw new Error(t('err.401'));
      });
      enter(session);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section className="signin">
      <h1>{t('signin.title')}</h1>
      {expired && <div className="alert error" role="alert">{t('err.401')}</div>}
      <ErrorAlert error={error} />
      {message && <div className="alert error" role="alert">{message}</div>}
      <section aria-labelledby="demo-heading" className="card">
        <h2 id="demo-heading">{t('signin.demo')}</h2>
        {demoMissing && <p>{t('signin.noDemo')}</p>}
        {tenants && <p>{t('signin.demoHelp')}</p>}
        {tenants?.map(tenant => (
          <div key={tenant.tenant} className="tenant">
            <h3>{tenant.name} <small>({tenant.tenant})</small></h3>
            <ul className="users">
              {tenant.users.map(user => (
                <li key={user.user_id}>
                  <button type="button" onClick={() => demoSignIn(tenant, user)}
                          aria-label={t('signin.as', { name: `${user.name} (${user.roles.join(', ')})` })}>
                    {user.name} <small>{user.user_id} · {user.roles.join(', ')}</small>
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </section>
      <form className="card" onSubmit={tokenSignIn}>
        <label htmlFor="jwt">{t('signin.jwt')}</label>
        <p className="help" id="jwt-help">{t('signin.jwtHelp')}</p>
        <textarea id="jwt" rows={4} value={jwt} onChange={e => setJwt(e.target.value)} aria-describedby="jwt-help" />
        <button type="submit">{t('signin.withToken')}</button>
      </form>
    </section>
  );
}
