// Custom search attributes that make trajectories findable in the Temporal Web UI by cohort, programme, region
// and status. The launcher sets the first three; the workflow keeps TrajectoryStatus current. Registered on the
// embedded dev server at start; on a real cluster, register them once (see README, "Deploy").
import { defineSearchAttributeKey } from '@temporalio/common';

export const CohortIdKey = defineSearchAttributeKey('CohortId', 'KEYWORD');
export const ProgrammeIdKey = defineSearchAttributeKey('ProgrammeId', 'KEYWORD');
export const RegionKey = defineSearchAttributeKey('Region', 'KEYWORD');
export const TrajectoryStatusKey = defineSearchAttributeKey('TrajectoryStatus', 'KEYWORD');

export const SEARCH_ATTRIBUTES = [CohortIdKey, ProgrammeIdKey, RegionKey, TrajectoryStatusKey];
