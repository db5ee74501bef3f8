// The app: who is logged in (a session cookie, or the admin token kept in this tab), the login page until then,
// and the logged-in layout (shell.tsx) after.
import { useEffect, useState } from 'preact/hooks';
import { adminApi, clearToken, setToken, setUnauthorizedHandler, whoAmI, type SessionInfo } from './api.ts';
import { setCurrentRole, type Role } from './lib/access.ts';
import { messages } from './lib/i18n.ts';
import { LoginPage } from './login-page.tsx';
import { Shell } from './shell.tsx';
import { Loading, useLanguage } from './ui.tsx';

/** Who is logged in: a user by session cookie, or the admin token kept in this tab. */
type Auth = { role: Role; email: string | null };

const t = messages({
  en: {
    loginAgain: 'Your access has ended (you logged out elsewhere, the session expired, or the admin token changed). Please log in again.',
    loggedOut: 'You are logged out.',
  },
  ru: {
    loginAgain: 'Доступ закончился (вы вышли в другом месте, сеанс истёк или токен администратора сменили). Войдите снова.',
    loggedOut: 'Вы вышли.',
  },
});

export function App() {
  // A language switch re-renders the whole app: every text is looked up while rendering.
  useLanguage();
  const [auth, setAuth] = useState<Auth | null | 'checking'>('checking');
  const [loginMessage, setLoginMessage] = useState<'loginAgain' | 'loggedOut' | ''>('');
  const enter = (info: SessionInfo) => {
    const next = 'user' in info ? { role: info.user.role, email: info.user.email } : { role: info.role, email: null };
    setCurrentRole(next.role);
    setAuth(next);
  };
  useEffect(() => {
    setUnauthorizedHandler(() => {
      clearToken();
      setAuth(null);
      // In plain words, in the chosen language (the server's 401 text names HTTP headers).
      setLoginMessage('loginAgain');
    });
    // A token kept in this tab, or a session cookie from an earlier login.
    void whoAmI().then((info) => {
      if (info) enter(info);
      else {
        clearToken();
        setAuth(null);
      }
    });
  }, []);
  if (auth === 'checking') return <Loading />;
  if (!auth) {
    return (
      <LoginPage
        message={loginMessage ? t(loginMessage) : ''}
        onSession={(info) => {
          clearToken();
          setLoginMessage('');
          enter(info);
        }}
        onToken={async (token) => {
          const info = await whoAmI(token);
          if (!info) return false;
          setToken(token);
          setLoginMessage('');
          enter(info);
          return true;
        }}
      />
    );
  }
  return (
    <Shell
      email={auth.email}
      onLogout={async () => {
        clearToken();
        await adminApi.logout().catch(() => undefined);
        setCurrentRole('viewer');
        setAuth(null);
        setLoginMessage('loggedOut');
      }}
    />
  );
}
