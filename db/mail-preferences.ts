// A person's account as "Mijn account" shows it (name, organisation, role, address) and their mail preferences:
// the informational reminder kinds they switched off (null: none).
import type { Db } from './connection';
import type { ProgrammeTemplate } from '../domain/programme';
import type { MailPreferences } from './schema';

export function findAccount(db: Db, contactId: string) {
  return db
    .selectFrom('contact as k')
    .innerJoin('organisation as o', 'o.id', 'k.organisation_id')
    .select(['k.id', 'k.name', 'k.email', 'k.role', 'k.office_id', 'k.mail_preferences', 'o.name as organisation'])
    .where('k.id', '=', contactId)
    .executeTakeFirst();
}

export async function saveMailPreferences(db: Db, contactId: string, prefs: MailPreferences): Promise<void> {
  await db
    .updateTable('contact')
    .set({ mail_preferences: JSON.stringify(prefs) })
    .where('id', '=', contactId)
    .execute();
}

/** The templates of the programme versions the office's cohorts run on (none before its first cohort). */
export async function templatesInUse(db: Db, officeId: string): Promise<ProgrammeTemplate[]> {
  const rows = await db
    .selectFrom('cohort as c')
    .innerJoin('covenant as v', 'v.id', 'c.covenant_id')
    .innerJoin('programme as p', (j) =>
      j.onRef('p.id', '=', 'c.programme_id').onRef('p.version', '=', 'c.programme_version'),
    )
    .select(['p.id', 'p.version', 'p.template'])
    .distinct()
    .where('v.programme_office_id', '=', officeId)
    .execute();
  return rows.map((r) => r.template);
}
