// Links in mails that stand for a person: a sign-in link (short-lived, used once) and a task link (opens one
// task, e.g. the employer's week, for its addressee; works until it expires, however often it is opened).
// A link carries its claims and an HMAC-SHA256 over them, so it needs no row until it is used; its text is
// never stored or logged (web/app.ts logs the path of /l/ and /inloggen/ links redacted).
import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

export type LinkPurpose = 'sign-in' | 'task';

export interface LinkClaims {
  purpose: LinkPurpose;
  /** The contact (person) the link is for. */
  contactId: string;
  /** A task link's task (web/tasks.ts); none for a sign-in link. */
  task?: string;
  /** Seconds since the epoch after which the link no longer works. */
  expires: number;
}

/** Minutes a sign-in link works. */
export const SIGN_IN_MINUTES = 15;
/** Days a task link works unless configured otherwise (TASK_LINK_DAYS). */
export const TASK_LINK_DAYS = 14;

/**
 * The key that signs links: LINK_SIGNING_KEY, or else derived from BSN_HMAC_KEY with HKDF under its own label,
 * so the two secrets never sign each other's data while one secret is enough to run.
 */
export function linkKey(config: { LINK_SIGNING_KEY?: string; BSN_HMAC_KEY: string }): Buffer {
  if (config.LINK_SIGNING_KEY) return Buffer.from(config.LINK_SIGNING_KEY);
  return Buffer.from(hkdfSync('sha256', config.BSN_HMAC_KEY, 'toeleiding', 'web link signing', 32));
}

const mac = (key: Buffer, body: string) => createHmac('sha256', key).update(body).digest();

export function signLink(key: Buffer, claims: LinkClaims): string {
  // A nonce, so two links made in the same second for the same task differ (and a used sign-in link is not
  // mistaken for the next one).
  const body = Buffer.from(JSON.stringify({ ...claims, n: randomBytes(6).toString('base64url') })).toString(
    'base64url',
  );
  return `${body}.${mac(key, body).toString('base64url')}`;
}

/** The link's claims when it is genuine and not expired; undefined otherwise (whatever is wrong with it). */
export function verifyLink(key: Buffer, token: string, nowMs: number): LinkClaims | undefined {
  const [body, signature, rest] = token.split('.');
  if (!body || !signature || rest !== undefined || token.length > 2000) return undefined;
  const expected = mac(key, body);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const c = JSON.parse(Buffer.from(body, 'base64url').toString()) as Partial<LinkClaims>;
    if ((c.purpose !== 'sign-in' && c.purpose !== 'task') || typeof c.contactId !== 'string') return undefined;
    if (typeof c.expires !== 'number' || c.expires * 1000 <= nowMs) return undefined;
    if (c.purpose === 'task' && typeof c.task !== 'string') return undefined;
    return { purpose: c.purpose, contactId: c.contactId, task: c.task, expires: c.expires };
  } catch {
    return undefined;
  }
}

/** What is kept of a used sign-in link: its hash. */
export const linkHash = (token: string) => createHash('sha256').update(token).digest('hex');
