import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { currentUser } from '../lib/auth';

/** The front door: your workspaces when signed in, the sign-in page otherwise. */
export default async function HomePage() {
  const signedIn = await currentUser({ headers: await headers() });
  redirect(signedIn ? '/workspace' : '/sign-in');
}
