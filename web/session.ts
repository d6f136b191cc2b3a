// Who is looking at a page: the person behind the session cookie, as the same Principal the API knows (so the
// one policy hook, api/access.ts, decides for pages exactly as for API calls), and the audit log names the
// person. Sessions are HttpOnly, SameSite=Lax cookies (Secure behind TLS) holding a random secret of which only
// a hash is stored; they end after IDLE_MINUTES without a request, and at the latest after MAX_HOURS (a day): fixed
// values, not settings (the README states them).
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/connection';
import type { ContactRole } from '../db/schema';
import { findContact } from '../db/covenants';
import { createSession, findLiveSession, touchSession } from '../db/web-sessions';
import type { KeyRole } from '../domain/roles';
import type { Principal } from '../api/auth';

export const SESSION_COOKIE = 'toeleiding_sessie';
/** Minutes without a request after which a session ends. */
export const IDLE_MINUTES = 30;
/** Hours after which a session ends whatever happens. */
const MAX_HOURS = 24;

/**
 * The role a contact acts in: a workplace trainer for its employer, an ROC coordinator for its ROC, a funder's analyst
 * for its gemeente or UWV (the outcome figures, as a funder key reads them).
 */
export const ROLE_OF: Record<ContactRole, KeyRole> = {
  workplace_trainer: 'employer',
  roc_coordinator: 'school',
  jobcoach: 'jobcoach',
  coordinator: 'coordinator',
  funder_analyst: 'funder',
};

export interface Person {
  sessionId: string;
  contactId: string;
  name: string;
  email: string;
  organisationId: string;
  organisationName: string;
  organisationKind: string;
  /** A session opened by a task link reaches that task only. */
  task: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    person: Person | null;
  }
}

const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

/**
 * The person's principal: the actor the audit log names is the contact, not a key. Its office is the one that made the
 * contact, as a key's is the office whose coordinator made it (a coordinator's: its own organisation); so a funder's
 * analyst sees what a funder key of that office sees (api/access.ts outcomeFilter), and one the admin made on a
 * shared gemeente or UWV what an admin-made funder key sees.
 */
export function principalOfPerson(p: {
  contact_id: string;
  contact_role: ContactRole;
  organisation_id: string;
  office_id: string | null;
}): Principal {
  const role = ROLE_OF[p.contact_role];
  return {
    actor: `contact:${p.contact_id}`,
    role,
    organisationId: p.organisation_id,
    contactId: p.contact_id,
    officeId: role === 'coordinator' ? p.organisation_id : p.office_id,
  };
}

/** Sets request.person and request.principal from the cookie, or leaves them empty. */
export async function identifyPerson(db: Db, request: FastifyRequest): Promise<void> {
  request.person = null;
  const secret = request.cookies[SESSION_COOKIE];
  if (!secret || secret.length > 200) return;
  const s = await findLiveSession(db, hashOf(secret), IDLE_MINUTES);
  if (!s) return;
  await touchSession(db, s.id);
  request.person = {
    sessionId: s.id,
    contactId: s.contact_id,
    name: s.name,
    email: s.email,
    organisationId: s.organisation_id,
    organisationName: s.organisation_name,
    organisationKind: s.organisation_kind,
    task: s.task,
  };
  request.principal = principalOfPerson(s);
}

/** Starts a session for a contact (all it may do, or one task) and sets its cookie on the reply. */
export async function startSession(
  db: Db,
  reply: FastifyReply,
  o: { contactId: string; task: string | null; secure: boolean },
): Promise<void> {
  const secret = randomBytes(32).toString('base64url');
  await createSession(db, {
    id: hashOf(secret),
    contactId: o.contactId,
    task: o.task,
    expiresAt: new Date(Date.now() + MAX_HOURS * 3_600_000),
  });
  void reply.setCookie(SESSION_COOKIE, secret, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: o.secure,
    maxAge: MAX_HOURS * 3600,
  });
}

export const sessionCookieHash = hashOf;

// The sign-in's own storage, for web/app.ts: the one web module that reaches db/ (eslint.config.js), because a
// person's session is the pages' own concern, not a use case of the API.
export { endSession, invitedContactsByEmail, useLink } from '../db/web-sessions';
/** The contact a sign-in link or session is for (undefined once removed). */
export const contactOfSession = (db: Db, contactId: string) => findContact(db, contactId);
