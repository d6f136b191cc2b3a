// "Mijn account" (issue 17): who the signed-in person is, and which reminders they get. Within the programme's
// rules a person may switch off only the informational reminders of their role: a workplace trainer Monday's
// week overview, a coordinator the risk signals. Tasks (attendance, checkpoints, the BBL decision, follow-up,
// escalations) always come; a kind no programme of the person's office sends is not offered. The digest
// (activities/reminders.ts) leaves out what a person switched off. Anyone may also choose each item of the
// morning in a mail of its own instead of the one digest.
import { DEFAULT_REMINDERS } from '../../activities/reminders';
import { findAccount, saveMailPreferences, templatesInUse } from '../../db/mail-preferences';
import { listProgrammes } from '../../db/programmes';
import type { ContactRole, MailPreferences } from '../../db/schema';
import type { ReminderRules } from '../../domain/programme';
import type { Principal } from '../auth';
import type { AppDeps } from '../deps';
import { notFound, unprocessable, says } from '../errors';

export type OptionalKind = MailPreferences['off'][number];

/** The reminder kinds a person may switch off: whose they are, and the programme rule that sends them at all. */
export const OPTIONAL_KINDS: Record<OptionalKind, { role: ContactRole; rule: keyof ReminderRules }> = {
  week_overview: { role: 'workplace_trainer', rule: 'weekOverview' },
  risk_raised: { role: 'coordinator', rule: 'riskSignals' },
};

export interface Account {
  name: string;
  email: string;
  role: ContactRole;
  organisation: string;
  /** What the person may switch off, in a fixed order. */
  offered: OptionalKind[];
  /** What the person switched off (only kinds still offered). */
  off: OptionalKind[];
  /** Each item in a mail of its own instead of the digest. */
  perItem: boolean;
}

type Deps = Pick<AppDeps, 'db'>;

async function load(deps: Deps, principal: Principal) {
  const row = principal.contactId ? await findAccount(deps.db, principal.contactId) : undefined;
  if (!row) throw notFound(says('account', 'account'));
  // The programmes the person's mail comes from: those the office's cohorts run on; before its first cohort (and
  // for the admin's contacts, mailed about every office's participants) those it may launch with.
  const inUse = row.office_id === null ? [] : await templatesInUse(deps.db, row.office_id);
  const templates = inUse.length
    ? inUse
    : (await listProgrammes(deps.db, row.office_id ?? undefined)).map((p) => p.template);
  const offered = (Object.keys(OPTIONAL_KINDS) as OptionalKind[]).filter((kind) => {
    const { role, rule } = OPTIONAL_KINDS[kind];
    return role === row.role && templates.some((t) => ({ ...DEFAULT_REMINDERS, ...t.reminders })[rule]);
  });
  return { row, offered };
}

export async function account(deps: Deps, principal: Principal): Promise<Account> {
  const { row, offered } = await load(deps, principal);
  return {
    name: row.name,
    email: row.email,
    role: row.role,
    organisation: row.organisation,
    offered,
    off: (row.mail_preferences?.off ?? []).filter((k) => offered.includes(k)),
    perItem: row.mail_preferences?.perItem === true,
  };
}

/**
 * Keeps `wanted` of the offered kinds and switches the rest off. A kind not offered is refused (422), nothing
 * saved. Setting the same choice twice changes nothing, so a repeated submission needs no idempotency key.
 */
export async function setMailPreferences(
  deps: Deps,
  principal: Principal,
  wanted: string[],
  perItem: boolean,
): Promise<Account> {
  const { row, offered } = await load(deps, principal);
  const unknown = wanted.filter((k) => !(offered as string[]).includes(k));
  if (unknown.length)
    throw unprocessable([
      {
        field: 'wanted',
        message: `not a reminder you can choose: ${unknown.join(', ')}`,
        nl: `geen herinnering die u kunt kiezen: ${unknown.join(', ')}`,
      },
    ]);
  // Kinds no longer offered keep their earlier choice, so they are as before should the programme send them again.
  const kept = (row.mail_preferences?.off ?? []).filter((k) => !offered.includes(k));
  const off = [...kept, ...offered.filter((k) => !wanted.includes(k))];
  await saveMailPreferences(deps.db, row.id, perItem ? { off, perItem } : { off });
  return account(deps, principal);
}
