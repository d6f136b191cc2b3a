// What the recruitment funnel is computed from: the rounds within a filter, and every recorded event of their
// candidates, each in one query (domain/funnel.ts replays them). No names, references or identities leave here.
import type { Db } from './connection';
import type { Draaiboek } from '../domain/recruitment';
import type { FunnelEvent } from '../domain/funnel';

export interface RoundFilter {
  /** The office whose rounds count; undefined: every office's (a funder, the admin). */
  officeId?: string;
  programmeId?: string;
  region?: string;
  roundId?: string;
}

export interface FunnelRound {
  id: string;
  name: string;
  programmeId: string;
  region: string;
  draaiboek: Draaiboek;
}

export async function roundsWithin(db: Db, f: RoundFilter): Promise<FunnelRound[]> {
  let q = db.selectFrom('recruitment_round').select(['id', 'name', 'programme_id', 'region', 'draaiboek']);
  if (f.officeId !== undefined) q = q.where('office_id', '=', f.officeId);
  if (f.programmeId) q = q.where('programme_id', '=', f.programmeId);
  if (f.region) q = q.where('region', '=', f.region);
  if (f.roundId) q = q.where('id', '=', f.roundId);
  const rows = await q.orderBy('programme_id').orderBy('region').orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    programmeId: r.programme_id,
    region: r.region,
    draaiboek: r.draaiboek,
  }));
}

/** Per round, per candidate (in no particular order), the candidate's events in the order they happened. */
export async function funnelEvents(db: Db, roundIds: string[]): Promise<Map<string, FunnelEvent[][]>> {
  const out = new Map<string, FunnelEvent[][]>(roundIds.map((id) => [id, []]));
  if (roundIds.length === 0) return out;
  const rows = await db
    .selectFrom('candidate_event as e')
    .innerJoin('candidate as c', 'c.id', 'e.candidate_id')
    .select(['c.round_id', 'e.candidate_id', 'e.type', 'e.occurred_on', 'e.data'])
    .where('c.round_id', 'in', roundIds)
    .orderBy('e.candidate_id')
    .orderBy('e.seq')
    .execute();
  let last: string | undefined;
  for (const r of rows) {
    const round = out.get(r.round_id)!;
    if (r.candidate_id !== last) round.push([]);
    last = r.candidate_id;
    round.at(-1)!.push({ type: r.type, on: r.occurred_on, data: r.data });
  }
  return out;
}
