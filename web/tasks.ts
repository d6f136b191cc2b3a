// A task is one piece of work a mail asks of a person, named so a task link can carry it and a page can say
// which task it is: `week:<organisation>:<Monday>` is an employer's or ROC's attendance of one week.
export const taskOf = {
  week: (organisationId: string, weekStart: string) => `week:${organisationId}:${weekStart}`,
};

/** The page that does a task; undefined for a task this version does not know. */
export function taskPath(task: string): string | undefined {
  const [kind, ...rest] = task.split(':');
  if (kind === 'week' && rest.length === 2)
    return `/organisaties/${encodeURIComponent(rest[0]!)}/weken/${encodeURIComponent(rest[1]!)}`;
  return undefined;
}
