// Who is calling: the admin token, or an organisation's API key (role, organisation, for a jobcoach the
// contact). Keys are shown once and stored only as a SHA-256 hash; revoked keys stop working at once.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { findLiveKey, touchApiKey } from '../db/api-keys';
import type { Db } from '../db/connection';
import type { ApiKey, KeyRole } from '../db/schema';
import { DomainError, says, unauthorized } from './errors';

export type Role = 'admin' | KeyRole;

export interface Principal {
  /** 'admin', or the API key's id: what the audit log and rate limiter know the caller by. */
  actor: string;
  role: Role;
  organisationId: string | null;
  /** A jobcoach key's contact: the jobcoach sees the participants assigned to this contact. */
  contactId: string | null;
  /**
   * The programme office whose coordinator made the key: it sees nothing of other offices. Null for admin-made keys.
   */
  officeId: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();
export const hashSecret = (secret: string) => digest(secret).toString('hex');

/** A new key's secret: a recognisable prefix and 32 random bytes. */
export const newSecret = () => `tlk_${randomBytes(32).toString('base64url')}`;

export const ADMIN: Principal = {
  actor: 'admin',
  role: 'admin',
  organisationId: null,
  contactId: null,
  officeId: null,
};

/** The caller a live key stands for. A coordinator's own key is bound to its office like the keys it makes. */
export const principalOf = (key: ApiKey): Principal => ({
  actor: key.id,
  role: key.role,
  organisationId: key.organisation_id,
  contactId: key.contact_id,
  officeId: key.role === 'coordinator' ? key.organisation_id : key.office_id,
});

/**
 * Failed authentications per address in a fixed one-minute window (per process, like the rate limiter's
 * store). An address over its budget is refused before its token is looked at, so a guesser learns nothing
 * from the answer and costs no database query.
 */
function failureBudget(perMinute: number, now: () => number = Date.now) {
  const windows = new Map<string, { failures: number; resetAt: number }>();
  return {
    /** Seconds until the address may try again, or 0 when it may now. */
    retryAfter(address: string): number {
      const w = windows.get(address);
      if (!w || w.resetAt <= now()) return 0;
      return w.failures >= perMinute ? Math.ceil((w.resetAt - now()) / 1000) : 0;
    },
    fail(address: string): void {
      const t = now();
      if (windows.size > 10_000) for (const [a, w] of windows) if (w.resetAt <= t) windows.delete(a);
      const w = windows.get(address);
      if (!w || w.resetAt <= t) windows.set(address, { failures: 1, resetAt: t + 60_000 });
      else w.failures++;
    },
  };
}

/**
 * Identifies the caller on every /v1 request, or refuses it (401). With `failuresPerMinute`, an address
 * with that many failed attempts in the last minute is refused (429) whatever token it sends.
 */
export function authenticate(app: FastifyInstance, db: Db, adminToken: string, failuresPerMinute?: number): void {
  const admin = digest(adminToken);
  const budget = failuresPerMinute ? failureBudget(failuresPerMinute) : undefined;
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (request, reply) => {
    const wait = budget?.retryAfter(request.ip) ?? 0;
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      throw new DomainError(
        429,
        'rate-limited',
        says('Too many requests', 'Te veel verzoeken'),
        says(
          `At most ${failuresPerMinute} failed authentications per minute per address; try again in ${wait} s`,
          `Hoogstens ${failuresPerMinute} mislukte aanmeldingen per minuut per adres; ` +
            `probeer het over ${wait} s opnieuw`,
        ),
      );
    }
    const principal = await identify(request.headers.authorization);
    if (!principal) {
      budget?.fail(request.ip);
      throw unauthorized();
    }
    request.principal = principal;
  });

  async function identify(authorization: string | undefined): Promise<Principal | undefined> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return undefined;
    const token = match[1]!;
    // Compare digests, so the comparison takes the same time whatever the token's length.
    if (timingSafeEqual(digest(token), admin)) return ADMIN;
    const key = token.startsWith('tlk_') ? await findLiveKey(db, hashSecret(token)) : undefined;
    if (!key) return undefined;
    await touchApiKey(db, key.id);
    return principalOf(key);
  }
}
