import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { currentUser } from '../../lib/auth';

const errors: Record<string, string> = {
  'invalid-email': 'That does not look like an email address.',
  'other-origin': 'The form was sent from another site.',
};

/** Sign in by email: a user is made on the first visit. No password (this is an example). */
export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ error?: string | string[] }>;
}) {
  if (await currentUser({ headers: await headers() })) redirect('/workspace');
  const { error } = await searchParams;
  const message = typeof error === 'string' ? errors[error] : undefined;
  return (
    <section className="card">
      <h1>Sign in</h1>
      <form action="/api/auth/sign-in" method="post">
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" required autoComplete="email" />{' '}
        <button type="submit">Sign in</button>
      </form>
      {message ? (
        <p role="alert" className="error">
          {message}
        </p>
      ) : null}
      <p className="note">
        This example has no passwords: any email signs in, and a new one creates its user. It stands
        for the host's real sign-in (Sim's auth library), which sets the same kind of session
        cookie.
      </p>
    </section>
  );
}
