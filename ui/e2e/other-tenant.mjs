// Signed in as another tenant's admin, nothing of the first tenant is visible anywhere.
import { BASE, need, run, see, shot, signInWithToken, step, tab } from './lib.mjs';

const ADMIN = need('AIDESK_OTHER_ADMIN_TOKEN');
const TENANT = need('AIDESK_OTHER_TENANT');
const FOREIGN_RUN = need('AIDESK_FOREIGN_RUN_ID');
const FOREIGN_TEXTS = need('AIDESK_FOREIGN_TEXTS').split('|');

async function noneOfTheFirst(page) {
  const body = await page.locator('body').innerText();
  for (const text of FOREIGN_TEXTS) {
    if (body.includes(text)) throw new Error(`the other tenant sees "${text}" on ${page.url()}`);
  }
}

await run(async page => {
  await step('the other tenant signs in', async () => {
    await signInWithToken(page, ADMIN);
    await see(page.getByRole('heading', { name: 'AI Desk overview' }));
    await see(page.getByTestId('who').getByText(TENANT));
    await see(page.getByText('Chunks indexed: 0'));
    await noneOfTheFirst(page);
    await shot(page, '10-other-overview');
  });
  await step('no knowledge source of the first tenant', async () => {
    await tab(page, 'Knowledge');
    await see(page.getByText('No knowledge sources yet.'));
    await noneOfTheFirst(page);
    await shot(page, '11-other-knowledge');
  });
  await step('its own assistant settings', async () => {
    await tab(page, 'Assistant');
    await see(page.getByText('Minimum confidence: 75%'));
    if (await page.getByRole('switch', { name: 'Autopilot' }).isChecked()) throw new Error('the first tenant\'s autopilot shows');
  });
  await step('no conversation, approval or run of the first tenant', async () => {
    await tab(page, 'Inbox');
    await see(page.getByText('No conversations yet.'));
    await noneOfTheFirst(page);
    await tab(page, 'Approvals');
    await see(page.getByText('No actions are waiting for approval.'));
    await noneOfTheFirst(page);
    await tab(page, 'Webhooks');
    await see(page.getByText('No endpoints yet.'));
    await noneOfTheFirst(page);
    await tab(page, 'Logs');
    await see(page.getByText('No runs match these filters.'));
    await noneOfTheFirst(page);
    await shot(page, '12-other-logs');
  });
  await step("the first tenant's run is not found by its id", async () => {
    await page.goto(`${BASE}/settings/ai-desk/logs?run=${FOREIGN_RUN}`);
    await see(page.getByRole('alert').getByText('Not found: it may have been deleted, or it belongs to another tenant.'));
    await noneOfTheFirst(page);
  });
});
