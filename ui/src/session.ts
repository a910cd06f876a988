// Who is signed in: kept in sessionStorage, so closing the tab signs out.
export type Role = 'admin' | 'agent' | 'auditor' | 'service';

export interface Session {
  token: string;
  tenant: string;
  tenantName?: string;
  userId: string;
  name?: string;
  roles: Role[];
  expiresAt?: string;
  /** the tenant's language (the token's locale claim, or the demo's tenant): the screens open in it */
  locale?: string;
}

const KEY = 'aidesk.session';

export function getSession(): Session | null {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  try {
    const session = JSON.parse(raw) as Session;
    if (session.expiresAt && Date.parse(session.expiresAt) < Date.now()) {
      clearSession();
      return null;
    }
    return session;
  } catch {
    return null;
  }
}

export function saveSession(session: Session) {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession() {
  sessionStorage.removeItem(KEY);
}

/** Reads tenant, user, roles and expiry from a JWT's claims (the server checks its signature on every call). */
export function sessionFromJwt(token: string): Session | null {
  const parts = token.trim().split('.');
  if (parts.length !== 3) return null;
  try {
    const json = atob(parts[1].replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(parts[1].length / 4) * 4, '='));
    const claims = JSON.parse(decodeURIComponent(escape(json)));
    if (typeof claims.tid !== 'string' || typeof claims.sub !== 'string') return null;
    const roles = (Array.isArray(claims.roles) ? claims.roles : typeof claims.roles === 'string' ? claims.roles.split(/[ ,]/) : [])
      .map((r: string) => r.toLowerCase().replace(/^role_/, ''));
    return {
      token: token.trim(), tenant: claims.tid, userId: claims.sub, name: claims.name, roles,
      locale: typeof claims.locale === 'string' ? claims.locale : undefined,
      expiresAt: typeof claims.exp === 'number' ? new Date(claims.exp * 1000).toISOString() : undefined,
    };
  } catch {
    return null;
  }
}

export type Screen = 'overview' | 'insights' | 'knowledge' | 'assistant' | 'logs' | 'replays' | 'approvals' | 'webhooks'
  | 'inbox';

/** admin: everything; agent (and service): the inbox; auditor: insights, the logs and the replays (to read). */
export function screensFor(roles: Role[]): Screen[] {
  const screens = new Set<Screen>();
  if (roles.includes('admin')) ['overview', 'insights', 'knowledge', 'assistant', 'logs', 'replays', 'approvals', 'webhooks',
    'inbox'].forEach(s => screens.add(s as Screen));
  if (roles.includes('auditor')) ['insights', 'logs', 'replays'].forEach(s => screens.add(s as Screen));
  if (roles.includes('agent') || roles.includes('service')) screens.add('inbox');
  const order: Screen[] = ['overview', 'insights', 'knowledge', 'assistant', 'logs', 'replays', 'approvals', 'webhooks',
    'inbox'];
  return order.filter(s => screens.has(s));
}

export const screenPath: Record<Screen, string> = {
  overview: '/settings/ai-desk',
  insights: '/settings/ai-desk/insights',
  knowledge: '/settings/ai-desk/knowledge',
  assistant: '/settings/ai-desk/assistant',
  logs: '/settings/ai-desk/logs',
  replays: '/settings/ai-desk/replays',
  approvals: '/settings/ai-desk/approvals',
  webhooks: '/settings/ai-desk/webhooks',
  inbox: '/inbox',
};

export function homeFor(roles: Role[]): string {
  const screens = screensFor(roles);
  return screens.length ? screenPath[screens[0]] : '/sign-in';
}
