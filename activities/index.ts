// Activities are factories over injected dependencies; workflows import only the type.
import type { Client } from '@temporalio/client';
import type { Db } from '../db/connection';
import type { Mailer } from '../infra/mail';
import { createDeadlineActivities } from './deadlines';
import { createRecruitmentActivities } from './recruitment';
import { createReminderActivities } from './reminders';
import { createRetentionActivities } from './retention';
import { createTrajectoryActivities } from './trajectory';

/**
 * `mailer` is what reminders (and the simulator's mail capture) send through; `temporal` lets the reminder
 * activities read each trajectory's open items; `publicUrl` makes the links in mails; `now` is the clock.
 */
export interface ActivityDeps {
  db: Db;
  mailer?: Mailer;
  temporal?: Client;
  publicUrl?: string;
  now?: () => number;
  /** Signs the personal task links in the digest (web/links.ts), and how many days they work. */
  links?: { key: Buffer; days: number };
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createTrajectoryActivities(deps),
    ...createRetentionActivities(deps),
    ...createReminderActivities(deps),
    ...createRecruitmentActivities(deps),
    ...createDeadlineActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
