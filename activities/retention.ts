// Retention: personal data of trajectories that ended long enough ago is anonymised, one trajectory per
// transaction, each recorded in the audit log. Repeating a run is harmless: anonymised rows are skipped.
import { anonymiseTrajectory, forgetIdempotencyKeys, forgetMailBodies, trajectoriesPastRetention } from '../db/privacy';
import type { ActivityDeps } from './index';

/** Stored responses to repeated requests, and the bodies of mails sent, are kept this long (they may name participants). */
const IDEMPOTENCY_DAYS = 30;

export function createRetentionActivities({ db }: ActivityDeps) {
  return {
    /** Anonymises up to `batch` trajectories that ended more than `months` before `today`; returns how many. */
    async anonymiseExpired(input: { today: string; months: number; batch: number }): Promise<{ anonymised: number; forgottenKeys: number }> {
      let anonymised = 0;
      for (const id of await trajectoriesPastRetention(db, input.today, input.months, input.batch)) {
        if (await anonymiseTrajectory(db, id, { actor: 'retention', organisation_id: null, role: 'system', action: 'anonymise', route: 'schedule retention', request_id: null })) anonymised++;
      }
      const forgottenKeys = await forgetIdempotencyKeys(db, IDEMPOTENCY_DAYS);
      await forgetMailBodies(db, IDEMPOTENCY_DAYS);
      return { anonymised, forgottenKeys };
    },
  };
}
