// Schedules as iCalendar feeds: a participant's placement days, school days and checkpoints, and an employer's
// or ROC's days of all its participants, to subscribe to in Outlook or Google Calendar.
//
// Calendar clients cannot send an Authorization header, so a subscription goes through a link: a record
// (calendar_link) of what it shows, which key made it and until when it works (CALENDAR_LINK_MONTHS), with a
// keyed hash of its secret (the URL is shown once, like an API key). Its maker lists and revokes it. Every
// fetch rebuilds that key's principal and asks access.ts again, so a revoked key, or a key that no longer may
// see the participant (an employer after an employer change), ends the feed at once.
import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import ical, { ICalEventTransparency } from 'ical-generator';
import { findApiKey, touchApiKey } from '../../db/api-keys';
import {
  findCalendarLink,
  insertCalendarLink,
  listCalendarLinks,
  revokeCalendarLink as revokeLinkRow,
} from '../../db/calendar-links';
import { insertAuditEvents } from '../../db/audit';
import { findCohort } from '../../db/cohorts';
import { findProgramme } from '../../db/programmes';
import { findTrajectory } from '../../db/trajectories';
import { addDays, type DayKind } from '../../domain/calendar';
import { scheduleQuery } from '../../workflows/trajectory';
import { allowed, refusing, type Access, type Scope } from '../access';
import { ADMIN, principalOf, type Principal } from '../auth';
import { actingOffice } from '../ownership';
import { DomainError, notFound, says } from '../errors';
import type { CalendarLink, CalendarLinkInfo, NewCalendarLink } from '../schemas/calendar';
import type { Page } from '../schemas/common';
import type { CalendarLink as CalendarLinkRow } from '../../db/schema';
import type { Schedule } from '../schemas/trajectory';
import type { AppDeps } from '../deps';
import { organisationParticipants, requireOrganisation } from './partner-recording';
import { getSchedule, today, type Viewer } from './trajectories';
import { mapLimit } from '../../infra/map-limit';
import { temporalCall } from '../temporal-calls';
import { EXPECTED_DAY_STATUSES } from '../../domain/statuses';

type Deps = Pick<AppDeps, 'db' | 'temporal' | 'now' | 'config'>;
export type FeedKind = 'trajectory' | 'organisation';

/** Who may read each feed: the routes declare these, and a link is checked against them when made and when fetched. */
export const FEED_ACCESS = {
  trajectory: {
    roles: ['admin', 'coordinator', 'employer', 'school', 'jobcoach'],
    resource: 'trajectory',
    audit: 'read',
  },
  organisation: { roles: ['admin', 'employer', 'school'], resource: 'organisation', manage: true, audit: 'read' },
} as const satisfies Record<FeedKind, Access>;

/**
 * The policy hook's rule (access.ts) for one feed, for requests that carry no bearer token: the scope, or undefined for
 * nothing.
 */
async function feedScope(deps: Deps, p: Principal, kind: FeedKind, id: string): Promise<Scope | undefined> {
  return (await allowed(deps.db, p, FEED_ACCESS[kind], id, today(deps)))?.scope;
}

// --- the calendar itself ---------------------------------------------------------------------------------

/** One all-day event from `from` to `to`, both inclusive. */
interface FeedEvent {
  uid: string;
  from: string;
  to: string;
  summary: string;
  description: string;
}

const EXPECTED = new Set<string>(EXPECTED_DAY_STATUSES);
const LABEL: Record<DayKind, string> = { placement: 'Werkplek', school: 'ROC-dag' };
/** How often a subscribed client should fetch the feed again (X-PUBLISHED-TTL / REFRESH-INTERVAL). */
const REFRESH_SECONDS = 4 * 3600;

/** First name and reference: enough to recognise a participant in a shared calendar, no more. */
const who = (t: { name: string; reference: string }) => `${t.name.trim().split(/\s+/)[0]} (${t.reference})`;

function dayEvents(
  t: { id: string; name: string; reference: string },
  days: Schedule['weeks'][number]['days'],
): FeedEvent[] {
  // The UID is the day's identity, so a client updates the event rather than adding a second one.
  return days
    .filter((d) => EXPECTED.has(d.status))
    .map((d) => ({
      uid: `${t.id}-${d.date}-${d.kind}@toeleiding`,
      from: d.date,
      to: d.date,
      summary: `${LABEL[d.kind]}: ${who(t)}`,
      description: `Week ${d.week}`,
    }));
}

function icsOf(name: string, events: FeedEvent[], now: number): string {
  const calendar = ical({
    name,
    prodId: { company: 'toeleiding', product: 'rooster', language: 'NL' },
    ttl: REFRESH_SECONDS,
  });
  const stamp = new Date(now);
  for (const e of [...events].sort((a, b) => a.from.localeCompare(b.from) || a.uid.localeCompare(b.uid))) {
    // All-day events end on the day after (DTEND is exclusive); transparent, so a subscribed work calendar
    // does not show every participant's day as busy.
    calendar.createEvent({
      id: e.uid,
      start: e.from,
      end: addDays(e.to, 1),
      allDay: true,
      summary: e.summary,
      description: e.description,
      stamp,
      transparency: ICalEventTransparency.TRANSPARENT,
    });
  }
  return calendar.toString();
}

const clock = (deps: Pick<AppDeps, 'now'>) => deps.now?.() ?? Date.now();

/** A participant's expected days and the checkpoints of its programme, as far as the viewer may see them. */
export async function trajectoryCalendar(deps: Deps, id: string, viewer: Viewer): Promise<string> {
  const t = await findTrajectory(deps.db, id);
  if (!t) throw notFound(says(`Trajectory ${id}`, `Traject ${id}`));
  const schedule = await getSchedule(deps, id, viewer);
  const cohort = await findCohort(deps.db, t.cohort_id);
  const programme = cohort && (await findProgramme(deps.db, cohort.programme_id, cohort.programme_version));
  const days = dayEvents(
    t,
    schedule.weeks.flatMap((w) => w.days),
  );
  // A checkpoint is due in its week of the trajectory (Monday to Friday), as the workflow plans it; none after
  // the (extended) end, none after a dropout, and for a later employer none before its placement.
  const lastDay =
    schedule.status === 'dropped_out'
      ? (days
          .map((d) => d.from)
          .sort()
          .at(-1) ?? '')
      : schedule.endDate;
  const from = viewer.scope.from;
  const checkpoints =
    cohort && programme
      ? programme.template.checkpoints.flatMap((c): FeedEvent[] => {
          const weekStart = addDays(cohort.start_date, (c.week - 1) * 7);
          const weekEnd = addDays(weekStart, 4);
          if (weekStart > lastDay || (from && weekEnd < from)) return [];
          return [
            {
              uid: `${t.id}-checkpoint-${c.key}@toeleiding`,
              from: weekStart,
              to: weekEnd,
              summary: `Checkpoint ${c.name}: ${who(t)}`,
              description: `Week ${c.week}: driegesprek met de jobcoach`,
            },
          ];
        })
      : [];
  return icsOf(`Rooster ${who(t)}`, [...days, ...checkpoints], clock(deps));
}

/** How far back an organisation's feed reaches: last week stays visible, older days are history. */
const LOOKBACK_DAYS = 7;

/**
 * An employer's placement days, or an ROC's school days, of all its current participants from a week ago on.
 * Answers the trajectories shown, for the audit log.
 */
export async function organisationCalendar(
  deps: Deps,
  p: Principal,
  orgId: string,
): Promise<{ ics: string; trajectoryIds: string[] }> {
  const org = await requireOrganisation(deps, orgId, ['employer', 'school']);
  const kind: DayKind = org.kind === 'school' ? 'school' : 'placement';
  const asOf = today(deps);
  const since = addDays(asOf, -LOOKBACK_DAYS);
  const participants = await organisationParticipants(
    deps,
    { id: org.id, kind: org.kind, officeId: actingOffice(p) },
    asOf,
  );
  const shown = await mapLimit(participants, 20, async (x) => {
    const [t, schedule] = await Promise.all([
      findTrajectory(deps.db, x.id),
      temporalCall(deps, (c) => c.workflow.getHandle(x.workflowId).query(scheduleQuery)).catch((e: unknown) => {
        if (e instanceof WorkflowNotFoundError) return undefined; // an interrupted launch: no days yet
        throw e;
      }),
    ]);
    if (!t || !schedule) return { id: x.id, events: [] };
    const days = schedule.weeks
      .flatMap((w) => w.days)
      .filter((d) => d.kind === kind && d.date >= since && x.owns(d.date));
    return { id: x.id, events: dayEvents(t, days) };
  });
  const withDays = shown.filter((s) => s.events.length > 0);
  return {
    ics: icsOf(
      `Rooster ${org.name}`,
      withDays.flatMap((s) => s.events),
      clock(deps),
    ),
    trajectoryIds: withDays.map((s) => s.id),
  };
}

// --- links -----------------------------------------------------------------------------------------------

/** How long a link works unless CALENDAR_LINK_MONTHS says otherwise. */
export const DEFAULT_LINK_MONTHS = 12;

/**
 * The key of the link's hash: derived from BSN_HMAC_KEY for this one purpose. An admin link is also bound to
 * the admin token (as salt), so rotating ADMIN_TOKEN ends the admin's links the way revoking ends a key's.
 */
function hashKey(config: Deps['config'], actor: string): Buffer {
  const salt = actor === 'admin' ? createHash('sha256').update(config.ADMIN_TOKEN).digest() : Buffer.alloc(0);
  return Buffer.from(hkdfSync('sha256', config.BSN_HMAC_KEY, salt, 'calendar-feed', 32));
}

/** What is stored of a link: a keyed hash, so neither a copy of the database nor its backups can serve a feed. */
const tokenHash = (config: Deps['config'], actor: string, token: string) =>
  createHmac('sha256', hashKey(config, actor)).update(token).digest('hex');

/** A link's token: its id (to find the row) and 32 random bytes, both URL-safe. */
const TOKEN = /^([A-Za-z0-9_-]{1,100})\.([A-Za-z0-9_-]{43})$/;

/** `months` calendar months after `at`, on the same day of the month or the month's last day. */
function monthsLater(at: number, months: number): Date {
  const d = new Date(at);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  d.setUTCDate(Math.min(day, new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate()));
  return d;
}

function linkView(row: CalendarLinkRow): CalendarLinkInfo {
  return {
    id: row.id,
    trajectoryId: row.feed === 'trajectory' ? row.feed_id : null,
    organisationId: row.feed === 'organisation' ? row.feed_id : null,
    createdBy: row.created_by,
    officeId: row.office_id,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

/**
 * A link to the feed of one trajectory or organisation, for a caller who may see it now. The URL is in this
 * answer only; the database keeps a keyed hash of it. `id` is the request's resource id (Idempotency-Key).
 */
export async function createCalendarLink(
  deps: Deps,
  p: Principal,
  body: NewCalendarLink,
  origin: string,
  id: string,
): Promise<CalendarLink> {
  const [kind, feedId]: [FeedKind, string] =
    'trajectoryId' in body ? ['trajectory', body.trajectoryId] : ['organisation', body.organisationId];
  // Refused ids are handed to the audit hook, which records the attempt only where an owning office exists.
  if (!(await feedScope(deps, p, kind, feedId)))
    throw refusing(
      notFound(says(`${kind} ${feedId}`, `${kind === 'trajectory' ? 'traject' : 'organisatie'} ${feedId}`)),
      [{ resource: kind, id: feedId }],
    );
  if (kind === 'organisation') await requireOrganisation(deps, feedId, ['employer', 'school']);
  const token = `${id}.${randomBytes(32).toString('base64url')}`;
  const now = clock(deps);
  const row = await insertCalendarLink(deps.db, {
    id,
    feed: kind,
    feed_id: feedId,
    created_by: p.actor,
    organisation_id: p.organisationId,
    office_id: actingOffice(p),
    token_hash: tokenHash(deps.config, p.actor, token),
    created_at: new Date(now),
    expires_at: monthsLater(now, deps.config.CALENDAR_LINK_MONTHS ?? DEFAULT_LINK_MONTHS),
  });
  const base = (deps.config.PUBLIC_URL ?? origin).replace(/\/+$/, '');
  return { ...linkView(row), url: `${base}/feeds/${token}.ics` };
}

/** The caller's own links (the admin: every link), newest first, without their URLs. */
export async function pageCalendarLinks(deps: Deps, p: Principal, page: Page) {
  const { items, total } = await listCalendarLinks(deps.db, {
    createdBy: p.role === 'admin' ? undefined : p.actor,
    ...page,
  });
  return { items: items.map(linkView), total, ...page };
}

/** Ends a link at once. Only its maker (or the admin) may; anyone else's link answers exactly like an unknown one. */
export async function revokeCalendarLink(deps: Deps, p: Principal, id: string): Promise<CalendarLinkInfo> {
  const row = await findCalendarLink(deps.db, id);
  if (!row || (p.role !== 'admin' && row.created_by !== p.actor))
    throw refusing(
      notFound(says(`Calendar link ${id}`, `Agendalink ${id}`)),
      row ? [{ resource: 'calendar-link', id }] : [],
    );
  return linkView((await revokeLinkRow(deps.db, id, new Date(clock(deps))))!);
}

/**
 * The one answer to a link that does not work, whatever the reason (unknown, forged, expired, revoked, its
 * key revoked, the participant no longer visible to that key): nothing tells one reason from another.
 */
// Written in Dutch for the participant's calendar app, whatever language it asks for.
export const linkGone = () =>
  new DomainError(
    404,
    'not-found',
    says('Agendalink werkt niet', 'Agendalink werkt niet'),
    says(
      'Deze agendalink werkt niet (meer): hij is verlopen, ingetrokken of onjuist. Vraag een nieuwe agendalink aan.',
      'Deze agendalink werkt niet (meer): hij is verlopen, ingetrokken of onjuist. Vraag een nieuwe agendalink aan.',
    ),
  );

/** The live link a token stands for, or undefined. */
async function liveLink(deps: Deps, token: string): Promise<CalendarLinkRow | undefined> {
  const match = TOKEN.exec(token);
  if (!match) return undefined;
  const row = await findCalendarLink(deps.db, match[1]!);
  if (!row) return undefined;
  const expected = Buffer.from(row.token_hash, 'hex');
  const offered = Buffer.from(tokenHash(deps.config, row.created_by, token), 'hex');
  if (offered.length !== expected.length || !timingSafeEqual(offered, expected)) return undefined;
  if (row.revoked_at !== null || row.expires_at.getTime() <= clock(deps)) return undefined;
  return row;
}

/**
 * The feed behind a link, checked as if its key asked now. Every refusal (a bad or forged token, an expired or
 * revoked link, a revoked key, a participant the key no longer sees) is the same 404. Each fetch is audited
 * like a read.
 */
export async function calendarFeed(deps: Deps, token: string, requestId: string): Promise<string> {
  const link = await liveLink(deps, token);
  if (!link) throw linkGone();
  let principal = ADMIN;
  if (link.created_by !== 'admin') {
    const key = await findApiKey(deps.db, link.created_by);
    if (!key || key.revoked_at !== null) throw linkGone();
    principal = principalOf(key);
    await touchApiKey(deps.db, key.id);
  }
  const kind = link.feed;
  try {
    const scope = await feedScope(deps, principal, kind, link.feed_id);
    if (!scope) throw linkGone();
    const feed =
      kind === 'trajectory'
        ? {
            ics: await trajectoryCalendar(deps, link.feed_id, { role: principal.role, scope }),
            trajectoryIds: [link.feed_id],
          }
        : await organisationCalendar(deps, principal, link.feed_id);
    const base = {
      actor: principal.actor,
      organisation_id: principal.organisationId,
      role: principal.role,
      action: 'read' as const,
      route: 'GET /feeds/:token',
      request_id: requestId,
    };
    await insertAuditEvents(deps.db, [
      ...feed.trajectoryIds.map((t) => ({ ...base, resource: 'trajectory', resource_id: t, trajectory_id: t })),
      ...(kind === 'organisation'
        ? [{ ...base, resource: 'organisation', resource_id: link.feed_id, trajectory_id: null }]
        : []),
    ]);
    return feed.ics;
  } catch (e) {
    if (e instanceof DomainError && e.status < 500) throw linkGone();
    throw e;
  }
}
