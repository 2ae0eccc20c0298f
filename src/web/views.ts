import { readdirSync, readFileSync } from 'node:fs';
import Handlebars from 'handlebars';

/** Renders one of the pages in web/views/ with its data; text is HTML-escaped (no triple-stash anywhere). */
export type RenderView = (name: string, data: Record<string, unknown>) => string;

const VIEWS_DIR = new URL('./views/', import.meta.url);

/**
 * The web pages' templates, read from web/views/ (partials from web/views/partials/) and
 * compiled once, in an environment of their own: no helper or partial registered elsewhere
 * reaches them. Every `{{value}}` is escaped; a page only ever inserts data that way.
 */
export function loadViews(names: readonly string[]): RenderView {
  const hbs = Handlebars.create();
  const partialsDir = new URL('partials/', VIEWS_DIR);
  for (const file of readdirSync(partialsDir).filter((f) => f.endsWith('.hbs'))) {
    hbs.registerPartial(file.slice(0, -'.hbs'.length), readFileSync(new URL(file, partialsDir), 'utf8'));
  }
  const templates = new Map(
    names.map((name) => {
      const source = readFileSync(new URL(`${name}.hbs`, VIEWS_DIR), 'utf8');
      hbs.parse(source); // a template that does not parse fails at start, not at the first visitor
      return [name, hbs.compile(source, { preventIndent: true })] as const;
    }),
  );
  return (name, data) => {
    const template = templates.get(name);
    if (!template) throw new Error(`no view named ${name}`);
    return template(data);
  };
}

/** A file served as it is from web/public/, read once. */
export function publicFile(name: string): Buffer {
  return readFileSync(new URL(`./public/${name}`, import.meta.url));
}
