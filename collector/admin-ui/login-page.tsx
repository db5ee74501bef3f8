// The login page: by email and password (a session cookie), or by the admin token (kept in this tab).
// README "Users and roles".
import { useState } from 'preact/hooks';
import { ApiError, adminApi, type SessionInfo } from './api.ts';
import { messages } from './lib/i18n.ts';
import { LanguageSwitch, errorText } from './ui.tsx';

const t = messages({
  en: {
    tagline: "Catch leads from your site's forms and deliver them to your CRM.",
    byPassword: 'Log in with your email',
    email: 'Email',
    password: 'Password',
    logIn: 'Log in',
    needBoth: 'Enter your email and your password.',
    notAccepted: 'Not logged in: {reason}',
    wrongPassword: 'the email or the password is wrong.',
    tooMany: 'too many attempts from here; wait a few minutes and try again.',
    byToken: 'Or with the admin token',
    token: 'Admin token',
    tokenHint: 'The collector prints it on its first start; it is kept only in this browser tab.',
    tokenMissing: 'Admin token: paste the token the collector printed when it started (or the ADMIN_TOKEN you set).',
    tokenRefused: 'That token was not accepted: {reason}',
    tokenWrong: 'That token was not accepted. Check that you pasted all of it: it is the token the collector printed when it started (or the ADMIN_TOKEN you set).',
  },
  ru: {
    tagline: 'Собирайте заявки из форм сайта и передавайте их в CRM.',
    byPassword: 'Вход по email',
    email: 'Email',
    password: 'Пароль',
    logIn: 'Войти',
    needBoth: 'Введите email и пароль.',
    notAccepted: 'Вход не выполнен: {reason}',
    wrongPassword: 'неверный email или пароль.',
    tooMany: 'слишком много попыток отсюда; подождите несколько минут и попробуйте снова.',
    byToken: 'Или по токену администратора',
    token: 'Токен администратора',
    tokenHint: 'Коллектор печатает его при первом запуске; он хранится только в этой вкладке браузера.',
    tokenMissing: 'Токен администратора: вставьте токен, который коллектор напечатал при запуске (или заданный вами ADMIN_TOKEN).',
    tokenRefused: 'Этот токен не подошёл: {reason}',
    tokenWrong: 'Этот токен не подошёл. Проверьте, что вставили его целиком: это токен, который коллектор напечатал при запуске (или заданный вами ADMIN_TOKEN).',
  },
});

/** Why a login by password failed, in the chosen language (the server's own text is English). */
function passwordRefusal(err: unknown): string {
  if (err instanceof ApiError && err.code === 'LOGIN_FAILED') return t('wrongPassword');
  if (err instanceof ApiError && err.code === 'RATE_LIMITED') return t('tooMany');
  return errorText(err);
}

/**
 * One form, one "Log in" button: with an email and a password it logs in by them; with the admin
 * token (and no email) by the token. One button keeps "Log in" a single, unambiguous control.
 */
export function LoginPage(props: {
  message: string;
  onSession: (info: SessionInfo) => void;
  onToken: (token: string) => Promise<boolean>;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    setError('');
    const byPassword = email.trim() !== '' || password !== '';
    if (byPassword && (!email.trim() || !password)) return setError(t('needBoth'));
    if (!byPassword && !token.trim()) return setError(t('tokenMissing'));
    setBusy(true);
    try {
      if (byPassword) props.onSession(await adminApi.login(email.trim(), password));
      else if (!(await props.onToken(token.trim()))) setError(t('tokenWrong'));
    } catch (err) {
      setError(byPassword ? t('notAccepted', { reason: passwordRefusal(err) }) : t('tokenRefused', { reason: errorText(err) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login">
      <LanguageSwitch />
      <h1>leadrelay</h1>
      <p class="muted">{t('tagline')}</p>
      <form onSubmit={submit} class="card" noValidate>
        <h2>{t('byPassword')}</h2>
        <label for="login-email">{t('email')}</label>
        <input id="login-email" type="email" autoComplete="username" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <label for="login-password">{t('password')}</label>
        <input id="login-password" type="password" autoComplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        <h2>{t('byToken')}</h2>
        <label for="admin-token">{t('token')}</label>
        <input
          id="admin-token"
          type="password"
          autoComplete="off"
          value={token}
          onInput={(e) => setToken(e.currentTarget.value)}
          aria-describedby="admin-token-hint"
          aria-invalid={error ? 'true' : undefined}
        />
        <p id="admin-token-hint" class="hint">
          {t('tokenHint')}
        </p>
        {props.message && !error && (
          <p class="message message-ok" role="status">
            {props.message}
          </p>
        )}
        {error && (
          <p class="message message-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {t('logIn')}
        </button>
      </form>
    </main>
  );
}
