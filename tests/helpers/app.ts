// The API under test: buildApp on the shared test database and a Temporal client, and a `call` helper
// that sends JSON with a bearer token (the admin's unless another is given) and a fresh Idempotency-Key.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { buildApp, type App } from '../../api/app';
import type { AppDeps } from '../../api/deps';
import type { Db } from '../../db/connection';
import { TASK_QUEUE } from '../../workflows/ids';
import type { Call } from './partners';
import { createMailer } from '../../infra/mail';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const BSN_HMAC_KEY = 'test-bsn-hmac-key-0123456789abcdef-0123';
export const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
export const withKey = (token = ADMIN_TOKEN) => ({ authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() });

export function testDeps(db: Db, temporal: Client, over: Partial<AppDeps> = {}): AppDeps {
  // A generous Temporal deadline: on a loaded machine a first query can take longer than production's 5 s, and
  // tests never fail on timing (tests/temporal-faults.test.ts sets its own short one).
  return {
    config: {
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      LOG_LEVEL: 'silent',
      ADMIN_TOKEN,
      BSN_HMAC_KEY,
      TEMPORAL_CALL_TIMEOUT_MS: 60_000,
    },
    db,
    temporal,
    mailer: createMailer({ MAIL_FROM: 'Toeleiding <noreply@toeleiding.local>' }, db),
    ...over,
  };
}

export function injectCall(app: App): Call {
  return async (method, url, body, token = ADMIN_TOKEN) => {
    const res = await app.inject({
      method: method as 'GET',
      url,
      headers: method === 'GET' || method === 'DELETE' ? { authorization: `Bearer ${token}` } : withKey(token),
      payload: body as object,
    });
    return { status: res.statusCode, json: res.body ? res.json() : undefined };
  };
}

export { buildApp };
