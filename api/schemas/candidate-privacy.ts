// A candidate's AVG rights (issue 20): the export of everything held, and erasure.
import { Type, type Static } from 'typebox';
import { Id } from './common';

const Fields = Type.Record(Type.String(), Type.Unknown());

export const CandidateDataExport = Type.Object({
  exportedAt: Type.String({ format: 'date-time' }),
  candidate: Type.Intersect([Fields], {
    description: 'The candidate as held: who, where in the draaiboek, and (a BSN only as whether one was given)',
  }),
  events: Type.Array(Fields, { description: 'Every step, its outcome and notes, in order' }),
  audit: Type.Array(Fields, { description: 'Who read or changed the candidate, and when' }),
});
export type CandidateDataExport = Static<typeof CandidateDataExport>;

export const CandidateErasure = Type.Object({ candidateId: Id, anonymisedAt: Type.String({ format: 'date-time' }) });
export type CandidateErasure = Static<typeof CandidateErasure>;
