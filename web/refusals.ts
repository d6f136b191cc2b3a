// A refused recording on a page: the trajectory's refusal (domain/refusals.ts, a fact sent along with the
// workflow's failure) in Dutch next to the field it names; a refusal without a known fact gets a general Dutch
// message, a finished trajectory and a form sent twice their own.
import { refusalInDutch, type Refusal } from '../domain/refusals';

/** What is said when the refusal is not one this version knows. */
export const GENERAL_REFUSAL = 'Dit kon niet worden vastgelegd. Controleer wat u invulde en probeer het opnieuw.';

/** What a refused recording says on the page: the field it names (or none: the form as a whole), in Dutch. */
export function refusalOf(e: {
  status: number;
  type: string;
  errors?: { field: string; message: string; refusal?: Refusal }[];
}): { field?: string; text: string } {
  if (e.status === 409) return { text: 'Dit traject is afgerond; er kan niets meer worden vastgelegd.' };
  if (e.type === 'idempotency-key-reused')
    return { text: 'Dit formulier is al eens verstuurd. Laad de pagina opnieuw en vul het nog eens in.' };
  const problem = e.errors?.[0];
  if (!problem) return { text: GENERAL_REFUSAL };
  return { field: problem.field, text: problem.refusal ? refusalInDutch(problem.refusal) : GENERAL_REFUSAL };
}
