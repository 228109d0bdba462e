import { ApiError, api, setToken } from '../api.js';
import { h } from '../dom.js';

/** The sign-in form: the admin token is checked against an admin endpoint before it is kept. */
export function renderLogin(main, onSignedIn) {
  const input = h('input', { id: 'admin-token', name: 'token', type: 'password', autocomplete: 'current-password', required: true, 'aria-describedby': 'token-help' });
  const message = h('p', { id: 'login-error', class: 'field-error', role: 'alert' });
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form', {
    class: 'login card',
    async onsubmit(event) {
      event.preventDefault();
      const token = input.value.trim();
      if (!token) return;
      submit.disabled = true;
      message.textContent = '';
      try {
        await api('/v1/events?limit=1', { token });
        setToken(token);
        onSignedIn();
      } catch (error) {
        message.textContent = error instanceof ApiError && error.status === 401
          ? 'That token was not accepted. Use the server\'s admin token (SLUICE_ADMIN_TOKEN).'
          : `Could not reach the server: ${error.message}`;
        input.setAttribute('aria-invalid', 'true');
        input.focus();
      } finally {
        submit.disabled = false;
      }
    },
  },
  h('h1', { tabindex: '-1' }, 'Sign in to the Sluice console'),
  h('label', { for: 'admin-token' }, 'Admin token'),
  input,
  h('p', { id: 'token-help', class: 'muted small' }, 'Kept in this tab only (session storage) and sent as a bearer token with every request.'),
  message,
  submit);
  main.replaceChildren(form);
  input.focus();
}
