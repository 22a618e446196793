import { headers } from 'next/headers';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { currentUser } from '../../lib/auth';
import { workspacesOf } from '../../lib/workspaces';

/** The signed-in user's workspaces: those the user holds a permission on. */
export default async function WorkspacesPage() {
  const signedIn = await currentUser({ headers: await headers() });
  if (!signedIn) redirect('/sign-in');
  const workspaces = await workspacesOf(signedIn.id);
  return (
    <>
      <h1>Your workspaces</h1>
      {workspaces.length === 0 ? (
        <p className="card">You have no workspace yet.</p>
      ) : (
        <ul aria-label="Workspaces">
          {workspaces.map(({ workspace, permission }) => (
            <li key={workspace.id} className="card">
              <Link href={`/workspace/${workspace.id}`}>{workspace.name}</Link>{' '}
              <span className="note">({permission})</span>
              {' · '}
              <Link href={`/site/${workspace.id}`}>public site</Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
