// A round's matched candidates launched into a cohort (issue 20): each becomes a participant without anything typed
// again. Their reference (K-…) becomes the participant reference, their name, e-mail and BSN hash (never a BSN in
// clear: the candidate has only the hash, which the trajectory takes as it is) go along, the employer is the one
// they were matched with, the ROC, jobcoach and benefit payer come from the covenant. The launch itself is the API's
// (launchCohort); before it, the candidates are claimed for the cohort in one statement, so two launches can never
// both take one; a refused launch gives them back.
import type { Db } from '../../db/connection';
import { candidatesLaunchedInto, findRound } from '../../db/recruitment';
import type { Candidate } from '../../db/schema';
import type { Principal } from '../auth';
import type { AppDeps } from '../deps';
import { conflict, DomainError, notFound, says, unprocessable, type FieldProblem } from '../errors';
import type { CandidateLaunch, CandidatesLaunched } from '../schemas/candidate-launch';
import { covenantChoice, defaultPlacementDays } from './cohort-sheet';
import { launchCohort, type LaunchBody } from './cohorts';
import { programmeForOffice } from './programmes';

const who = (c: Candidate) => `${c.reference} (${c.first_name} ${c.last_name})`;

/** The round's candidates a launch may take: matched, with their data, and not launched before. */
export function launchableCandidates(db: Db, roundId: string): Promise<Candidate[]> {
  return db
    .selectFrom('candidate')
    .selectAll()
    .where('round_id', '=', roundId)
    .where('status', '=', 'matched')
    .where('launch_cohort_id', 'is', null)
    .where('anonymised_at', 'is', null)
    .orderBy('last_name')
    .orderBy('first_name')
    .execute();
}

/** Who a launch started as cohort `cohortId`: shown once it is done. */
export const launchedCandidates = (deps: Pick<AppDeps, 'db'>, roundId: string, cohortId: string) =>
  candidatesLaunchedInto(deps.db, roundId, cohortId);

/** Why a chosen candidate cannot be launched, in both languages; undefined when it can. */
function notLaunchable(c: Candidate): { message: string; nl: string } | undefined {
  if (c.anonymised_at)
    return { message: `${c.reference}'s data was erased`, nl: `de gegevens van ${c.reference} zijn gewist` };
  if (c.launch_cohort_id)
    return {
      message: `${who(c)} was launched into a cohort before`,
      nl: `${who(c)} is al eerder in een cohort gestart`,
    };
  if (c.status !== 'matched') {
    const left = c.status === 'left';
    return {
      message: `${who(c)} is not matched with a placement (${left ? 'left the round' : `at step ${c.step}`})`,
      nl: `${who(c)} is niet gematcht met een werkplek (${left ? 'doet niet meer mee' : `bij de stap ${c.step}`})`,
    };
  }
  if (!c.email)
    return {
      message: `${who(c)} has no e-mail address; a participant needs one`,
      nl: `${who(c)} heeft geen e-mailadres; een deelnemer heeft er een nodig`,
    };
  return undefined;
}

/**
 * Launches the chosen (or all waiting) matched candidates of `roundId` as cohort `cohortId`. A repeat with the same
 * cohort id (the same Idempotency-Key) completes an interrupted launch and takes nobody else.
 */
export async function launchCandidates(
  deps: AppDeps,
  principal: Principal,
  roundId: string,
  cohortId: string,
  body: CandidateLaunch,
): Promise<CandidatesLaunched> {
  const { db } = deps;
  const round = await findRound(db, roundId);
  if (!round) throw notFound(says(`Recruitment round ${roundId}`, `Wervingsronde ${roundId}`));
  const problems: FieldProblem[] = [];
  // A repeat finds the candidates its first attempt claimed; a first attempt chooses them.
  let chosen = await db.selectFrom('candidate').selectAll().where('launch_cohort_id', '=', cohortId).execute();
  const repeat = chosen.length > 0;
  if (!repeat) {
    if (body.candidateIds) {
      const rows = new Map(
        (
          await db
            .selectFrom('candidate')
            .selectAll()
            .where('round_id', '=', roundId)
            .where('id', 'in', body.candidateIds)
            .execute()
        ).map((c) => [c.id, c]),
      );
      body.candidateIds.forEach((id, i) => {
        const c = rows.get(id);
        // Another round's (or office's) candidate is named exactly as an unknown one.
        const why = c
          ? notLaunchable(c)
          : { message: `no candidate ${id} in this round`, nl: `geen kandidaat ${id} in deze ronde` };
        if (why) problems.push({ field: `candidateIds[${i}]`, ...why });
      });
      // Only those that can go are checked further, so each candidate gets one message.
      chosen = body.candidateIds.flatMap((id) => rows.get(id) ?? []).filter((c) => !notLaunchable(c));
    } else {
      chosen = (await launchableCandidates(db, roundId)).filter((c) => !notLaunchable(c));
      if (chosen.length === 0)
        problems.push({
          field: 'candidateIds',
          message: 'no matched candidate of this round is waiting to be launched',
          nl: 'geen gematchte kandidaat van deze ronde wacht op de start',
        });
    }
  }

  const covenant = await covenantChoice(db, round.office_id, body.covenantId);
  const programme = await programmeForOffice(deps, round.office_id, round.programme_id, body.programmeVersion);
  if (!covenant)
    problems.push({
      field: 'covenantId',
      message: `no covenant ${body.covenantId} that your programme office coordinates`,
      nl: `geen convenant ${body.covenantId} dat uw programmabureau coördineert`,
    });
  if (!programme)
    problems.push({
      field: 'programmeVersion',
      message: `no version ${body.programmeVersion} of programme ${round.programme_id}`,
      nl: `geen versie ${body.programmeVersion} van programma ${round.programme_id}`,
    });
  /** The one the body names, or the covenant's only one; else a problem on `field`. */
  const onlyOr = (field: string, given: string | undefined, list: { id: string }[], en: string, nl: string) => {
    if (given !== undefined) return given;
    if (list.length === 1) return list[0]!.id;
    problems.push({
      field,
      message: `choose the ${en}: the covenant has ${list.length}`,
      nl: `kies ${nl}: het convenant heeft er ${list.length}`,
    });
    return '';
  };
  const schoolId = covenant ? onlyOr('schoolId', body.schoolId, covenant.schools, 'ROC', 'het ROC') : '';
  const jobcoachId = covenant
    ? onlyOr('jobcoachId', body.jobcoachId, covenant.jobcoaches, 'jobcoach', 'de jobcoach')
    : '';
  const participants: LaunchBody['participants'] = [];
  if (covenant && programme)
    for (const [i, c] of chosen.entries()) {
      const at = body.candidateIds ? `candidateIds[${body.candidateIds.indexOf(c.id)}]` : `candidates[${i}]`;
      if (!covenant.employers.some((e) => e.id === c.employer_id))
        problems.push({
          field: at,
          message: `${who(c)} was matched with ${c.employer_id}, which is no employer in covenant ${covenant.id}`,
          nl: `${who(c)} is gematcht met ${c.employer_id}, geen werkgever in convenant ${covenant.id}`,
        });
      // The gemeente or UWV that handed the candidate over pays the benefit, when it funds this covenant.
      const payer = covenant.payers.some((p) => p.id === c.source_id) ? c.source_id! : body.benefitPayerId;
      if (payer === undefined && covenant.payers.length !== 1)
        problems.push({
          field: at,
          message: `${who(c)} came from no funder of the covenant: give benefitPayerId`,
          nl: `${who(c)} kwam niet van een financier in het convenant: geef benefitPayerId op`,
        });
      participants.push({
        reference: c.reference,
        name: `${c.first_name} ${c.last_name}`,
        email: c.email ?? '',
        employerId: c.employer_id ?? '',
        placementWeekdays: defaultPlacementDays(body.schoolWeekday, programme.template.placementDaysPerWeek),
        jobcoachId,
        benefitPayerId: payer ?? covenant.payers[0]?.id ?? '',
        ...(c.bsn_hash ? { bsnHash: c.bsn_hash } : {}),
      });
    }
  if (problems.length > 0) throw unprocessable(problems);

  if (!repeat) {
    const ids = chosen.map((c) => c.id);
    await db.transaction().execute(async (trx) => {
      const taken = await trx
        .updateTable('candidate')
        .set({ launch_cohort_id: cohortId })
        .where('id', 'in', ids)
        .where('status', '=', 'matched')
        .where('launch_cohort_id', 'is', null)
        .returning('id')
        .execute();
      // Another launch took some of them meanwhile: this one takes nobody (the transaction rolls back).
      if (taken.length !== ids.length)
        throw conflict(
          says(
            'Another launch took some of these candidates meanwhile; look at the round again',
            'Een andere start nam intussen een deel van deze kandidaten; bekijk de ronde opnieuw',
          ),
        );
    });
  }
  let cohort;
  try {
    cohort = await launchCohort(deps, principal, cohortId, {
      programmeId: round.programme_id,
      programmeVersion: programme!.version,
      covenantId: body.covenantId,
      startDate: body.startDate,
      schoolId,
      schoolWeekday: body.schoolWeekday,
      participants,
    });
  } catch (e) {
    // Refused (a Sunday as start date, a jobcoach not of the covenant): nobody started, the candidates wait again.
    // Anything else may have started some: they stay claimed, and the repeat completes the launch.
    if (e instanceof DomainError && e.status < 500)
      await db
        .updateTable('candidate')
        .set({ launch_cohort_id: null })
        .where('launch_cohort_id', '=', cohortId)
        .where('trajectory_id', 'is', null)
        .execute();
    throw e;
  }
  const byReference = new Map(cohort.trajectories.map((t) => [t.reference, t.id]));
  for (const c of chosen)
    await db
      .updateTable('candidate')
      .set({ trajectory_id: byReference.get(c.reference)! })
      .where('id', '=', c.id)
      .where('launch_cohort_id', '=', cohortId)
      .execute();
  return {
    cohort,
    candidates: chosen.map((c) => ({
      candidateId: c.id,
      reference: c.reference,
      trajectoryId: byReference.get(c.reference)!,
    })),
  };
}
