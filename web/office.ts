// The covenant's partners, keys, audit log and AVG requests (issue 18.3), for the programme office's coordinator:
// "wie is wie" with contacts, invitations and API keys (web/office-partners.ts), the audit log with its xlsx
// download (web/office-audit.ts), and a participant's export and erasure (web/office-privacy.ts). Every route has
// the access policy of its API twin; employers, ROCs and jobcoaches get 404 for all of them.
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../api/deps';
import { officeAuditRoutes } from './office-audit';
import { officePartnerRoutes } from './office-partners';
import { officePrivacyRoutes } from './office-privacy';

export async function officeRoutes(app: FastifyInstance, o: { deps: AppDeps }) {
  await officePartnerRoutes(app, o);
  await officeAuditRoutes(app, o);
  await officePrivacyRoutes(app, o);
}
