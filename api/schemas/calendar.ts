import { Type, type Static } from 'typebox';
import { Id } from './common';

/** What a calendar link is for: one trajectory, or an employer's or ROC's participants. */
export const NewCalendarLink = Type.Union([
  Type.Object({ trajectoryId: Id }, { additionalProperties: false }),
  Type.Object({ organisationId: Id }, { additionalProperties: false }),
]);
export type NewCalendarLink = Static<typeof NewCalendarLink>;

export const CalendarLink = Type.Object({
  url: Type.String({ description: 'An iCalendar feed to subscribe to without an Authorization header; it works as long as the key that made it works and may see what it shows' }),
});
export type CalendarLink = Static<typeof CalendarLink>;

/** A 200 answer that is an iCalendar document, not JSON. */
export const CalendarResponse = {
  description: 'An iCalendar (RFC 5545) feed of all-day events',
  content: { 'text/calendar': { schema: Type.String() } },
};
