// Schedules as iCalendar feeds. The /v1 routes answer a caller with a bearer token; a calendar client cannot
// send one, so it subscribes to a link instead (`POST /v1/calendar-links`), served by `GET /feeds/...`
// outside /v1 and checked against the key that made it on every fetch (services/calendars.ts). Its maker lists
// (`GET /v1/calendar-links`) and revokes (`DELETE /v1/calendar-links/:id`) it; it expires by itself. The
// token is in the feed's path, so the request log line shows that path redacted (observability.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import rateLimit from '@fastify/rate-limit';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { ALL_ROLES, noteAudit } from '../access';
import { DomainError, says } from '../errors';
import { IdempotencyHeaders, idempotentReply } from '../idempotency';
import { CalendarLink, CalendarLinkInfo, CalendarResponse, NewCalendarLink } from '../schemas/calendar';
import { EXAMPLE_ID, IdParams, Page, Paged, Problem, problemResponses, responses } from '../schemas/common';
import {
  calendarFeed,
  createCalendarLink,
  FEED_ACCESS,
  organisationCalendar,
  pageCalendarLinks,
  revokeCalendarLink,
  trajectoryCalendar,
} from '../services/calendars';
import type { AppDeps } from '../deps';

/** Who makes, lists and revokes calendar links: whoever may read a trajectory's feed. */
const LINK_ROLES = FEED_ACCESS.trajectory.roles;

// Personal data: no shared cache keeps a copy.
const sendCalendar = (reply: FastifyReply, ics: string) =>
  reply.type('text/calendar; charset=utf-8').header('cache-control', 'private, no-store').send(ics);

export const calendarRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/trajectories/:id/calendar.ics',
    {
      config: { access: FEED_ACCESS.trajectory },
      schema: {
        tags: ['calendars'],
        operationId: 'getTrajectoryCalendar',
        summary: "A participant's schedule as an iCalendar feed: placement days, school days and checkpoints",
        description:
          'All-day events with stable UIDs, so a client updates rather than duplicates them. Holidays, ' +
          'closures and pauses are left out. A later employer sees from its placement on. Audited.',
        params: IdParams,
        response: { 200: CalendarResponse, ...problemResponses },
      },
    },
    async (request, reply) =>
      sendCalendar(
        reply,
        await trajectoryCalendar(deps, request.params.id, { role: request.principal.role, scope: request.scope }),
      ),
  );

  app.get(
    '/organisations/:id/calendar.ics',
    {
      config: { access: FEED_ACCESS.organisation },
      schema: {
        tags: ['calendars'],
        operationId: 'getOrganisationCalendar',
        summary:
          "An employer's placement days or an ROC's school days of all its current participants, as an iCalendar feed",
        description:
          'From a week ago on; participants by first name and reference. Audited for every participant in it.',
        params: IdParams,
        response: { 200: CalendarResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { ics, trajectoryIds } = await organisationCalendar(deps, request.principal, request.params.id);
      noteAudit(request, trajectoryIds);
      return sendCalendar(reply, ics);
    },
  );

  app.post(
    '/calendar-links',
    {
      config: { access: { roles: LINK_ROLES } },
      schema: {
        tags: ['calendars'],
        operationId: 'createCalendarLink',
        summary:
          "A link to subscribe to a trajectory's or an organisation's calendar feed without an " +
          'Authorization header; its URL is in this response only',
        description:
          'For what the caller may see now (else 404). The link is bound to the calling key: it works until ' +
          'it expires (CALENDAR_LINK_MONTHS, 12 months) or is revoked, as long as that key is not revoked ' +
          'and may still see what the feed shows. Only a hash of the link is stored: a repeat with the same ' +
          'Idempotency-Key answers the link without its URL. Guarded by Idempotency-Key.',
        headers: IdempotencyHeaders,
        body: NewCalendarLink,
        response: responses(
          200,
          CalendarLink,
          'The link with its URL (in this response only; a replay shows a placeholder instead)',
        ),
      },
    },
    async (request, reply) =>
      idempotentReply(
        deps,
        request,
        reply,
        async (id) => ({
          statusCode: 200,
          body: await createCalendarLink(
            deps,
            request.principal,
            request.body,
            `${request.protocol}://${request.host}`,
            id,
          ),
        }),
        { keep: (link) => ({ ...link, url: '(shown once, when the link was made)' }) },
      ),
  );

  app.get(
    '/calendar-links',
    {
      config: { access: { roles: LINK_ROLES } },
      schema: {
        tags: ['calendars'],
        operationId: 'listCalendarLinks',
        summary: 'The calendar links the calling key made (the admin: every link), newest first, without their URLs',
        querystring: Page,
        response: responses(200, Paged(CalendarLinkInfo), 'A page of links, newest first, without their URLs'),
      },
    },
    async (request) => pageCalendarLinks(deps, request.principal, request.query),
  );

  app.delete(
    '/calendar-links/:id',
    {
      // Whose link it is, is the service's question: another caller's link answers like an unknown one (404),
      // and so does every link to a role that makes none.
      config: { access: { roles: ALL_ROLES } },
      schema: {
        tags: ['calendars'],
        operationId: 'revokeCalendarLink',
        summary:
          'Revoke a calendar link the calling key made: it stops working at once (repeating this changes nothing)',
        params: IdParams,
        response: responses(200, CalendarLinkInfo, 'The link, revoked (`revokedAt` set)'),
      },
    },
    async (request) => revokeCalendarLink(deps, request.principal, request.params.id),
  );
};

/** The subscribed feed, outside /v1: no bearer token, the signed link is the credential. */
export const calendarFeedRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  if (deps.config.RATE_LIMIT_PER_MINUTE) {
    await app.register(rateLimit, {
      max: deps.config.RATE_LIMIT_PER_MINUTE,
      timeWindow: 60_000,
      errorResponseBuilder: (_request, context) =>
        new DomainError(
          429,
          'rate-limited',
          says('Too many requests', 'Te veel verzoeken'),
          says(
            `At most ${context.max} requests per minute per address; try again in ${Math.ceil(context.ttl / 1000)} s`,
            `Hoogstens ${context.max} verzoeken per minuut per adres; probeer het over ` +
              `${Math.ceil(context.ttl / 1000)} s opnieuw`,
          ),
        ),
    });
  }
  app.get(
    '/feeds/:token.ics',
    {
      schema: {
        tags: ['calendars'],
        operationId: 'getCalendarFeed',
        summary: 'A calendar feed behind a link from POST /v1/calendar-links',
        description:
          'No Authorization header: the link is the credential. An unknown, forged, expired or revoked ' +
          'link, a revoked key, or a trajectory the key no longer sees all answer the same 404 (in Dutch: ' +
          'ask for a new link). Every fetch is audited under the key that made the link.',
        security: [],
        params: Type.Object({
          token: Type.String({
            description: 'The signed link from POST /v1/calendar-links',
            examples: [`${EXAMPLE_ID}.q8Zr4Xw1Lm0Tn6Vb3Kd9Ys2Hg5Jc7Fp1Ae4Ru8Wi0Oo`],
          }),
        }),
        response: { 200: CalendarResponse, 404: Problem, 429: Problem, 503: Problem },
      },
    },
    async (request, reply) => sendCalendar(reply, await calendarFeed(deps, request.params.token, request.id)),
  );
};
