import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { listContacts } from '../../db/covenants';
import { findOrganisation, insertOrganisation, listOrganisations } from '../../db/organisations';
import type { Organisation as OrganisationRow } from '../../db/schema';
import { ALL_ROLES, COORDINATION, type Access } from '../access';
import { conflict } from '../errors';
import { IdempotencyHeaders, idempotentReply } from '../idempotency';
import { IdParams, Page, Paged, pageOf, problemResponses } from '../schemas/common';
import { Contact, NewContact } from '../schemas/covenant';
import { NewOrganisation, Organisation, OrganisationQuery } from '../schemas/organisation';
import type { AppDeps } from '../deps';
import { Closure, WeekAttendance } from '../schemas/recording';
import { ClosureView, WeekAttendanceResult } from '../schemas/trajectory';
import { contactView, createContact } from '../services/partners';
import { listSchoolClosures, publishClosure, recordWeek } from '../services/partner-recording';

const toView = (o: OrganisationRow): Organisation => ({ id: o.id, name: o.name, kind: o.kind, region: o.region, email: o.email, createdAt: o.created_at.toISOString() });

/** Who may add which contacts: an employer its workplace trainers, an ROC its coordinators; a coordinator anyone. */
const contactLimits: Access['body'] = (p, body: NewContact) => {
  if (p.role === 'employer' && body.role !== 'workplace_trainer') return [{ field: 'role', message: 'an employer adds its workplace trainers' }];
  if (p.role === 'school' && body.role !== 'roc_coordinator') return [{ field: 'role', message: 'an ROC adds its ROC coordinators' }];
  return [];
};

export const organisationRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get('/organisations', {
    config: { access: { roles: COORDINATION } },
    schema: { tags: ['organisations'], summary: 'Covenant partners', querystring: OrganisationQuery, response: { 200: Paged(Organisation), ...problemResponses } },
  }, async (request) => {
    const { items, total } = await listOrganisations(deps.db, request.query);
    return { items: items.map(toView), total, limit: request.query.limit, offset: request.query.offset };
  });

  app.get('/organisations/:id', {
    config: { access: { roles: ALL_ROLES, resource: 'organisation' } },
    schema: { tags: ['organisations'], summary: 'An organisation: a partner sees its own, a coordinator those it works with', params: IdParams, response: { 200: Organisation, ...problemResponses } },
  }, async (request) => toView((await findOrganisation(deps.db, request.params.id))!));

  app.post('/organisations', {
    config: { access: { roles: COORDINATION } },
    schema: {
      tags: ['organisations'],
      summary: 'Register a covenant partner (programme office, employer, school, gemeente, UWV)',
      headers: IdempotencyHeaders,
      body: NewOrganisation,
      response: { 201: Organisation, ...problemResponses },
    },
  }, async (request, reply) => idempotentReply(deps, request, reply, async (resourceId) => {
    const { id = resourceId, region, email, ...rest } = request.body;
    const org = await insertOrganisation(deps.db, { id, ...rest, region: region ?? null, email: email ?? null });
    if (!org) throw conflict(`An organisation with id ${id} already exists with other details`);
    return { statusCode: 201, body: toView(org) };
  }));

  app.get('/organisations/:id/contacts', {
    config: { access: { roles: ALL_ROLES, resource: 'organisation' } },
    schema: { tags: ['organisations'], summary: "An organisation's contacts: jobcoaches, workplace trainers, ROC coordinators", params: IdParams, querystring: Page, response: { 200: Paged(Contact), ...problemResponses } },
  }, async (request) => {
    const { items, total } = await listContacts(deps.db, { organisationId: request.params.id, ...request.query });
    return { items: items.map(contactView), total, ...request.query };
  });

  app.post('/organisations/:id/contacts', {
    config: { access: { roles: ['admin', 'coordinator', 'employer', 'school'], resource: 'organisation', manage: true, body: contactLimits } },
    schema: { tags: ['organisations'], summary: 'Add a contact person (they receive reminders; a jobcoach can be given a key)', params: IdParams, headers: IdempotencyHeaders, body: NewContact, response: { 201: Contact, ...problemResponses } },
  }, async (request, reply) => idempotentReply(deps, request, reply, async (contactId) => ({ statusCode: 201, body: await createContact(deps, request.params.id, request.body, contactId) })));

  app.post('/organisations/:id/attendance-weeks', {
    config: { access: { roles: ['admin', 'employer', 'school'], resource: 'organisation', manage: true, audit: 'change' } },
    schema: {
      tags: ['recording'],
      summary: 'Record a whole week for every participant the organisation has: all present except the listed absences',
      description:
        'For an employer the placement days, for an ROC the school days, up to today. Days recorded before are left as they are and listed as alreadyRecorded. ' +
        'What can be known beforehand (a trajectory that is not the organisation\'s, a date outside the week or after today, a day not planned) refuses the whole request with 422, recording nothing. ' +
        'Several trajectories cannot be recorded atomically: when one refuses a day at the moment of recording (a change made meanwhile), the rest is still recorded and the answer (200, complete: false) names per trajectory each refused day with the reason. ' +
        '422 only when nothing at all was recorded. Guarded by Idempotency-Key: a repeat with the same key gets the same answer; a new key records only what is still missing.',
      params: IdParams,
      headers: IdempotencyHeaders,
      body: WeekAttendance,
      response: { 200: WeekAttendanceResult, ...problemResponses },
    },
  }, async (request, reply) => idempotentReply(deps, request, reply, async (requestId) => ({
    statusCode: 200,
    body: await recordWeek(deps, request.principal, request.params.id, request.body, requestId),
  }), { audit: (body) => body.trajectories.filter((t) => t.present.length + t.absent.length > 0).map((t) => t.trajectoryId) }));

  app.get('/organisations/:id/closures', {
    config: { access: { roles: ['admin', 'coordinator', 'school'], resource: 'organisation' } },
    schema: { tags: ['organisations'], summary: "An ROC's closure periods", params: IdParams, querystring: Page, response: { 200: Paged(ClosureView), ...problemResponses } },
  }, async (request) => pageOf(await listSchoolClosures(deps, request.params.id), request.query));

  app.post('/organisations/:id/closures', {
    config: { access: { roles: ['admin', 'school'], resource: 'organisation', manage: true } },
    schema: {
      tags: ['organisations'],
      summary: 'An ROC publishes a closure period',
      description: "School days in the period become 'not planned' for every trajectory of this ROC that has not yet reached them. Guarded by Idempotency-Key.",
      params: IdParams,
      headers: IdempotencyHeaders,
      body: Closure,
      response: { 201: ClosureView, ...problemResponses },
    },
  }, async (request, reply) => idempotentReply(deps, request, reply, async (closureId) => ({
    statusCode: 201,
    body: await publishClosure(deps, request.params.id, request.body, closureId),
  })));
};
