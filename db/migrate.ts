// The one migration runner, shared by `npm start`, `npm run migrate` and the tests.
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import type { Kysely } from 'kysely';
import * as m0001 from './migrations/0001_initial';
import * as m0002 from './migrations/0002_welslagen_template';
import * as m0003 from './migrations/0003_trajectory_records';
import * as m0004 from './migrations/0004_partners_and_privacy';
import * as m0005 from './migrations/0005_key_office_scope';
import * as m0006 from './migrations/0006_outbox';
import * as m0007 from './migrations/0007_outbox_claims';
import * as m0008 from './migrations/0008_steering_and_follow_up';
import * as m0009 from './migrations/0009_office_ownership';
import * as m0010 from './migrations/0010_calendar_links';
import * as m0011 from './migrations/0011_outcome_cells';
import * as m0012 from './migrations/0012_web_sessions';
import * as m0013 from './migrations/0013_mail_preferences';
import * as m0014 from './migrations/0014_funder_analyst';
import * as m0017 from './migrations/0017_cohort_drafts';
import * as m0018 from './migrations/0018_recruitment';
import * as m0019 from './migrations/0019_candidate_uploads';
import * as m0020 from './migrations/0020_candidate_people';
import * as m0021 from './migrations/0021_employer_readiness';
import * as m0022 from './migrations/0022_candidate_launch';
import * as m0023 from './migrations/0023_benefit_instrument';
import * as m0024 from './migrations/0024_praktijkverklaring';
import * as m0025 from './migrations/0025_praktijkovereenkomst';
import * as m0026 from './migrations/0026_evidence_and_legal_hold';
import * as m0027 from './migrations/0027_deadline_reached';
import * as m0028 from './migrations/0028_deadline_recipients';
import * as m0029 from './migrations/0029_planned_day_off';

// Listed statically rather than read from the folder, so the runner works the same from tsx, a bundle
// or a container image.
export const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_welslagen_template': m0002,
  '0003_trajectory_records': m0003,
  '0004_partners_and_privacy': m0004,
  '0005_key_office_scope': m0005,
  '0006_outbox': m0006,
  '0007_outbox_claims': m0007,
  '0008_steering_and_follow_up': m0008,
  '0009_office_ownership': m0009,
  '0010_calendar_links': m0010,
  '0011_outcome_cells': m0011,
  '0012_web_sessions': m0012,
  '0013_mail_preferences': m0013,
  '0014_funder_analyst': m0014,
  '0017_cohort_drafts': m0017,
  '0018_recruitment': m0018,
  '0019_candidate_uploads': m0019,
  '0020_candidate_people': m0020,
  '0021_employer_readiness': m0021,
  '0022_candidate_launch': m0022,
  '0023_benefit_instrument': m0023,
  '0024_praktijkverklaring': m0024,
  '0025_praktijkovereenkomst': m0025,
  '0026_evidence_and_legal_hold': m0026,
  '0027_deadline_reached': m0027,
  '0028_deadline_recipients': m0028,
  '0029_planned_day_off': m0029,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<string[]> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
