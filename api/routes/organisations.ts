import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ALL_ROLES, COORDINATION, type Access } from '../access';
import { IdempotencyHeaders, idempotentReply } from '../idempotency';
import { IdParams, Page, Paged, pageOf, responses } from '../schemas/common';
import { Contact, ContactParams, Invitation, NewContact } from '../schemas/covenant';
import { NewOrganisation, NewShare, Organisation, OrganisationQuery, Share } from '../schemas/organisation';
import type { AppDeps } from '../deps';
import { Closure, WeekAttendance } from '../schemas/recording';
import { ClosureView, WeekAttendanceResult } from '../schemas/trajectory';
import {
  contactRoleProblems,
  createContact,
  getOrganisation,
  pageContacts,
  pageOrganisations,
  pageShares,
  registerOrganisation,
  shareOrganisation,
} from '../services/partners';
import { listSchoolClosures, publishClosure, recordWeek } from '../services/partner-recording';
import { inviteContact } from '../services/invitations';

/** Who may add which contacts (services/partners.ts contactRoleProblems): the pages offer the same roles. */
const contactLimits: Access['body'] = (p, body: NewContact) => contactRoleProblems(p, body.role);

export const organisationRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/organisations',
    {
      config: { access: { roles: COORDINATION } },
      schema: {
        tags: ['organisations'],
        operationId: 'listOrganisations',
        summary:
          "Covenant partners: the office's own, those the admin shares with every office, and those another " +
          'office shared with it',
        querystring: OrganisationQuery,
        response: responses(200, Paged(Organisation), 'A page of organisations'),
      },
    },
    async (request) => pageOrganisations(deps, request.principal, request.query),
  );

  app.get(
    '/organisations/:id',
    {
      config: { access: { roles: ALL_ROLES, resource: 'organisation' } },
      schema: {
        tags: ['organisations'],
        operationId: 'getOrganisation',
        summary: 'An organisation: a partner sees its own, a coordinator those it works with',
        params: IdParams,
        response: responses(200, Organisation, 'The organisation'),
      },
    },
    async (request) => getOrganisation(deps, request.params.id),
  );

  app.post(
    '/organisations',
    {
      config: { access: { roles: COORDINATION } },
      schema: {
        tags: ['organisations'],
        operationId: 'registerOrganisation',
        summary: 'Register a covenant partner (programme office, employer, school, gemeente, UWV)',
        description:
          "A coordinator's organisation belongs to its programme office; an id it chooses begins with the " +
          "office's id and a dot. The admin registers programme offices and names the owner of other " +
          'organisations (or leaves it out: shared with every office, read-only). Guarded by Idempotency-Key.',
        headers: IdempotencyHeaders,
        body: NewOrganisation,
        response: responses(201, Organisation, 'The registered organisation'),
      },
    },
    async (request, reply) =>
      idempotentReply(deps, request, reply, async (resourceId) => ({
        statusCode: 201,
        body: await registerOrganisation(deps, request.principal, request.body, resourceId),
      })),
  );

  app.post(
    '/organisations/:id/shares',
    {
      config: { access: { roles: COORDINATION, resource: 'organisation', own: true } },
      schema: {
        tags: ['organisations'],
        operationId: 'shareOrganisation',
        summary:
          'Consent that another programme office may use this organisation in its covenants (an ROC or ' +
          'gemeente working with two offices)',
        description:
          'Only the owning office (or the admin) consents. The other office then sees the organisation, ' +
          'adds its own contacts and keys, and sees and mails only ' +
          'its own participants there. Guarded by Idempotency-Key.',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: NewShare,
        response: responses(
          201,
          Share,
          'The consent: which office may now use the organisation, given by whom and when',
        ),
      },
    },
    async (request, reply) =>
      idempotentReply(deps, request, reply, async () => ({
        statusCode: 201,
        body: await shareOrganisation(deps, request.principal, request.params.id, request.body),
      })),
  );

  app.get(
    '/organisations/:id/shares',
    {
      config: { access: { roles: COORDINATION, resource: 'organisation', own: true } },
      schema: {
        tags: ['organisations'],
        operationId: 'listOrganisationShares',
        summary: 'The offices the owner consented may use this organisation',
        params: IdParams,
        querystring: Page,
        response: responses(200, Paged(Share), 'A page of consents'),
      },
    },
    async (request) => pageOf(await pageShares(deps, request.params.id), request.query),
  );

  app.get(
    '/organisations/:id/contacts',
    {
      config: { access: { roles: ALL_ROLES, resource: 'organisation' } },
      schema: {
        tags: ['organisations'],
        operationId: 'listContacts',
        summary: "An organisation's contacts: jobcoaches, workplace trainers, ROC coordinators",
        params: IdParams,
        querystring: Page,
        response: responses(200, Paged(Contact), 'A page of contact persons'),
      },
    },
    async (request) => pageContacts(deps, request.principal, request.params.id, request.query),
  );

  app.post(
    '/organisations/:id/contacts',
    {
      config: {
        access: {
          roles: ['admin', 'coordinator', 'employer', 'school'],
          resource: 'organisation',
          manage: true,
          body: contactLimits,
        },
      },
      schema: {
        tags: ['organisations'],
        operationId: 'addContact',
        summary: 'Add a contact person (they receive reminders; a jobcoach can be given a key)',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: NewContact,
        response: responses(201, Contact, 'The added contact person'),
      },
    },
    async (request, reply) =>
      idempotentReply(deps, request, reply, async (contactId) => ({
        statusCode: 201,
        body: await createContact(deps, request.principal, request.params.id, request.body, contactId),
      })),
  );

  app.post(
    '/organisations/:id/contacts/:contactId/invitations',
    {
      config: {
        access: { roles: ['admin', 'coordinator', 'employer', 'school'], resource: 'organisation', manage: true },
      },
      schema: {
        tags: ['organisations'],
        operationId: 'inviteContact',
        summary: 'Invite a contact person to the web pages: a mail with a one-time sign-in link (7 days)',
        description:
          'Whoever may add contacts to the organisation invites them. The contact is marked invited (from then ' +
          'on they may ask for a sign-in link with their e-mail address) and receives a sign-in link that works ' +
          '7 days and once. A contact of another organisation, or one another programme office added, answers 404 ' +
          'like an unknown one. Guarded by Idempotency-Key: a repeat with the same key sends no second mail; a ' +
          'new key sends a new link.',
        params: ContactParams,
        headers: IdempotencyHeaders,
        response: responses(201, Invitation, 'The invitation: to whom it went and until when its link works'),
      },
    },
    async (request, reply) =>
      idempotentReply(deps, request, reply, async () => ({
        statusCode: 201,
        body: await inviteContact(deps, request.principal, request.params.id, request.params.contactId),
      })),
  );

  app.post(
    '/organisations/:id/attendance-weeks',
    {
      config: {
        access: { roles: ['admin', 'employer', 'school'], resource: 'organisation', manage: true, audit: 'change' },
      },
      schema: {
        tags: ['recording'],
        operationId: 'recordAttendanceWeek',
        summary:
          'Record a whole week for every participant the organisation has: all present except the listed absences',
        description:
          'For an employer the placement days, for an ROC the school days, up to today. Days recorded ' +
          'before are left as they are and listed as alreadyRecorded. ' +
          "What can be known beforehand (a trajectory that is not the organisation's, a date outside the " +
          'week or after today, a day not planned) refuses the whole request with 422, recording nothing. ' +
          'Several trajectories cannot be recorded atomically: when one refuses a day at the moment of ' +
          'recording (a change made meanwhile), the rest is still recorded and the answer (200, complete: ' +
          'false) names per trajectory each refused day with the reason. ' +
          '422 only when nothing at all was recorded. Guarded by Idempotency-Key: a repeat with the same ' +
          'key gets the same answer; a new key records only what is still missing.',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: WeekAttendance,
        response: responses(
          200,
          WeekAttendanceResult,
          'Per trajectory: what this request recorded, what was recorded before, and what was refused and ' +
            'why (`complete` says whether anything was refused)',
        ),
      },
    },
    async (request, reply) =>
      idempotentReply(
        deps,
        request,
        reply,
        async (requestId) => ({
          statusCode: 200,
          body: await recordWeek(deps, request.principal, request.params.id, request.body, requestId),
        }),
        {
          audit: (body) =>
            body.trajectories.filter((t) => t.present.length + t.absent.length > 0).map((t) => t.trajectoryId),
        },
      ),
  );

  app.get(
    '/organisations/:id/closures',
    {
      config: { access: { roles: ['admin', 'coordinator', 'school'], resource: 'organisation' } },
      schema: {
        tags: ['organisations'],
        operationId: 'listClosures',
        summary: "An ROC's closure periods",
        params: IdParams,
        querystring: Page,
        response: responses(200, Paged(ClosureView), 'A page of closure periods'),
      },
    },
    async (request) => pageOf(await listSchoolClosures(deps, request.principal, request.params.id), request.query),
  );

  app.post(
    '/organisations/:id/closures',
    {
      config: { access: { roles: ['admin', 'school'], resource: 'organisation', manage: true } },
      schema: {
        tags: ['organisations'],
        operationId: 'publishClosure',
        summary: 'An ROC publishes a closure period',
        description:
          "School days in the period become 'not planned' for every trajectory of this ROC that has not yet " +
          'reached them. Guarded by Idempotency-Key.',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: Closure,
        response: responses(201, ClosureView, 'The published closure and how many running trajectories it was sent to'),
      },
    },
    async (request, reply) =>
      idempotentReply(deps, request, reply, async (closureId) => ({
        statusCode: 201,
        body: await publishClosure(deps, request.principal, request.params.id, request.body, closureId),
      })),
  );
};
