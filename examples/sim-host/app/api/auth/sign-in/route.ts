import { NextResponse } from 'next/server';
import { z } from 'zod';
import {
  createSession,
  findOrCreateUser,
  isSameOrigin,
  sessionCookieName,
} from '../../../../lib/auth';

const signInForm = z.object({ email: z.email() });

/** A redirect to a path of this site, relative so that it holds behind any proxy. */
const seeOther = (location: string) =>
  new NextResponse(null, { status: 303, headers: { location } });

/** The sign-in form's target: finds or makes the user, opens a session, sets its cookie. */
export async function POST(request: Request) {
  if (!isSameOrigin(request)) return seeOther('/sign-in?error=other-origin');
  const form = signInForm.safeParse(Object.fromEntries(await request.formData()));
  if (!form.success) return seeOther('/sign-in?error=invalid-email');

  const signedIn = await findOrCreateUser(form.data.email);
  const { token, expiresAt } = await createSession(signedIn.id);
  const response = seeOther('/workspace');
  const protocol = request.headers.get('x-forwarded-proto') ?? new URL(request.url).protocol;
  response.cookies.set(sessionCookieName, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: protocol.startsWith('https'),
    path: '/',
    expires: expiresAt,
  });
  return response;
}
