// The web pages, server-rendered from the same Fastify app and the same services as the API. Public: the
// assets, signing in by a one-time link, opening a task link from a mail, signing out. Behind a session: the
// pages, each declaring the same access policy as its API route, enforced by the same hook (api/access.ts),
// so a page can show nothing its person could not read through the API. Forms are CSRF-protected and work
// without JavaScript; a repeated submission (a double click, a reload) records nothing twice.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { addDays, isoWeekday, localDate } from '../domain/calendar';
import { authorize } from '../api/access';
import type { AppDeps } from '../api/deps';
import { DomainError } from '../api/errors';
import { html, page } from './html';
import { linkHash, linkKey, signLink, SIGN_IN_MINUTES, verifyLink } from './links';
import {
  contactOfSession,
  endSession,
  identifyPerson,
  invitedContactsByEmail,
  SESSION_COOKIE,
  startSession,
  useLink,
} from './session';
import { taskOf, taskPath } from './tasks';
import { weekRoutes } from './week';
import { weekCorrectionRoutes } from './week-corrections';
import { accountRoutes } from './account';
import { colleagueRoutes } from './colleagues';
import { jobcoachRoutes } from './jobcoach';
import { checkpointRoutes } from './checkpoint';
import { participantRoutes } from './participants';
import { bblRoutes } from './bbl';
import { benefitRoutes } from './benefit';
import { workProcessRoutes } from './work-processes';
import { pokRoutes } from './praktijkovereenkomst';
import { subsidyRoutes } from './subsidy';
import { followUpRoutes } from './follow-up';
import { closureRoutes } from './closures';
import { csrfOf, inWords, sendPage } from './form-parts';
import { checkFormText, installFormParser, refusedFormPage } from './form-text';
import { openWeeks } from '../api/services/week-sheet';
import { cohortLaunchRoutes } from './cohort-launch';
import { steeringRoutes } from './steering';
import { officeRoutes } from './office';
import { outcomeRoutes } from './outcomes';
import { readinessPageRoutes } from './readiness';
import { recruitmentRoutes } from './recruitment';
import { recruitmentFunnelRoutes } from './recruitment-funnel';
import { candidateRoutes } from './candidate';
import { candidatePartnerRoutes } from './candidate-partners';
import { candidateLaunchRoutes } from './candidate-launch';
import { candidatePrivacyRoutes } from './candidate-privacy';

const require = createRequire(import.meta.url);
const asset = (pkg: string, file: string) =>
  readFileSync(path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file));

/** The stylesheets: the NL Design System's Utrecht design tokens and components, and a few lines of our own. */
const ASSETS: Record<string, Buffer> = {
  'design-tokens.css': asset('@utrecht/design-tokens', 'dist/index.css'),
  'components.css': asset('@utrecht/component-library-css', 'dist/index.css'),
  'toeleiding.css': readFileSync(path.join(import.meta.dirname, 'toeleiding.css')),
};

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The task a page is (web/tasks.ts): a session opened by a task link reaches that page only. */
    task?: (request: FastifyRequest) => string;
  }
}

/** Sign-in links one address can ask for in 15 minutes. */
const SIGN_IN_REQUESTS_PER_QUARTER = 5;

/** The answer for a link that does not work: what happened is not told (a forged link looks like an old one). */
const deadLink = () =>
  page(
    { title: 'Deze link werkt niet meer' },
    html`<p class="utrecht-paragraph">
        Links in onze e-mails werken een beperkte tijd, en een inloglink maar één keer. Vraag een nieuwe inloglink aan;
        daarna vindt u dezelfde taak op de startpagina.
      </p>
      <p class="utrecht-paragraph"><a class="utrecht-link" href="/inloggen">Nieuwe inloglink aanvragen</a></p>`,
  );

export async function webRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const key = linkKey(deps.config);
  const secure = (deps.config.PUBLIC_URL ?? '').startsWith('https://');
  const base = (deps.config.PUBLIC_URL ?? '').replace(/\/+$/, '');
  const now = () => deps.now?.() ?? Date.now();

  await app.register(cookie, { secret: key.toString('base64') });
  // Forms as UTF-8 only, decoded strictly (web/form-text.ts).
  await installFormParser(app);
  await app.register(rateLimit, { global: false });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'toeleiding_formulier',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure, signed: true },
  });
  app.decorateRequest('person', null);

  // Pages are for people: any error is a page in Dutch, never a problem document or a stack trace.
  app.setErrorHandler(async (error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const refused = refusedFormPage(request, error);
    if (refused) return sendPage(reply, refused.body, refused.status);
    const status = error instanceof DomainError ? error.status : (error.statusCode ?? 500);
    const [title, text] =
      error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET'
        ? ['Formulier verlopen', 'Het formulier is verlopen of geopend in een ander venster. Laad de pagina opnieuw.']
        : status === 404 || status === 403
          ? ['Niet gevonden', 'Deze pagina bestaat niet, of is niet voor u.']
          : status === 429
            ? [
                'Even geduld',
                `Er zijn net al inloglinks naar dit adres gestuurd. Probeer het over een kwartier opnieuw.`,
              ]
            : status === 503
              ? [
                  'Even niet beschikbaar',
                  'Het systeem is even niet bereikbaar. Probeer het over een paar minuten opnieuw.',
                ]
              : status < 500
                ? ['Dat lukte niet', 'Controleer wat u invulde en probeer het opnieuw.']
                : ['Er ging iets mis', 'Er ging iets mis aan onze kant. Probeer het later opnieuw.'];
    if (status >= 500) request.log.error({ err: error }, 'page failed');
    const code = error.code?.startsWith('FST_CSRF') ? 403 : status === 403 ? 404 : status;
    return reply
      .code(code)
      .type('text/html; charset=utf-8')
      .send(
        page(
          { title },
          html`<p class="utrecht-paragraph">${text}</p>
            <p class="utrecht-paragraph"><a class="utrecht-link" href="/">Naar de startpagina</a></p>`,
        ).text,
      );
  });

  app.get<{ Params: { file: string } }>('/assets/:file', { schema: { hide: true } }, async (request, reply) => {
    const body = ASSETS[request.params.file];
    if (!body) return reply.code(404).type('text/plain').send('Niet gevonden');
    return reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(body);
  });

  // --- signing in ------------------------------------------------------------------------------------------

  const signInForm = (reply: FastifyReply, o: { email?: string; error?: string } = {}) =>
    sendPage(
      reply,
      page(
        { title: 'Inloggen' },
        html`<p class="utrecht-paragraph">
            U krijgt een link per e-mail waarmee u inlogt. De link werkt ${SIGN_IN_MINUTES} minuten en één keer.
          </p>
          <form method="post" action="/inloggen" novalidate>
            <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
            <div class="utrecht-form-field${o.error ? ' utrecht-form-field--invalid' : ''}">
              <label class="utrecht-form-label" for="email">E-mailadres</label>
              ${o.error ? html`<p class="utrecht-form-field-error-message" id="email-fout">${o.error}</p>` : ''}
              <input
                class="utrecht-textbox utrecht-textbox--html-input"
                id="email"
                name="email"
                type="email"
                autocomplete="email"
                required
                value="${o.email ?? ''}"
                ${o.error ? html`aria-invalid="true" aria-describedby="email-fout"` : ''}
              />
            </div>
            <button type="submit" class="utrecht-button utrecht-button--primary-action">Stuur mij een inloglink</button>
          </form>`,
      ),
      o.error ? 422 : 200,
    );

  app.get('/inloggen', { schema: { hide: true } }, async (_request, reply) => signInForm(reply));

  app.post<{ Body: { email?: string } }>(
    '/inloggen',
    {
      schema: { hide: true },
      preHandler: app.csrfProtection,
      // Nobody fills a person's mailbox with sign-in links: a few per address per quarter of an hour.
      config: {
        rateLimit: {
          max: SIGN_IN_REQUESTS_PER_QUARTER,
          timeWindow: '15 minutes',
          hook: 'preHandler',
          keyGenerator: (request: FastifyRequest) =>
            String((request.body as { email?: string } | undefined)?.email ?? '')
              .trim()
              .toLowerCase() || request.ip,
        },
      },
    },
    async (request, reply) => {
      const email = String(request.body?.email ?? '').trim();
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254)
        return signInForm(reply, { email, error: 'Vul een geldig e-mailadres in, zoals naam@organisatie.nl.' });
      // The same answer whether or not the address is known: the page tells no one who has an account.
      for (const contact of await invitedContactsByEmail(deps.db, email)) {
        const token = signLink(key, {
          purpose: 'sign-in',
          contactId: contact.id,
          expires: Math.floor(now() / 1000) + SIGN_IN_MINUTES * 60,
        });
        await deps.mailer.send({
          to: contact.email,
          subject: 'Toeleiding – uw inloglink',
          text:
            `Beste ${contact.name},\n\nMet deze link logt u in bij Toeleiding. Hij werkt ${SIGN_IN_MINUTES} ` +
            `minuten en één keer:\n\n${base}/inloggen/${token}\n\nHeeft u niet om deze link gevraagd? Dan kunt u ` +
            'dit bericht negeren.\n\nMet vriendelijke groet,\nToeleiding',
        });
      }
      return sendPage(
        reply,
        page(
          { title: 'Kijk in uw e-mail' },
          html`<p class="utrecht-paragraph">
            Als ${email} bij ons bekend is, staat er nu een inloglink in die mailbox. De link werkt ${SIGN_IN_MINUTES}
            minuten. Geen e-mail gekregen? Kijk in de map met ongewenste e-mail, of vraag de organisatie die u
            uitnodigde of uw adres klopt.
          </p>`,
        ),
      );
    },
  );

  // Opening the link shows a button; only pressing it signs in. A mail scanner that opens every link in a
  // message would otherwise use up the one-time link before its owner does.
  app.get<{ Params: { token: string } }>('/inloggen/:token', { schema: { hide: true } }, async (request, reply) => {
    const claims = verifyLink(key, request.params.token, now());
    if (claims?.purpose !== 'sign-in') return sendPage(reply, deadLink(), 410);
    const contact = await contactOfSession(deps.db, claims.contactId);
    if (!contact) return sendPage(reply, deadLink(), 410);
    return sendPage(
      reply,
      page(
        { title: 'Inloggen' },
        html`<form method="post">
          <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
          <p class="utrecht-paragraph">U logt in als ${contact.name} (${contact.email}).</p>
          <button type="submit" class="utrecht-button utrecht-button--primary-action">Inloggen</button>
        </form>`,
      ),
    );
  });

  app.post<{ Params: { token: string } }>(
    '/inloggen/:token',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const claims = verifyLink(key, request.params.token, now());
      if (claims?.purpose !== 'sign-in' || !(await useLink(deps.db, linkHash(request.params.token))))
        return sendPage(reply, deadLink(), 410);
      await startSession(deps.db, reply, { contactId: claims.contactId, task: null, secure });
      return reply.redirect('/', 303);
    },
  );

  // A task link from a mail: opens that task for its addressee, as often as it is opened, until it expires.
  app.get<{ Params: { token: string } }>('/l/:token', { schema: { hide: true } }, async (request, reply) => {
    const claims = verifyLink(key, request.params.token, now());
    const target = claims?.purpose === 'task' && claims.task ? taskPath(claims.task) : undefined;
    if (!claims || !target || !(await contactOfSession(deps.db, claims.contactId)))
      return sendPage(reply, deadLink(), 410);
    await startSession(deps.db, reply, { contactId: claims.contactId, task: claims.task!, secure });
    // The link's text leaves the address bar at once (and with it browser history and Referer headers).
    return reply.header('referrer-policy', 'no-referrer').redirect(target, 303);
  });

  app.post('/uitloggen', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    await identifyPerson(deps.db, request);
    if (request.person) await endSession(deps.db, request.person.sessionId);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return sendPage(
      reply,
      page(
        { title: 'U bent uitgelogd' },
        html`<p class="utrecht-paragraph"><a class="utrecht-link" href="/inloggen">Opnieuw inloggen</a></p>`,
      ),
    );
  });

  // --- behind a session ------------------------------------------------------------------------------------

  await app.register(async (pages) => {
    pages.addHook('onRequest', async (request, reply) => {
      await identifyPerson(deps.db, request);
      if (!request.person) {
        if (request.method === 'GET') return reply.redirect('/inloggen', 303);
        return sendPage(
          reply,
          page(
            { title: 'Niet ingelogd' },
            html`<p class="utrecht-paragraph">
              U bent niet (meer) ingelogd. <a class="utrecht-link" href="/inloggen">Log opnieuw in</a>.
            </p>`,
          ),
          401,
        );
      }
      // A session from a task link reaches its own task's page only.
      const task = request.routeOptions.config.task?.(request);
      if (request.person.task !== null && task !== request.person.task)
        return sendPage(
          reply,
          page(
            { title: 'Log in voor deze pagina' },
            html`<p class="utrecht-paragraph">
                U kwam binnen via een link uit een e-mail; die opent alleen die ene taak. Log in voor de rest.
              </p>
              <p class="utrecht-paragraph"><a class="utrecht-link" href="/inloggen">Inloggen</a></p>`,
          ),
          403,
        );
    });
    authorize(pages, deps.db, now);
    // One rule for every form behind a session, after the access check (another office's object answers as an
    // unknown one, and is audited, whatever the form holds): no damaged text, no BSN, before anything is stored.
    pages.addHook('preHandler', async (request) => checkFormText(request));
    await pages.register(homeRoute, { deps });
    await pages.register(weekRoutes, { deps });
    await pages.register(weekCorrectionRoutes, { deps });
    await pages.register(accountRoutes, { deps });
    await pages.register(colleagueRoutes, { deps });
    await pages.register(jobcoachRoutes, { deps });
    await pages.register(checkpointRoutes, { deps });
    await pages.register(participantRoutes, { deps });
    await pages.register(bblRoutes, { deps });
    await pages.register(benefitRoutes, { deps });
    await pages.register(workProcessRoutes, { deps });
    await pages.register(pokRoutes, { deps });
    await pages.register(subsidyRoutes, { deps });
    await pages.register(followUpRoutes, { deps });
    await pages.register(closureRoutes, { deps });
    await pages.register(cohortLaunchRoutes, { deps });
    await pages.register(steeringRoutes, { deps });
    await pages.register(officeRoutes, { deps });
    await pages.register(outcomeRoutes, { deps });
    await pages.register(recruitmentRoutes, { deps });
    await pages.register(recruitmentFunnelRoutes, { deps });
    await pages.register(candidateRoutes, { deps });
    await pages.register(candidatePartnerRoutes, { deps });
    await pages.register(candidateLaunchRoutes, { deps });
    await pages.register(candidatePrivacyRoutes, { deps });
    await pages.register(readinessPageRoutes, { deps });
  });
}

/** The start page: what the person can do here. */
async function homeRoute(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  app.get(
    '/',
    {
      schema: { hide: true },
      config: { access: { roles: ['admin', 'coordinator', 'employer', 'school', 'jobcoach', 'funder'] } },
    },
    async (request, reply) => {
      const person = request.person!;
      const today = localDate(deps.now?.() ?? Date.now());
      const partner = person.organisationKind === 'employer' || person.organisationKind === 'school';
      // Every week with days still to record, not only this and last week: the mail keeps reminding of them.
      const weeks = partner ? await openWeeks(deps, request.principal, person.organisationId) : [];
      const open = html`<h2 class="utrecht-heading-2" id="open-weken">Nog te registreren</h2>
        ${
          weeks.length
            ? html`<ul class="utrecht-unordered-list" aria-labelledby="open-weken">
                ${weeks.map(
                  (w) =>
                    html`<li>
                      <a class="utrecht-link" href="${taskPath(taskOf.week(person.organisationId, w.weekStart))}"
                        >Week van ${inWords(w.weekStart, today)}</a
                      >: ${w.open === 1 ? '1 dag' : `${w.open} dagen`} open
                    </li>`,
                )}
              </ul>`
            : html`<p class="utrecht-paragraph">Alle dagen tot vandaag zijn geregistreerd.</p>`
        }`;
      const tasks = partner
        ? html`<ul class="utrecht-unordered-list">
              <li>
                <a class="utrecht-link" href="${taskPath(taskOf.week(person.organisationId, mondayOf(today)))}"
                  >Aanwezigheid van deze week</a
                >
              </li>
              <li>
                <a class="utrecht-link" href="${taskPath(taskOf.week(person.organisationId, mondayOf(today, -7)))}"
                  >Aanwezigheid van vorige week</a
                >
              </li>
              <li>
                <a class="utrecht-link" href="/organisaties/${person.organisationId}/deelnemers">Mijn deelnemers</a>
              </li>
              <li>
                <a class="utrecht-link" href="/organisaties/${person.organisationId}/collegas"
                  >Collega's: wie met Toeleiding werkt, iemand uitnodigen</a
                >
              </li>
              ${
                person.organisationKind === 'employer'
                  ? html`<li><a class="utrecht-link" href="/kandidaten">Voorgestelde kandidaten: meeloopdagen</a></li>`
                  : ''
              }
            </ul>
            ${open}`
        : request.principal.role === 'jobcoach'
          ? html`<ul class="utrecht-unordered-list">
              <li><a class="utrecht-link" href="/deelnemers">Mijn deelnemers</a></li>
              <li><a class="utrecht-link" href="/kandidaten">Mijn kandidaten in de werving</a></li>
            </ul>`
          : request.principal.role === 'coordinator'
            ? html`<ul class="utrecht-unordered-list">
                <li><a class="utrecht-link" href="/sturing">Sturing: cohorten, achterstanden en risico's</a></li>
                <li><a class="utrecht-link" href="/werving">Werving en selectie: wie staat waar</a></li>
                <li><a class="utrecht-link" href="/cohorten/nieuw">Een cohort starten vanuit een spreadsheet</a></li>
                <li><a class="utrecht-link" href="/partners">Partners: wie is wie, uitnodigingen en sleutels</a></li>
                <li><a class="utrecht-link" href="/sleutels">API-sleutels van uw programmabureau</a></li>
                <li><a class="utrecht-link" href="/auditlog">Auditlog: wie las of wijzigde wat</a></li>
                <li><a class="utrecht-link" href="/privacy">AVG-verzoeken: inzage en wissen</a></li>
                <li><a class="utrecht-link" href="/uitkomsten">Uitkomsten</a></li>
              </ul>`
            : html`<p class="utrecht-paragraph"><a class="utrecht-link" href="/uitkomsten">Uitkomsten</a></p>`;
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(
          page(
            {
              title: `Welkom, ${person.name}`,
              person: { name: person.name, organisation: person.organisationName, csrf: csrfOf(reply) },
            },
            html`${tasks}
              <p class="utrecht-paragraph"><a class="utrecht-link" href="/account">Mijn account</a></p>`,
          ).text,
        );
    },
  );
}

/** The Monday of the week `date` is in, `shift` days later. */
const mondayOf = (date: string, shift = 0) => addDays(date, 1 - isoWeekday(date) + shift);
