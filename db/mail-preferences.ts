// A person's account as "Mijn account" shows it (name, organisation, role, address) and their mail preferences:
// the informational reminder kinds they switched off (null: none).
import type { Db } from './connection';
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
