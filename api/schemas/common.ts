// What every route shares: the core's primitives (an id or a date means the same everywhere), paging, and the
// problem details every error answers with.
import { Type, type Static, type TSchema } from 'typebox';
import { Id } from '../../domain/primitives';

export { Email, Id, IsoDate, Text, Weekday } from '../../domain/primitives';

/**
 * A parameter's schema with an example, so the document shows a request for every operation, those without a body
 * too (the ids, paging and filters carry one). `examples` is an annotation: validation is the schema's.
 */
export const withExample = <T extends TSchema>(schema: T, example: unknown): T => ({ ...schema, examples: [example] });

/** An id in a path or filter, as the document shows it (trajectories, cohorts and keys have UUIDs). */
export const EXAMPLE_ID = '6c1f3a52-8e4d-4b7a-a0c9-3d5e7f9b1a24';

export const IdParams = Type.Object({ id: withExample(Id, EXAMPLE_ID) });

export const Page = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50, examples: [20] }),
  offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0, examples: [40] }),
});
export type Page = Static<typeof Page>;

export const Paged = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({ items: Type.Array(item), limit: Type.Integer(), offset: Type.Integer(), total: Type.Integer() });

/** RFC 9457 problem details; `errors` names each offending field. */
export const Problem = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.Optional(Type.String()),
  instance: Type.Optional(Type.String()),
  requestId: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
});
export type Problem = Static<typeof Problem>;

export const problemResponses = {
  400: Problem,
  401: Problem,
  403: Problem,
  404: Problem,
  409: Problem,
  422: Problem,
  429: Problem,
  503: Problem,
};

/**
 * An operation's responses: its success, described for the document (what the answer holds), and every problem
 * (each status described once, in api/schemas/openapi.ts). The description is an annotation: validation and
 * serialization are those of `schema`.
 */
export const responses = <C extends number, T extends TSchema>(status: C, schema: T, description: string) =>
  ({ [status]: { ...schema, description }, ...problemResponses }) as unknown as {
    [K in C]: T;
  } & typeof problemResponses;

/** One page of a list held in full (short lists: programme versions, a school's closures). */
export const pageOf = <T>(all: T[], page: Page) => ({
  items: all.slice(page.offset, page.offset + page.limit),
  total: all.length,
  limit: page.limit,
  offset: page.offset,
});
