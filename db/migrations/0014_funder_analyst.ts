// Frozen: a contact role for the funders' analysts (issue 18.4). A gemeente or UWV had only API keys; an analyst of
// theirs is now a person who is invited and signs in to read the outcome figures on /uitkomsten.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table contact drop constraint contact_role_check`.execute(db);
  await sql`alter table contact add constraint contact_role_check check (role in
    ('coordinator','jobcoach','workplace_trainer','roc_coordinator','funder_analyst'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table contact drop constraint contact_role_check`.execute(db);
  await sql`alter table contact add constraint contact_role_check check (role in
    ('coordinator','jobcoach','workplace_trainer','roc_coordinator'))`.execute(db);
}
