// The words and the shared look-ups of the programme office's pages (web/office.ts): the covenant's roles in
// Dutch ("wie is wie", after the vademecum's glossary of who does what in work-based learning), and the office's
// partners with their contacts as the services give them to the caller.
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../api/deps';
import { pageContacts, pageCovenants, pageOrganisations } from '../api/services/partners';
import type { Contact, Covenant } from '../api/schemas/covenant';
import type { Organisation } from '../api/schemas/organisation';
import { html } from './html';

export const KIND_NL: Record<string, string> = {
  programme_office: 'Programmabureau',
  employer: 'Werkgever (leerwerkplek)',
  school: 'ROC',
  gemeente: 'Gemeente',
  uwv: 'UWV',
};

export const MEMBER_ROLE_NL: Record<string, string> = {
  employer: 'Biedt de werkplek',
  school: 'Verzorgt de opleiding (BBL)',
  funder: 'Financier: betaalt de uitkering',
  jobcoaching: 'Levert jobcoaches',
};

export const CONTACT_ROLE_NL: Record<string, string> = {
  coordinator: 'Coördinator programmabureau',
  jobcoach: 'Jobcoach (trajectbegeleider)',
  workplace_trainer: 'Praktijkopleider (mentor op de werkvloer)',
  roc_coordinator: 'ROC-coördinator (bpv-begeleider)',
  funder_analyst: 'Analist van de financier',
};

/** What each contact role does: the page's "wie is wie". */
export const WHO_IS_WHO: [string, string][] = [
  [
    CONTACT_ROLE_NL.coordinator!,
    'Regelt het programma voor het programmabureau: cohorten, partners, sleutels en de AVG-verzoeken.',
  ],
  [
    CONTACT_ROLE_NL.jobcoach!,
    'Begeleidt de deelnemer door het hele traject en is het eerste aanspreekpunt als het niet goed gaat.',
  ],
  [
    CONTACT_ROLE_NL.workplace_trainer!,
    'Begeleidt de deelnemer op de werkvloer bij de werkgever en vult de aanwezigheid op de werkplek in.',
  ],
  [
    CONTACT_ROLE_NL.roc_coordinator!,
    'Begeleidt de beroepspraktijkvorming namens het ROC en vult de aanwezigheid op de schooldag in.',
  ],
  [
    CONTACT_ROLE_NL.funder_analyst!,
    'Leest namens de gemeente of het UWV de uitkomsten van het programma, zonder namen van deelnemers.',
  ],
];

/** Which contacts an organisation of a kind can have (as the partners service allows). */
export const CONTACT_ROLES_OF: Record<string, string[]> = {
  programme_office: ['coordinator', 'jobcoach'],
  gemeente: ['jobcoach', 'funder_analyst'],
  employer: ['workplace_trainer'],
  school: ['roc_coordinator'],
  uwv: ['funder_analyst'],
};

export const KEY_ROLE_NL: Record<string, string> = {
  coordinator: 'Coördinator (het hele programmabureau)',
  employer: 'Werkgever (eigen deelnemers)',
  school: 'ROC (eigen deelnemers)',
  jobcoach: 'Jobcoach (eigen deelnemers)',
  funder: 'Financier (alleen uitkomsten)',
};

/** Which keys an organisation of a kind can hold (as the partners service allows). */
export const KEY_ROLES_OF: Record<string, string[]> = {
  programme_office: ['coordinator', 'jobcoach'],
  employer: ['employer'],
  school: ['school'],
  gemeente: ['jobcoach', 'funder'],
  uwv: ['funder'],
};

/** A moment as a Dutch office reads it: 30-11-2026 14:05. */
export const dutchMoment = (iso: string | null | undefined) =>
  iso
    ? new Intl.DateTimeFormat('nl-NL', {
        timeZone: 'Europe/Amsterdam',
        dateStyle: 'short',
        timeStyle: 'short',
      }).format(new Date(iso))
    : '';

/** Every page of a paged service, up to `max` items. */
export async function allPages<T>(
  fetchPage: (page: { limit: number; offset: number }) => Promise<{ items: T[]; total: number }>,
  max = 10_000,
): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; offset < max; offset += 200) {
    const { items, total } = await fetchPage({ limit: 200, offset });
    out.push(...items);
    if (offset + 200 >= total || items.length === 0) break;
  }
  return out;
}

export interface Partner {
  organisation: Organisation;
  /** Its roles in the caller's covenants. */
  roles: { covenant: Covenant; role: string }[];
  contacts: Contact[];
}

/** The covenants and organisations the caller sees, each organisation with its contacts the caller may see. */
export async function whoIsWho(deps: Pick<AppDeps, 'db'>, request: FastifyRequest) {
  const p = request.principal;
  const covenants = await allPages((page) => pageCovenants(deps, p, page));
  const organisations = await allPages((page) => pageOrganisations(deps, p, page));
  const partners = new Map<string, Partner>();
  for (const organisation of organisations)
    partners.set(organisation.id, {
      organisation,
      roles: covenants.flatMap((covenant) =>
        covenant.members.filter((m) => m.organisationId === organisation.id).map((m) => ({ covenant, role: m.role })),
      ),
      contacts: await allPages((page) => pageContacts(deps, p, organisation.id, page), 1000),
    });
  return { covenants, partners };
}

export const kindLabel = (kind: string) => KIND_NL[kind] ?? kind;

export const pageLinks = html`<nav aria-label="Programmabureau">
  <ul class="utrecht-unordered-list office-nav">
    <li><a class="utrecht-link" href="/partners">Partners</a></li>
    <li><a class="utrecht-link" href="/sleutels">API-sleutels</a></li>
    <li><a class="utrecht-link" href="/auditlog">Auditlog</a></li>
    <li><a class="utrecht-link" href="/privacy">AVG-verzoeken</a></li>
  </ul>
</nav>`;
