import type { HearthOutputs as Outputs } from '@hearth/client';
import { cssVariablesToStyleText, term } from '@hearth/core';

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The landing page, rendered on the server from the tenant's configuration so it shows the
 * organisation's name, colours and words before any script runs. The full web app arrives with
 * `@hearth/ui`.
 */
export function renderHome(
  branding: Outputs['tenancy']['branding'],
  me: Outputs['identity']['me'],
): string {
  const name = escapeHtml(branding.displayName);
  const mentor = escapeHtml(term(branding, 'mentor'));
  const helplines = branding.helplines
    .map(
      (
        h,
      ) => `<li><strong>${escapeHtml(h.name)}</strong>${h.description ? ` — ${escapeHtml(h.description)}` : ''}
        ${h.phone ? `<br>Call <a href="tel:${escapeHtml(h.phone.replace(/\s/g, ''))}">${escapeHtml(h.phone)}</a>` : ''}
        ${h.sms ? `<br>Text ${escapeHtml(h.sms.keyword ?? '')} to ${escapeHtml(h.sms.number)}` : ''}
        ${h.url ? `<br><a href="${escapeHtml(h.url)}" rel="noopener">${escapeHtml(h.url)}</a>` : ''}</li>`,
    )
    .join('');
  const account = me
    ? `<section class="card" aria-labelledby="you">
        <h2 id="you">Hello, ${escapeHtml(me.displayName ?? me.username)}</h2>
        <p>You are signed in as <strong>${escapeHtml(me.username)}</strong> (${me.roles.map(escapeHtml).join(', ')}).</p>
        <button type="button" id="sign-out">Sign out</button>
      </section>`
    : `<section class="card" aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">Sign in</h2>
        <form id="sign-in" novalidate>
          <label>Username <input name="username" autocomplete="username" required></label>
          <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
          <button type="submit">Sign in</button>
          <p class="error" role="alert"></p>
        </form>
      </section>
      ${
        branding.allowMemberSignUp
          ? `<section class="card" aria-labelledby="sign-up-title">
        <h2 id="sign-up-title">Join ${name}</h2>
        <p>Pick a username that doesn't say who you are. We never ask for your real name.</p>
        <form id="sign-up" novalidate>
          <label>Username <input name="username" autocomplete="username" required></label>
          <label>Password (10 characters or more) <input name="password" type="password" autocomplete="new-password" required></label>
          <label>Your age
            <select name="ageBand" required><option value="">Choose your age group</option>${branding.memberAgeBands.map((b) => `<option value="${escapeHtml(b)}">${escapeHtml(b.replace('-plus', '+').replace('under-', 'under '))}</option>`).join('')}</select>
          </label>
          <button type="submit">Create my account</button>
          <p class="error" role="alert"></p>
        </form>
      </section>`
          : ''
      }`;
  return `<!doctype html>
<html lang="${escapeHtml(branding.defaultLocale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${name}</title>
<style>
:root { ${cssVariablesToStyleText(branding.cssVariables)} }
body { margin: 0; font-family: var(--hearth-font-family); background: var(--hearth-color-background); color: var(--hearth-color-text); }
header { background: var(--hearth-color-primary); color: var(--hearth-color-on-primary); padding: 1rem 1.5rem; display: flex; justify-content: space-between; align-items: center; gap: 1rem; }
header h1 { margin: 0; font-size: 1.5rem; }
main { max-width: 44rem; margin: 0 auto; padding: 1.5rem; display: grid; gap: 1.25rem; }
.card { background: var(--hearth-color-surface); border-radius: var(--hearth-radius); padding: 1.25rem 1.5rem; box-shadow: 0 1px 3px rgb(0 0 0 / 0.12); }
label { display: block; margin: 0.5rem 0; }
input, select { display: block; margin-top: 0.25rem; padding: 0.5rem; font: inherit; width: 100%; box-sizing: border-box; border-radius: var(--hearth-radius); border: 1px solid #767676; }
button { font: inherit; padding: 0.6rem 1.2rem; border: 0; border-radius: var(--hearth-radius); background: var(--hearth-color-primary); color: var(--hearth-color-on-primary); cursor: pointer; }
#quick-exit { background: var(--hearth-color-accent); color: #000; font-weight: 700; }
.error { color: var(--hearth-color-danger); min-height: 1.2em; }
</style>
</head>
<body>
<header>
  <h1>${name}</h1>
  <button type="button" id="quick-exit" title="Leave this site quickly (or press Escape three times)">Quick exit</button>
</header>
<main>
  <section class="card" aria-labelledby="welcome">
    <h2 id="welcome">Welcome to ${name}</h2>
    <p>Talk to a trained ${mentor} about what matters to you. Conversations here are monitored by our team to keep everyone safe.</p>
  </section>
  ${account}
  <section class="card" aria-labelledby="help">
    <h2 id="help">Need help right now?</h2>
    <ul>${helplines}</ul>
  </section>
</main>
<script type="module">
const exit = () => { window.location.replace('https://www.bbc.co.uk/weather'); };
document.getElementById('quick-exit').addEventListener('click', exit);
let escapes = [];
document.addEventListener('keydown', (e) => {
  if (e.key !== 'Escape') return;
  const now = Date.now();
  escapes = [...escapes.filter((t) => now - t < 1500), now];
  if (escapes.length >= 3) exit();
});
async function call(path, input) {
  const res = await fetch('/trpc/' + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hearth-client': '1' },
    body: JSON.stringify(input ?? {}),
  });
  const body = await res.json();
  if (body.error) {
    const fields = body.error.data && body.error.data.fieldErrors;
    const detail = fields ? Object.values(fields).flat().join(' ') : '';
    throw new Error(detail || body.error.message);
  }
  return body.result.data;
}
for (const [id, path] of [['sign-in', 'identity.signIn'], ['sign-up', 'identity.signUp']]) {
  const form = document.getElementById(id);
  if (!form) continue;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const input = Object.fromEntries(new FormData(form));
    try { await call(path, input); location.reload(); }
    catch (err) { form.querySelector('.error').textContent = err.message; }
  });
}
document.getElementById('sign-out')?.addEventListener('click', async () => {
  await call('identity.signOut'); location.reload();
});
</script>
</body>
</html>`;
}
