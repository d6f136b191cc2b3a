// Server-rendered HTML: a tagged template that escapes every value (html-escaper) unless it is already HTML
// made by this tag, and the page layout every page shares: Dutch, the NL Design System's Utrecht components
// and design tokens (served from the packages under /assets), usable without JavaScript.
import { escape } from 'html-escaper';

/** HTML made by `html`: safe to put into other HTML as it is. */
export class Html {
  constructor(readonly text: string) {}
  toString() {
    return this.text;
  }
}

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

const render = (v: Value): string =>
  v instanceof Html
    ? v.text
    : Array.isArray(v)
      ? v.map(render).join('')
      : v === null || v === undefined || v === false
        ? ''
        : escape(String(v));

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  return new Html(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]!) : ''), ''));
}

export interface PageOptions {
  title: string;
  /** The signed-in person, for the header (name, organisation, sign-out). */
  person?: { name: string; organisation: string; csrf: string };
  /** Shown above the content: what just happened, or what went wrong. */
  notice?: { kind: 'ok' | 'error' | 'info'; text: Html | string };
}

export function page(o: PageOptions, content: Html): Html {
  return html`<!doctype html>
    <html lang="nl" class="utrecht-theme">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${o.title} – Toeleiding</title>
        <link rel="stylesheet" href="/assets/design-tokens.css" />
        <link rel="stylesheet" href="/assets/components.css" />
        <link rel="stylesheet" href="/assets/toeleiding.css" />
      </head>
      <body class="utrecht-document utrecht-document--surface">
        <a class="utrecht-link skip-link" href="#inhoud">Naar de inhoud</a>
        <div class="utrecht-page">
          <header class="utrecht-page-header">
            <p class="utrecht-paragraph site-name"><a class="utrecht-link" href="/">Toeleiding</a></p>
            ${
              o.person
                ? html`<form method="post" action="/uitloggen" class="signed-in">
                    <p class="utrecht-paragraph">${o.person.name}, ${o.person.organisation}</p>
                    <input type="hidden" name="_csrf" value="${o.person.csrf}" />
                    <button type="submit" class="utrecht-button utrecht-button--secondary-action">Uitloggen</button>
                  </form>`
                : ''
            }
          </header>
          <main id="inhoud" class="utrecht-page-content">
            <h1 class="utrecht-heading-1">${o.title}</h1>
            ${
              o.notice
                ? html`<div
                    class="utrecht-alert utrecht-alert--${o.notice.kind}"
                    role="${o.notice.kind === 'error' ? 'alert' : 'status'}"
                  >
                    <p class="utrecht-paragraph">${o.notice.text}</p>
                  </div>`
                : ''
            }
            ${content}
          </main>
          <footer class="utrecht-page-footer">
            <p class="utrecht-paragraph">Toeleiding: werken en leren naar een BBL-opleiding.</p>
          </footer>
        </div>
      </body>
    </html>`;
}
