// The seeded demo in a browser: Acme's admin signs in from the demo users list and finds Acme's knowledge, the
// cancellation waiting for approval and the autopilot's runs; Globex's admin finds Globex's and nothing of Acme's.
import { BASE, run, see, shot, step, tab, until } from './lib.mjs';

const ACME_ONLY = ['acme-price-list-2026.pdf', '/demo-sites/acme', 'Maria Lopez', 'John Carter', 'Priya Shah'];

async function signInAs(page, label, overview = 'AI Desk overview') {
  await page.goto(`${BASE}/sign-in`);
  await see(page.getByRole('heading', { name: 'Demo users' }));
  await page.getByRole('button', { name: label }).click();
  await see(page.getByRole('heading', { name: overview }));
}

/** A tab of the screens in Spanish, Globex's language. */
async function pestaña(page, name) {
  await page.getByRole('navigation', { name: 'Secciones de AI Desk' }).getByRole('link', { name, exact: true }).click();
}

async function noneOfAcme(page) {
  const body = await page.locator('body').innerText();
  for (const text of ACME_ONLY) {
    if (body.includes(text)) throw new Error(`Globex sees "${text}" on ${page.url()}`);
  }
}

await run(async page => {
  await step("Acme's admin signs in from the demo users", async () => {
    await signInAs(page, 'Sign in as Ana Torres (admin)');
    await see(page.getByTestId('who').getByText('acme'));
    await shot(page, '20-demo-acme-overview');
  });
  await step("Acme's help center and price list are synced", async () => {
    await tab(page, 'Knowledge');
    await see(page.getByText('acme-price-list-2026.pdf'));
    await see(page.getByText('/demo-sites/acme', { exact: false }));
    await until('both of Acme\'s sources to be ok', async () =>
      (await page.getByText('ok', { exact: true }).count()) >= 2);
    await shot(page, '21-demo-acme-knowledge');
  });
  await step("the seeded cancellation waits for Acme's admin", async () => {
    await tab(page, 'Approvals');
    await see(page.getByText('cancel_subscription'));
    await shot(page, '22-demo-acme-approvals');
  });
  await step("Acme's runs are in the logs", async () => {
    await tab(page, 'Logs');
    await see(page.locator('table.runs tbody tr'));
    await shot(page, '23-demo-acme-logs');
  });
  await step("Globex's admin signs in, in Globex's Spanish, and sees Globex's knowledge, none of Acme's", async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInAs(page, 'Sign in as Diego Fernández (admin)', 'Resumen de AI Desk');
    await see(page.getByTestId('who').getByText('globex'));
    if (await page.evaluate(() => document.documentElement.lang) !== 'es') throw new Error('Globex\'s screens are not in Spanish');
    await noneOfAcme(page);
    await pestaña(page, 'Conocimiento');
    await see(page.getByText('globex-poliza-hogar.docx'));
    await noneOfAcme(page);
    await shot(page, '24-demo-globex-knowledge');
  });
  await step('nothing of Acme in Globex\'s inbox, approvals or logs, once each has loaded Globex\'s own', async () => {
    await pestaña(page, 'Bandeja');
    await see(page.getByText('Lucía Martín').first());
    await noneOfAcme(page);
    await pestaña(page, 'Aprobaciones');
    await see(page.getByText('No hay acciones pendientes de aprobación.'));
    await noneOfAcme(page);
    await pestaña(page, 'Registros');
    await see(page.locator('table.runs tbody tr'));
    await noneOfAcme(page);
    await shot(page, '25-demo-globex-logs');
  });
  await step("Globex's insights and replays speak Spanish and hold nothing of Acme", async () => {
    await pestaña(page, 'Indicadores');
    await see(page.getByRole('heading', { name: 'Resolución automática' }));
    await see(page.getByRole('heading', { name: 'Huecos de contenido' }));
    await noneOfAcme(page);
    const shown = await page.locator('main').innerText();
    const raw = shown.match(/\b(ins|rp)\.[a-zA-Z.]+\b|\b(completed|escalated|low_confidence|customer_request)\b/);
    if (raw) throw new Error(`a raw "${raw[0]}" on Globex's insights`);
    await shot(page, '26-demo-globex-insights');
    await pestaña(page, 'Simulaciones');
    await see(page.getByRole('button', { name: 'Iniciar simulación' }));
    await noneOfAcme(page);
  });
});
