import { Type, type Static } from 'typebox';
import { Id } from './common';

/** What a calendar link is for: one trajectory, or an employer's or ROC's participants. */
export const NewCalendarLink = Type.Union(
  [
    Type.Object({ trajectoryId: Id }, { additionalProperties: false }),
    Type.Object({ organisationId: Id }, { additionalProperties: false }),
  ],
  {
    examples: [
      { trajectoryId: '5f0c2a9e-3b1d-4c7a-9e8f-2d6b1a0c4e11' },
      { organisationId: 'po-west.bakkerij-de-hoek' },
    ],
  },
);
export type NewCalendarLink = Static<typeof NewCalendarLink>;

/** A link as listed: what it is a feed of, who made it, until when it works; never the link itself. */
export const CalendarLinkInfo = Type.Object({
  id: Type.String(),
  trajectoryId: Type.Union([Id, Type.Null()], {
    description: "The trajectory whose feed this is (null for an organisation's feed)",
  }),
  organisationId: Type.Union([Id, Type.Null()], {
    description: "The employer or ROC whose feed this is (null for a trajectory's feed)",
  }),
  createdBy: Type.String({ description: "The API key that made the link (its id), or 'admin'" }),
  officeId: Type.Union([Id, Type.Null()], { description: "The programme office the maker's key is bound to" }),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({
    format: 'date-time',
    description: 'After this the link answers 404 (CALENDAR_LINK_MONTHS after it was made)',
  }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type CalendarLinkInfo = Static<typeof CalendarLinkInfo>;

export const CalendarLink = Type.Intersect([
  CalendarLinkInfo,
  Type.Object({
    url: Type.String({
      description:
        'An iCalendar feed to subscribe to without an Authorization header; shown once, now (only a hash of ' +
        'it is kept). It works until it expires or is revoked, as long as the key that made it works and may ' +
        'see what it shows',
    }),
  }),
]);
export type CalendarLink = Static<typeof CalendarLink>;

/** A 200 answer that is an iCalendar document, not JSON. */
export const CalendarResponse = {
  description: 'An iCalendar (RFC 5545) feed of all-day events',
  content: { 'text/calendar': { schema: Type.String() } },
};
