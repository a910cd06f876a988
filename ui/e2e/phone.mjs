// The same tenant on a phone (390 × 844): a compact header, the logs as cards whose links work, the inbox one pane
// at a time, and an agent who edits and sends a draft, takes the conversation over and hands it back.
import { BASE, LONG, accessible, need, run, see, shot, signInWithToken, step, tab } from './lib.mjs';

const ADMIN = need('AIDESK_ADMIN_TOKEN');
const CONTACT = need('AIDESK_CONTACT_NAME');

async function fitsTheScreen(page, screen) {
  const [width, viewport] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  if (width > viewport) throw new Error(`${screen} is ${width} px wide on a ${viewport} px screen`);
}

await run(async page => {
  await step('on a phone the header is compact and every screen fits its width', async () => {
    await signInWithToken(page, ADMIN);
    await see(page.getByRole('heading', { name: 'AI Desk overview' }));
    const header = await page.locator('header.top').boundingBox();
    if (header.height > 120) throw new Error(`the header takes ${header.height} px`);
    for (const [name, heading] of [['Knowledge', 'Add source'], ['Assistant', 'Assistant'], ['Approvals', 'Approvals'],
      ['Webhooks', 'Webhooks'], ['Logs', 'Logs']]) {
      await tab(page, name);
      await see(page.getByRole('heading', { name: heading, exact: true }).first());
      await fitsTheScreen(page, name);
      await accessible(page, `${name} on a phone`);
    }
    await shot(page, '20-phone-logs');
  });

  await step('a run in the logs opens from its card', async () => {
    const open = await see(page.getByRole('link', { name: /Open run/ }).first());
    await open.click();
    await see(page.getByRole('heading', { name: 'Input message' }));
    await fitsTheScreen(page, 'the run detail');
    await accessible(page, 'the run detail on a phone');
  });

  await step('the inbox shows one pane at a time', async () => {
    await tab(page, 'Inbox');
    const list = await see(page.getByRole('heading', { name: 'Conversations' }));
    await page.getByRole('button', { name: new RegExp(`${CONTACT} .*Water heater`) }).click();
    await see(page.getByRole('heading', { name: `${CONTACT} · Water heater` }));
    if (await list.isVisible()) throw new Error('the list and the conversation show side by side on a phone');
    await fitsTheScreen(page, 'the inbox');
    await accessible(page, 'the inbox on a phone');
    await shot(page, '21-phone-inbox');
  });

  await step('an agent edits and sends a draft on the phone', async () => {
    await page.getByRole('button', { name: 'Draft a reply' }).click();
    const draft = page.locator('[aria-label="draft"]');
    const text = await see(draft.getByLabel('Your reply to the customer'), LONG);
    await text.fill('Replacing a water heater costs $900 to $1,500. We can come on Monday.');
    await draft.getByRole('button', { name: 'Send reply' }).click();
    await see(page.getByRole('status').getByText('Sent with your changes.'));
    await see(page.getByRole('list', { name: 'Messages' }).getByText('We can come on Monday.'));
  });

  await step('and takes the conversation over and hands it back', async () => {
    await page.getByRole('button', { name: 'Take over from the autopilot' }).click();
    await see(page.getByText('A person has this conversation.'));
    await page.getByRole('button', { name: 'Hand back to the autopilot' }).click();
    await see(page.getByRole('button', { name: 'Take over from the autopilot' }));
    await page.getByRole('button', { name: '← Conversations' }).click();
    await see(page.getByRole('heading', { name: 'Conversations' }));
    await page.goto(`${BASE}/inbox`);
  });
}, { width: 390, height: 844 });
