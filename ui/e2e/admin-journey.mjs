// An admin of one tenant in the browser: sign in, add a website and watch it sync, tune the assistant, get a cited
// draft in the inbox, approve the autopilot's cancellation, find the executed call in the logs, read the insights and
// replay the tenant's messages under a stricter threshold.
import { BASE, LONG, accessible, need, noPolling, run, see, shot, signInWithToken, step, tab, until } from './lib.mjs';

const ADMIN = need('AIDESK_ADMIN_TOKEN');
const AUDITOR = process.env.AIDESK_AUDITOR_TOKEN;
const AGENT = process.env.AIDESK_AGENT_TOKEN;
const SITE = need('AIDESK_SITE_URL');
const TENANT = need('AIDESK_TENANT');
const CONTACT = need('AIDESK_CONTACT_NAME');
const WEBHOOK = need('AIDESK_WEBHOOK_URL');

await run(async page => {
  await step('the sign-in page lists the demo users when the server has them', async () => {
    await page.goto(`${BASE}/sign-in`);
    await see(page.getByRole('heading', { name: 'Demo users' }));
    const demo = await fetch(`${BASE}/api/demo/users`).then(r => (r.ok ? r.json() : null)).catch(() => null);
    if (demo?.tenants?.length) {
      await see(page.getByText(demo.tenants[0].name));
      await see(page.getByRole('button', { name: new RegExp(`Sign in as ${demo.tenants[0].users[0].name}`) }));
    } else {
      await see(page.getByText('Demo users are not available on this server'));
    }
    await shot(page, '01-sign-in');
    await accessible(page, 'the sign-in');
  });

  await step('a bad token is refused in words, and the admin signs in with a CRM token', async () => {
    await page.getByLabel('CRM token (JWT)').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in with token' }).click();
    await see(page.getByRole('alert').getByText('This does not look like a JWT'));
    await signInWithToken(page, ADMIN);
    await see(page.getByRole('heading', { name: 'AI Desk overview' }));
    await see(page.getByTestId('who').getByText(TENANT));
    await see(page.getByText('Copilot in Inbox: on'));
    await shot(page, '02-overview');
    await accessible(page, 'the overview');
  });

  await step('a website source is added and reaches "ok" with its page and chunk counts', async () => {
    await tab(page, 'Knowledge');
    await see(page.getByRole('heading', { name: 'Add source' }));
    await page.getByLabel('Website URL', { exact: true }).fill(SITE);
    await page.getByLabel('Maximum pages').fill('50');
    await page.getByLabel('Exclude paths (one per line)').fill('/internal/**');
    await page.getByRole('button', { name: 'Add website' }).click();
    await see(page.getByRole('status').getByText('Source added'));
    const source = page.getByRole('listitem', { name: SITE });
    // while it syncs, the bar never goes back, although the crawl finds more pages as it goes
    const bar = [];
    let syncing = true;
    const sampler = (async () => {
      while (syncing) {
        const value = await source.locator('progress').getAttribute('value', { timeout: 100 }).catch(() => null);
        if (value !== null) bar.push(Number(value));
        await page.waitForTimeout(50);
      }
    })();
    await see(source.locator('[aria-label="Status: ok"]'), LONG);
    syncing = false;
    await sampler;
    if (bar.some((value, i) => i > 0 && value < bar[i - 1])) throw new Error(`the progress bar went back: ${bar.join(', ')}`);
    const pages = Number(await source.getByTestId('pages').textContent());
    const chunks = Number(await source.getByTestId('chunks').textContent());
    console.log(`  ${pages} pages, ${chunks} chunks`);
    if (!(pages >= 3 && chunks >= 3)) throw new Error(`expected pages and chunks, saw ${pages} pages and ${chunks} chunks`);
    await see(source.getByText(/Last sync: \d+ fetched/));
    // a website re-syncs daily unless told otherwise, and its history shows the sync just made
    await see(source.getByText(/Re-syncs daily · next /), LONG);
    await source.getByRole('button', { name: `Sync history of ${SITE}` }).click();
    await see(source.getByRole('cell', { name: 'Manual' }));
  });

  await step('the same website with the same rules is refused in words, and nothing is added', async () => {
    await page.getByLabel('Website URL', { exact: true }).fill(SITE);
    await page.getByLabel('Maximum pages').fill('20');
    await page.getByLabel('Exclude paths (one per line)').fill('/internal/**');
    await page.getByRole('button', { name: 'Add website' }).click();
    await see(page.getByRole('alert').getByText(/already has a source for .* with the same path rules/));
    const listed = await page.getByRole('listitem', { name: SITE }).count();
    if (listed !== 1) throw new Error(`expected the website listed once, saw ${listed}`);
  });

  await step('a file is uploaded and synced too', async () => {
    await page.getByLabel('File upload').check();
    await see(page.getByRole('group', { name: 'File drop area' }));
    await page.getByLabel('File (PDF, DOC, DOCX, TXT, MD, HTML)').setInputFiles({ name: 'opening-hours.txt', mimeType: 'text/plain',
      buffer: Buffer.from('Emergency plumbing is available around the clock on weekends for a call-out fee of $120.\n') });
    await see(page.getByText('Chosen: opening-hours.txt'));
    await page.getByRole('button', { name: 'Upload file' }).click();
    await see(page.getByRole('listitem', { name: 'opening-hours.txt' }).locator('[aria-label="Status: ok"]'), LONG);
    await shot(page, '03-knowledge');
    await accessible(page, 'the knowledge');
  });

  await step('the confidence threshold and the allowed tools change, and the change is shown', async () => {
    await tab(page, 'Assistant');
    await see(page.getByRole('switch', { name: 'Copilot in Inbox' }));
    await page.locator('#threshold').fill('0.6');
    await see(page.getByText('Minimum confidence: 60%'));
    // unsaved changes are not lost by a click on another tab: the screen asks first
    await see(page.getByRole('status').getByText('You have unsaved changes.'));
    let asked = '';
    page.once('dialog', dialog => { asked = dialog.message(); dialog.dismiss(); });
    await tab(page, 'Knowledge');
    await until('the leave question', async () => asked === 'Leave without saving your changes?');
    await see(page.getByText('Minimum confidence: 60%'));
    const cancel = page.getByRole('checkbox', { name: /Cancel subscription/ });
    await see(cancel.locator('xpath=..').getByText('needs approval'));
    await cancel.check();
    await page.getByRole('checkbox', { name: /Create task/ }).uncheck();
    await page.getByLabel('Fields a request needs when its intent is other').fill('postcode, preferred_date');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const saved = await see(page.getByRole('status', { name: 'Saved. What changed:' }));
    await see(saved.getByText('Minimum confidence: 0.75 → 0.6'));
    await see(saved.getByText(/Allowed tools: added Cancel subscription; removed Create task/));
    await see(saved.getByText(/Required fields: .* → .*postcode.*preferred_date/));
    await shot(page, '04-assistant');
    await accessible(page, 'the assistant');
  });

  await step('in the inbox, the copilot drafts a cited reply to a customer', async () => {
    await tab(page, 'Inbox');
    await see(page.getByRole('heading', { name: 'New conversation' }));
    await page.getByLabel('Subject').fill('Water heater');
    await page.getByRole('button', { name: 'Start conversation' }).click();
    await see(page.getByRole('heading', { name: `${CONTACT} · Water heater` }));
    await page.getByLabel('Message from the customer').fill('How much does it cost to replace a water heater?');
    await page.getByRole('button', { name: 'Send as customer' }).click();
    await see(page.getByRole('list', { name: 'Messages' }).getByText('How much does it cost to replace a water heater?'));
    await page.getByRole('button', { name: 'Draft a reply' }).click();
    const draft = page.locator('[aria-label="draft"]');
    const text = await see(draft.getByLabel('Your reply to the customer'), LONG);
    await until('the draft to name the price', async () => /\$900 and \$1,500/.test(await text.inputValue()), LONG);
    await see(draft.getByText(/Confidence \d+%/));
    await see(draft.getByRole('link', { name: 'Water heaters' }));
    await shot(page, '05-inbox-draft');
    await accessible(page, 'the inbox with a draft');
  });

  await step('the agent edits the draft, sends it and rates it; what was sent is the edited text', async () => {
    const draft = page.locator('[aria-label="draft"]');
    const text = draft.getByLabel('Your reply to the customer');
    await text.fill(`${await text.inputValue()} Shall we book a visit?`);
    await draft.getByRole('button', { name: 'Helpful', exact: true }).click();
    await see(draft.getByText('Thanks: rated helpful.'));
    await draft.getByRole('button', { name: 'Send reply' }).click();
    await see(page.getByRole('status').getByText('Sent with your changes.'));
    const messages = page.getByRole('list', { name: 'Messages' });
    await see(messages.locator('li.agent').getByText(/Shall we book a visit\?$/));
    if (await page.locator('[aria-label="draft"]').count() !== 0) throw new Error('the sent draft is still shown');
  });

  await step('a file citation opens the cited file', async () => {
    await page.getByLabel('Message from the customer').fill('What is the call-out fee for a weekend emergency?');
    await page.getByRole('button', { name: 'Send as customer' }).click();
    await see(page.getByRole('list', { name: 'Messages' }).getByText('What is the call-out fee for a weekend emergency?'));
    await page.getByRole('button', { name: 'Draft a reply' }).click();
    const draft = page.locator('[aria-label="draft"]');
    const link = await see(draft.getByRole('link', { name: 'Open the file opening-hours.txt' }), LONG);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    if (download.suggestedFilename() !== 'opening-hours.txt') throw new Error(`downloaded ${download.suggestedFilename()}`);
    const path = await download.path();
    const content = (await import('node:fs')).readFileSync(path, 'utf8');
    if (!content.includes('call-out fee of $120')) throw new Error(`the downloaded file holds: ${content}`);
    await draft.getByLabel('Why discard it (optional)').fill('answered on the phone');
    await draft.getByRole('button', { name: 'Discard draft' }).click();
    await see(page.getByRole('status').getByText('Draft discarded.'));
  });

  await step('autopilot on, cancellation allowed and no cancellation escalation rule', async () => {
    await tab(page, 'Assistant');
    await page.getByRole('switch', { name: 'Autopilot' }).check();
    await page.locator('#threshold').fill('0');
    // remove every rule a cancellation would match: its keywords speak of cancelling, or it hands billing over (the
    // offline model takes a cancellation for billing)
    for (;;) {
      const rules = page.locator('fieldset.rule');
      const count = await rules.count();
      let removed = false;
      for (let i = 0; i < count; i++) {
        const keywords = await rules.nth(i).getByLabel('Keywords (comma separated)').inputValue();
        const billing = await rules.nth(i).getByRole('checkbox', { name: 'billing', exact: true }).isChecked();
        if (/cancel/i.test(keywords) || billing) {
          await rules.nth(i).getByRole('button', { name: /Remove rule/ }).click();
          removed = true;
          break;
        }
      }
      if (!removed) break;
    }
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const saved = await see(page.getByRole('status', { name: 'Saved. What changed:' }));
    await see(saved.getByText('Autopilot: off → on'));
    await see(saved.getByText(/Escalation rules:/));
    // the tools were not touched: no change of them is recorded, whatever order the screen keeps them in
    if (await saved.getByText(/Allowed tools/).count() !== 0) throw new Error('a tools change was recorded although none was made');
  });

  await step("the CRM's webhook endpoint is added, and its signing secret is shown once", async () => {
    await tab(page, 'Webhooks');
    await see(page.getByRole('heading', { name: 'Add an endpoint' }));
    await see(page.getByText('No endpoints yet.'));
    await page.getByLabel('Endpoint URL').fill('ftp://crm.example.com/hooks');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await see(page.getByRole('alert').getByText(/Please check "url"/));
    await page.getByLabel('Endpoint URL').fill(WEBHOOK);
    await page.getByLabel('Description (optional)').fill('Our CRM');
    // knowledge syncs are not this CRM's business
    await page.getByRole('checkbox', { name: /A knowledge sync finished/ }).uncheck();
    await page.getByRole('checkbox', { name: /A knowledge sync failed/ }).uncheck();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = await see(page.getByRole('status', { name: `Signing secret of ${WEBHOOK}` }));
    const value = await secret.locator('code').innerText();
    if (!/^whsec_[A-Za-z0-9+/=]{40,}$/.test(value)) throw new Error(`not a signing secret: ${value}`);
    const card = await see(page.getByRole('article', { name: `Endpoint ${WEBHOOK}` }));
    await see(card.getByText('Active'));
    await see(card.getByText(/^Sends: A reply is ready, .*A ticket was opened$/));
    await shot(page, '06a-webhooks');
    await accessible(page, 'the webhooks');
    await secret.getByRole('button', { name: 'I have kept it' }).click();
    await page.reload();
    await see(page.getByRole('article', { name: `Endpoint ${WEBHOOK}` }));
    if (await page.getByText(value).count() !== 0) throw new Error('the signing secret is shown again');
  });

  await step("a customer's cancellation request waits for approval in the inbox", async () => {
    await tab(page, 'Inbox');
    await page.getByLabel('Subject').fill('Cancel');
    await page.getByRole('button', { name: 'Start conversation' }).click();
    await see(page.getByRole('heading', { name: `${CONTACT} · Cancel` }));
    await page.getByLabel('Message from the customer').fill('I want to cancel my subscription');
    await page.getByRole('button', { name: 'Send as customer' }).click();
    const activity = page.getByRole('region', { name: 'Autopilot activity' });
    await see(activity.getByText('Cancel subscription'), LONG);
    await see(activity.getByText('Run waiting for approval'), LONG);
    await see(page.getByRole('list', { name: 'Messages' }).getByText('(autopilot)'), LONG);
    await shot(page, '06-inbox-autopilot');
    await accessible(page, 'the inbox with the autopilot');
    await noPolling(page, 'the inbox');
  });

  await step('an agent takes a conversation over, the autopilot stays quiet, and hands it back', async () => {
    await page.getByLabel('Subject').fill('Take over');
    await page.getByRole('button', { name: 'Start conversation' }).click();
    await see(page.getByRole('heading', { name: `${CONTACT} · Take over` }));
    await page.getByRole('button', { name: 'Take over from the autopilot' }).click();
    await see(page.getByRole('status').getByText(/You have this conversation/));
    await see(page.getByText('A person has this conversation.'));
    await page.getByLabel('Message from the customer').fill('What are your opening hours?');
    await page.getByRole('button', { name: 'Send as customer' }).click();
    await see(page.getByRole('list', { name: 'Messages' }).getByText('What are your opening hours?'));
    await page.getByLabel('Write a reply').fill('We work Monday to Friday from 8am to 6pm.');
    await page.getByRole('button', { name: 'Send as agent' }).click();
    await see(page.getByRole('list', { name: 'Messages' }).locator('li.agent').getByText('We work Monday to Friday from 8am to 6pm.'));
    const activity = page.getByRole('region', { name: 'Autopilot activity' });
    await see(activity.getByText('No autopilot runs yet.'));
    await page.getByRole('button', { name: 'Hand back to the autopilot' }).click();
    await see(page.getByRole('status').getByText(/Handed back/));
    await see(page.getByRole('button', { name: 'Take over from the autopilot' }));
  });

  await step('the call appears in approvals with its context and is approved', async () => {
    await tab(page, 'Approvals');
    const card = await see(page.getByRole('article', { name: /Cancel subscription/ }), LONG);
    await see(card.getByText('I want to cancel my subscription'));
    await see(card.locator('[aria-label="Arguments cancel_subscription"]'));
    await see(card.getByText(new RegExp(`^${CONTACT} · plan `)));
    await shot(page, '07-approvals');
    await accessible(page, 'the approvals');
    // a cancellation is approved only after its effect is read, in words, with the contact's name
    await card.getByRole('button', { name: 'Approve Cancel subscription' }).click();
    const confirm = await see(card.getByRole('alertdialog', { name: 'Confirm Cancel subscription' }));
    await see(confirm.getByText(new RegExp(`This cancels ${CONTACT}'s subscription .* cannot be undone`)));
    await confirm.getByRole('button', { name: 'No, keep it waiting' }).click();
    if (await card.getByRole('alertdialog').count() !== 0) throw new Error('the confirmation stayed open');
    await see(card.getByRole('button', { name: 'Approve Cancel subscription' }));
    await card.getByRole('button', { name: 'Approve Cancel subscription' }).click();
    await card.getByRole('alertdialog', { name: 'Confirm Cancel subscription' }).getByRole('button', { name: 'Yes, approve it' }).click();
    // the approval answers once the call ran, or, on a busy machine, with the call approved and about to run
    await see(page.getByRole('status').getByText(/Cancel subscription approved: (executed|approved)/), LONG);
    await see(page.getByText('No actions are waiting for approval.'));
    await noPolling(page, 'the approvals');
    const decided = page.getByRole('region', { name: 'Decided and expired' });
    await see(decided.getByRole('cell', { name: 'Cancel subscription' }));
    await see(decided.getByText(/^approved(, about to run| and done)$/));
    await see(decided.getByRole('cell', { name: /^ana(@|$)/ }));
  });

  await step("the webhook's delivery log shows the approval's events delivered", async () => {
    await tab(page, 'Webhooks');
    const card = await see(page.getByRole('article', { name: `Endpoint ${WEBHOOK}` }));
    await card.getByRole('button', { name: 'Show deliveries' }).click();
    await until('the approval decided to be delivered', async () => {
      await card.getByRole('button', { name: 'Refresh' }).click();
      const row = card.getByRole('row').filter({ hasText: 'An approval was decided' });
      return (await row.count()) === 1 && /Delivered/.test(await row.innerText());
    }, LONG);
    await see(card.getByRole('row').filter({ hasText: 'An action waits for approval' }).getByText('Delivered'));
    await shot(page, '07a-webhook-deliveries');
    await accessible(page, 'the delivery log');
  });

  await step('the logs show the run with the executed call, its approver and the event timeline', async () => {
    await tab(page, 'Logs');
    await see(page.getByRole('heading', { name: 'Logs' }));
    await page.getByLabel(/^Tool/).selectOption('cancel_subscription');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const row = page.getByRole('row').filter({ hasText: 'autopilot' });
    await until('the approved call to have run', async () => {
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await see(row, LONG);
      return /1 \/ \d+ \(.*Cancel subscription/.test(await row.first().innerText());
    }, LONG);
    await shot(page, '08-logs');
    await accessible(page, 'the logs');
    await row.first().getByRole('link', { name: /Open run/ }).click();
    await see(page.getByRole('heading', { name: 'Input message' }));
    await see(page.getByText('I want to cancel my subscription').first());
    const call = await see(page.getByRole('article', { name: 'cancel_subscription executed' }));
    await see(call.getByText(/Decided by /));
    await see(call.locator('[aria-label="Result cancel_subscription"]'));
    await see(page.getByText('ToolCallApproved'));
    await see(page.getByText('ToolCallExecuted'));
    await see(page.getByText('JSON output of the model'));
    await shot(page, '09-run-detail');
    await accessible(page, 'the run detail');
    await noPolling(page, 'the run detail');
    await tab(page, 'Knowledge');
    await see(page.getByRole('heading', { name: 'Add source' }));
    await noPolling(page, 'the knowledge');
    await page.goBack();
    await see(page.getByText('JSON output of the model'));
  });

  await step('the screens speak Spanish', async () => {
    await page.getByLabel('Language').selectOption('es');
    await see(page.getByRole('navigation', { name: 'Secciones de AI Desk' }).getByRole('link', { name: 'Registros' }));
    await see(page.getByRole('heading', { name: 'Mensaje de entrada' }));
    // dates in the UI's language, whatever the browser's: day first and a 24-hour clock
    const main = page.locator('main');
    await see(main.getByText(/\b\d{1,2}\/\d{1,2}\/\d{4}, \d{1,2}:\d{2}:\d{2}\b/));
    const us = await main.getByText(/\d:\d{2}:\d{2}\s?(AM|PM)/).count();
    if (us !== 0) throw new Error(`${us} dates in US format under Spanish`);
    // statuses, modes and tools in words: the run's line and its calls show none of the API's spellings
    const shown = [await main.locator('p.meta').first().innerText(), ...(await main.locator('article.call h3').allInnerTexts())]
      .join(' | ');
    const raw = shown.match(/\b(awaiting_approval|completed|executed|escalated|autopilot|copilot|redacted)\b/);
    if (raw) throw new Error(`a raw "${raw[0]}" under Spanish: ${shown}`);
    // the inbox too: the autopilot's runs and calls, and who wrote each message
    await page.getByRole('navigation', { name: 'Secciones de AI Desk' }).getByRole('link', { name: 'Bandeja', exact: true }).click();
    await page.getByRole('button', { name: /Cancel/ }).first().click();
    const activity = await see(page.getByRole('region', { name: 'Actividad del piloto automático' }));
    await see(activity.getByText(/Ejecución completada/));
    const inbox = await main.innerText();
    const rawInInbox = inbox.match(/\b(awaiting_approval|completed|executed|escalated|autopilot|cancel_subscription|low_confidence)\b/);
    if (rawInInbox) throw new Error(`a raw "${rawInInbox[0]}" in the Spanish inbox`);
    await page.goBack();
    await see(page.getByRole('heading', { name: 'Mensaje de entrada' }));
    await page.getByLabel('Idioma').selectOption('en');
    await see(main.getByText(/\d:\d{2}:\d{2}\s?(AM|PM)/));
    await see(page.getByRole('heading', { name: 'Input message' }));
  });

  await step('the insights count the runs of this journey, chart them and open the runs behind a number', async () => {
    await tab(page, 'Insights');
    await see(page.getByRole('heading', { name: 'Insights', exact: true }));
    const total = await see(page.getByTestId('ins-runs-total'));
    await until('the runs to be counted', async () => Number(await total.innerText()) >= 2);
    await see(page.getByTestId('chart-runs').locator('canvas[role="img"]'));
    await see(page.getByTestId('chart-resolution').locator('canvas[role="img"]'));
    await see(page.getByRole('img', { name: /Chart of runs per period by outcome, \d+ in all/ }));
    await see(page.getByRole('heading', { name: 'Approvals asked' }));
    await see(page.getByRole('heading', { name: 'Content gaps' }));
    await shot(page, '09a-insights');
    await accessible(page, 'the insights');
    await noPolling(page, 'the insights');
    await page.getByRole('region', { name: 'Tickets opened' }).getByRole('link', { name: 'See these runs' }).click();
    await see(page.getByRole('heading', { name: 'Logs' }));
    if ((await page.getByLabel(/^Tool/).inputValue()) !== 'create_ticket') throw new Error('the drill-down lost its filter');
    await tab(page, 'Insights');
    await page.getByRole('region', { name: 'Runs', exact: true }).getByRole('link', { name: 'See these runs' }).click();
    await see(page.getByRole('row').filter({ hasText: 'Autopilot' }));
  });

  await step('a replay of the journey\'s messages at a threshold of 1 shows, message by message, what would change', async () => {
    await tab(page, 'Replays');
    await see(page.getByRole('heading', { name: 'Replays', exact: true }));
    await page.getByLabel(/^Confidence threshold/).fill('1');
    await page.getByLabel('Description').fill('nothing below certainty');
    await page.getByRole('button', { name: 'Start replay' }).click();
    await see(page.getByRole('heading', { name: 'nothing below certainty' }));
    await see(page.getByTestId('replay-status').getByText('completed'), LONG);
    await see(page.getByText(/Proposed: confidence threshold: .* → 1/));
    const diff = await see(page.getByTestId('replay-diff'));
    const rows = diff.locator('tbody tr');
    if ((await rows.count()) < 1) throw new Error('the replay shows no message');
    const changed = Number(await page.getByTestId('replay-changed').innerText());
    if (changed < 1) throw new Error('at a threshold of 1 no outcome changed');
    await see(diff.locator('tr.diff-changed').first().getByText('handed over'));
    await shot(page, '09b-replay-diff');
    await accessible(page, 'the replay diff');
    await page.getByLabel('Only the messages whose outcome changes').check();
    await until('only changed messages to be listed', async () => (await rows.count()) === changed);
    await page.getByRole('link', { name: '← All replays' }).click();
    await see(page.getByRole('row').filter({ hasText: 'nothing below certainty' }));
  });

  await step('signing out goes back to sign-in, and a broken session is sent there too', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await see(page.getByRole('heading', { name: 'Sign in to AI Desk' }));
    await page.goto(`${BASE}/settings/ai-desk/knowledge`);
    await see(page.getByRole('heading', { name: 'Sign in to AI Desk' }));
  });

  if (AUDITOR) {
    await step('an auditor sees the insights, the logs and the replays, and starts none', async () => {
      await signInWithToken(page, AUDITOR);
      await see(page.getByRole('heading', { name: 'Insights', exact: true }));
      const links = await page.getByRole('navigation', { name: 'AI Desk sections' }).getByRole('link').allTextContents();
      if (links.join(',') !== 'Insights,Logs,Replays') throw new Error(`an auditor saw the tabs ${links}`);
      await page.goto(`${BASE}/settings/ai-desk/assistant`);
      await see(page.getByRole('heading', { name: 'Insights', exact: true }));
      await tab(page, 'Replays');
      await see(page.getByRole('row').filter({ hasText: 'nothing below certainty' }));
      if (await page.getByRole('button', { name: 'Start replay' }).count()) throw new Error('an auditor may start a replay');
      await page.getByRole('button', { name: 'Sign out' }).click();
    });
  }
  if (AGENT) {
    await step('an agent sees the inbox only', async () => {
      await signInWithToken(page, AGENT);
      await see(page.getByRole('heading', { name: 'Inbox', exact: true }));
      const links = await page.getByRole('navigation', { name: 'AI Desk sections' }).getByRole('link').allTextContents();
      if (links.join(',') !== 'Inbox') throw new Error(`an agent saw the tabs ${links}`);
      await page.getByRole('button', { name: 'Sign out' }).click();
    });
  }
});
