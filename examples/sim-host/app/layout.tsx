import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { currentUser } from '../lib/auth';
import './globals.css';

export const metadata: Metadata = {
  title: 'Sim host (Parley example)',
  description: 'A Next.js host shaped like Sim, where Parley is mounted.',
};

/** Every page: the header (who is signed in, and the way out), then the page. */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const signedIn = await currentUser({ headers: await headers() });
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <Link href="/" className="brand">
            Sim host
          </Link>
          {signedIn ? (
            <form action="/api/auth/sign-out" method="post" className="account">
              <span>{signedIn.email}</span>
              <button type="submit">Sign out</button>
            </form>
          ) : (
            <Link href="/sign-in">Sign in</Link>
          )}
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
