// The smallest shared values of the programme: an id, a date, a piece of typed text, a weekday. Each is one
// schema (TypeBox: plain JSON Schema objects, no framework), and its TypeScript type is derived from it, so an
// id or a date means the same in the workflow, the API and the database.
import { Type } from 'typebox';

export const Id = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' });
export const IsoDate = Type.String({ format: 'date', description: 'A calendar date, YYYY-MM-DD (Europe/Amsterdam)' });
export const Email = Type.String({ format: 'email', maxLength: 254 });
// No control characters: PostgreSQL text cannot hold NUL, and none belongs in a name or a note.
export const Text = (maxLength = 200) => Type.String({ minLength: 1, maxLength, pattern: '^[^\\u0000-\\u001f]+$' });

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'] as const;
export const Weekday = Type.Enum(WEEKDAYS, { description: 'A working day' });
export type Weekday = (typeof WEEKDAYS)[number];

export const DAY_KINDS = ['placement', 'school'] as const;
export const DayKind = Type.Enum(DAY_KINDS);
export type DayKind = (typeof DAY_KINDS)[number];
