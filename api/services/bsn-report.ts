// The BSN report (ESF+, yearly by 31 December), made without any BSN kept in clear: the gemeente sends its own
// list at the moment of export, each BSN is hashed with the key the participants' BSNs were hashed with at launch
// (api/bsn.ts), and only the matches among its own participants come back, with the BSN as it was sent. The list
// is held in memory for the request only: never written to the database, the idempotency store or a log line.
import { trajectoriesByBsnHash } from '../../db/evidence';
import { findOrganisation } from '../../db/organisations';
import { participationOf } from '../../domain/participation';
import { resourceLevel } from '../access';
import type { Principal } from '../auth';
import { BSN_FAILS_ELFPROEF, bsnHash, isBsn } from '../bsn';
import { notFound, says, unprocessable } from '../errors';
import { actingOffice } from '../ownership';
import type { BsnReport } from '../schemas/evidence';
import type { AppDeps } from '../deps';
import { today } from './trajectories';

type Deps = Pick<AppDeps, 'db' | 'config' | 'now'>;

/**
 * Whose participants the caller's list is matched against: a payer's key its own (naming another payer is answered
 * as an unknown one), a coordinator the payer it names, within its office; a payer the caller may not see is 404.
 */
async function scopeOf(deps: Deps, p: Principal, payerId: string | undefined) {
  const office = actingOffice(p) ?? undefined;
  const unknown = (id: string) => notFound(says(`Benefit payer ${id}`, `Uitkeringsverstrekker ${id}`));
  if (p.role === 'funder') {
    if (payerId !== undefined && payerId !== p.organisationId) throw unknown(payerId);
    return { payerId: p.organisationId!, officeId: office };
  }
  if (payerId === undefined)
    throw unprocessable([
      {
        field: 'payerId',
        message: 'name the gemeente (or UWV) whose participants the list is matched against',
        nl: 'noem de gemeente (of het UWV) met wier deelnemers de lijst wordt vergeleken',
      },
    ]);
  const payer = await findOrganisation(deps.db, payerId);
  const visible = payer && (await resourceLevel(deps.db, p, 'organisation', payerId, today(deps)));
  if (!payer || !visible || (payer.kind !== 'gemeente' && payer.kind !== 'uwv')) throw unknown(payerId);
  return { payerId, officeId: office };
}

/** A first line without a digit is a CSV's header ("bsn"): skipped, so the rows keep their line numbers. */
const isHeader = (s: string, i: number) => i === 0 && !/[0-9]/.test(s);

export async function bsnReport(
  deps: Deps,
  principal: Principal,
  list: string[],
  payerId: string | undefined,
): Promise<BsnReport & { trajectoryIds: string[] }> {
  const scope = await scopeOf(deps, principal, payerId);
  const invalid: BsnReport['invalid'] = [];
  const byHash = new Map<string, string>();
  let received = 0;
  list.forEach((raw, i) => {
    const bsn = raw.trim();
    if (isHeader(bsn, i) || bsn === '') return;
    received++;
    // Nine digits with the elfproef; a leading zero lost in a spreadsheet is given back (an 8-digit BSN is written so).
    const nine = /^[0-9]{8}$/.test(bsn) ? `0${bsn}` : bsn;
    if (!isBsn(nine)) invalid.push({ row: i + 1, field: `bsn[${i}]`, ...BSN_FAILS_ELFPROEF });
    else byHash.set(bsnHash(deps.config.BSN_HMAC_KEY, nine), bsn);
  });
  const rows = await trajectoriesByBsnHash(deps.db, [...byHash.keys()], scope);
  const matched = rows
    .map((r) => ({
      trajectoryId: r.id,
      bsn: byHash.get(r.bsn_hash!)!,
      reference: r.reference,
      ...participationOf({
        startDate: r.start_date,
        endDate: r.end_date,
        status: r.status,
        outcome: r.outcome,
        praktijkverklaring: r.verklaring,
      }),
    }))
    .sort((a, b) => (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0));
  const found = new Set(rows.map((r) => r.bsn_hash));
  return {
    received,
    matched: matched.map(({ trajectoryId: _, ...m }) => m),
    unmatched: [...byHash.keys()].filter((h) => !found.has(h)).length,
    invalid,
    trajectoryIds: matched.map((m) => m.trajectoryId),
  };
}

/** A CSV body as the list: one BSN a line, the first cell of each (semicolons or commas), a byte-order mark dropped. */
export const bsnListOfCsv = (text: string): string[] =>
  text
    .replace(/^\ufeff/, '')
    .split(/\r?\n/)
    .map((line) => line.split(/[;,]/, 1)[0]!.replace(/^"|"$/g, ''))
    .filter((cell, i, all) => i < all.length - 1 || cell.trim() !== '');
