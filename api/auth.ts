// Who is calling: the admin token, or an organisation's API key (role, organisation, for a jobcoach the
// contact). Keys are shown once and stored only as a SHA-256 hash; revoked keys stop working at once.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { findLiveKey, touchApiKey } from '../db/api-keys';
import type { Db } from '../db/connection';
import type { ApiKey, KeyRole } from '../db/schema';
import { unauthorized } from './errors';

export type Role = 'admin' | KeyRole;

export interface Principal {
  /** 'admin', or the API key's id: what the audit log and rate limiter know the caller by. */
  actor: string;
  role: Role;
  organisationId: string | null;
  /** A jobcoach key's contact: the jobcoach sees the participants assigned to this contact. */
  contactId: string | null;
  /** The programme office whose coordinator made the key: it sees nothing of other offices. Null for admin-made keys. */
  officeId: string | null;
}

declare module 'fastify' {
  interface FastifyRequest { principal: Principal }
}

const digest = (s: string) => createHash('sha256').update(s).digest();
export const hashSecret = (secret: string) => digest(secret).toString('hex');

/** A new key's secret: a recognisable prefix and 32 random bytes. */
export const newSecret = () => `tlk_${randomBytes(32).toString('base64url')}`;

export const ADMIN: Principal = { actor: 'admin', role: 'admin', organisationId: null, contactId: null, officeId: null };

/** The caller a live key stands for. A coordinator's own key is bound to its office like the keys it makes. */
export const principalOf = (key: ApiKey): Principal => ({
  actor: key.id, role: key.role, organisationId: key.organisation_id, contactId: key.contact_id, officeId: key.role === 'coordinator' ? key.organisation_id : key.office_id,
});

/**
 * Identifies the caller on every request (onRequest). A request without a valid token is not refused here
 * but by `requireCaller`, after the rate limiter has counted it against the caller's address: guessing
 * keys costs the same budget as any other request.
 */
export function authenticate(app: FastifyInstance, db: Db, adminToken: string): void {
  const admin = digest(adminToken);
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (request) => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match) return;
    const token = match[1]!;
    // Compare digests, so the comparison takes the same time whatever the token's length.
    if (timingSafeEqual(digest(token), admin)) {
      request.principal = ADMIN;
      return;
    }
    const key = token.startsWith('tlk_') ? await findLiveKey(db, hashSecret(token)) : undefined;
    if (!key) return;
    request.principal = principalOf(key);
    await touchApiKey(db, key.id);
  });
}

/**
 * Refuses (401) a request `authenticate` could not identify. preParsing: after every onRequest hook,
 * including the rate limiter's (which it adds to each route), and before the body is read.
 */
export function requireCaller(app: FastifyInstance): void {
  app.addHook('preParsing', async (request) => {
    if (!request.principal) throw unauthorized();
  });
}
