// The Team page (owners; README "Users and roles"): add a user with a role, list, delete.
import { useState } from 'preact/hooks';
import { adminApi, type UserView } from '../api.ts';
import { messages } from '../lib/i18n.ts';
import { formatTime } from '../lib/status.ts';
import { ErrorMessage, Loading, useLoad } from '../ui.tsx';

const t = messages({
  en: {
    title: 'Team',
    intro: 'Who may log in, and what each may do: a viewer reads; a marketer also changes forms and resends leads; an owner does everything.',
    add: 'Add a user',
    email: 'Email',
    password: 'Password',
    passwordHint: 'At least 8 characters. Tell it to the person; they log in with their email and this password.',
    role: 'Role',
    owner: 'Owner',
    marketer: 'Marketer',
    viewer: 'Viewer',
    addUser: 'Add user',
    added: '{email} can log in now.',
    needFields: 'Enter an email and a password of at least 8 characters.',
    since: 'Added',
    actions: 'Actions',
    delete: 'Delete',
    deleteNamed: 'Delete {email}',
    deleteConfirm: 'Delete {email}? They are logged out at once.',
    deleted: '{email} is deleted.',
    none: 'No users yet: everyone logs in with the admin token.',
  },
  ru: {
    title: 'Команда',
    intro: 'Кто может войти и что может делать: наблюдатель только смотрит; маркетолог также меняет формы и повторно отправляет заявки; владелец может всё.',
    add: 'Добавить пользователя',
    email: 'Email',
    password: 'Пароль',
    passwordHint: 'Не короче 8 символов. Сообщите его человеку: он входит со своим email и этим паролем.',
    role: 'Роль',
    owner: 'Владелец',
    marketer: 'Маркетолог',
    viewer: 'Наблюдатель',
    addUser: 'Добавить',
    added: '{email} теперь может войти.',
    needFields: 'Введите email и пароль не короче 8 символов.',
    since: 'Добавлен',
    actions: 'Действия',
    delete: 'Удалить',
    deleteNamed: 'Удалить {email}',
    deleteConfirm: 'Удалить {email}? Пользователь сразу выйдет из системы.',
    deleted: '{email} удалён.',
    none: 'Пользователей пока нет: все входят по токену администратора.',
  },
});

const ROLE_KEYS = ['viewer', 'marketer', 'owner'] as const;

export function TeamPage() {
  const [users, reload] = useLoad(() => adminApi.listUsers(), 'team');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<UserView['role']>('marketer');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);

  const act = async (work: () => Promise<string | null>) => {
    setBusy(true);
    setError(null);
    setNotice('');
    try {
      const done = await work();
      if (done) setNotice(done);
      await reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const add = (ev: Event) => {
    ev.preventDefault();
    if (!email.trim() || password.length < 8) return setError(new Error(t('needFields')));
    void act(async () => {
      const user = await adminApi.createUser({ email: email.trim(), password, role });
      setEmail('');
      setPassword('');
      return t('added', { email: user.email });
    });
  };
  const remove = (user: UserView) =>
    act(async () => {
      if (!confirm(t('deleteConfirm', { email: user.email }))) return null;
      await adminApi.deleteUser(user.id);
      return t('deleted', { email: user.email });
    });

  return (
    <section>
      <h1>{t('title')}</h1>
      <p class="muted">{t('intro')}</p>
      <ErrorMessage error={error} />
      {notice && (
        <p class="message message-ok" role="status">
          {notice}
        </p>
      )}
      <form class="card narrow" onSubmit={add} noValidate>
        <h2>{t('add')}</h2>
        <label for="team-email">{t('email')}</label>
        <input id="team-email" type="email" autoComplete="off" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <label for="team-password">{t('password')}</label>
        <input
          id="team-password"
          type="password"
          autoComplete="new-password"
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
          aria-describedby="team-password-hint"
        />
        <p id="team-password-hint" class="hint">
          {t('passwordHint')}
        </p>
        <label for="team-role">{t('role')}</label>
        <select id="team-role" value={role} onChange={(e) => setRole(e.currentTarget.value as UserView['role'])}>
          {ROLE_KEYS.map((r) => (
            <option key={r} value={r}>
              {t(r)}
            </option>
          ))}
        </select>
        <button type="submit" class="primary" disabled={busy}>
          {t('addUser')}
        </button>
      </form>
      {users.state === 'loading' && <Loading />}
      {users.state === 'error' && <ErrorMessage error={users.error} />}
      {users.state === 'ready' && users.data.length === 0 && <p class="muted">{t('none')}</p>}
      {users.state === 'ready' && users.data.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t('email')}</th>
                <th>{t('role')}</th>
                <th>{t('since')}</th>
                <th>{t('actions')}</th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((u) => (
                <tr key={u.id}>
                  <td>{u.email}</td>
                  <td>{t(u.role)}</td>
                  <td>{formatTime(u.createdAt)}</td>
                  <td class="actions">
                    <button type="button" class="danger" onClick={() => remove(u)} disabled={busy} aria-label={t('deleteNamed', { email: u.email })}>
                      {t('delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
