import { escapeHtml, mrkdwnToHtml, textObjectToHtml, type NameOf } from './mrkdwn-html.ts';

/**
 * Block Kit as HTML for the sandbox page: the blocks Helpnet sends (section with fields and
 * accessory, context, divider, header, actions with buttons, static selects, checkboxes and
 * overflow menus, inputs in modals). Every piece of text goes through escapeHtml or
 * mrkdwnToHtml; interactive elements carry what the page's script needs to send the action
 * Slack would send (data-action-id, data-block-id, data-value). A block this does not know
 * shows as a note, not as nothing.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const attr = (name: string, value: unknown) => (typeof value === 'string' ? ` ${name}="${escapeHtml(value)}"` : '');

function plain(t: unknown): string {
  return isObj(t) ? escapeHtml(str(t.text)) : '';
}

function option(o: unknown, selected: unknown): string {
  if (!isObj(o)) return '';
  const isSelected = isObj(selected) && selected.value === o.value;
  return `<option${attr('value', o.value)}${isSelected ? ' selected' : ''}>${plain(o.text)}</option>`;
}

let labelSeq = 0;

/** One interactive element; `blockId` is its block's. `input` when it is a field of a modal. */
function element(e: unknown, blockId: string, nameOf: NameOf, input = false): string {
  if (!isObj(e)) return '';
  const ids = `${attr('data-action-id', e.action_id)}${attr('data-block-id', blockId)}`;
  switch (e.type) {
    case 'button': {
      const style = e.style === 'primary' || e.style === 'danger' ? ` sbx-${e.style}` : '';
      if (typeof e.url === 'string' && /^https?:\/\//i.test(e.url)) return `<a class="sbx-button${style}" href="${escapeHtml(e.url)}" rel="noopener noreferrer">${plain(e.text)}</a>`;
      return `<button type="button" class="sbx-button sbx-action${style}"${ids}${attr('data-value', e.value)}>${plain(e.text)}</button>`;
    }
    case 'static_select':
    case 'overflow': {
      const options = e.type === 'overflow' ? list(e.options) : list(e.options).length > 0 ? list(e.options) : list(e.option_groups).flatMap((g) => (isObj(g) ? list(g.options) : []));
      const placeholder = e.type === 'overflow' ? 'More…' : isObj(e.placeholder) ? str(e.placeholder.text) : 'Choose…';
      const id = `sbx-select-${++labelSeq}`;
      const cls = input ? 'sbx-field' : 'sbx-select';
      return `<label class="sbx-visually-hidden" for="${id}">${escapeHtml(placeholder)}</label><select id="${id}" class="${cls}"${ids} data-type="${escapeHtml(str(e.type))}"${input ? attr('name', `${blockId}/${str(e.action_id)}`) : ''}>${e.initial_option ? '' : `<option value="">${escapeHtml(placeholder)}</option>`}${options.map((o) => option(o, e.initial_option)).join('')}</select>`;
    }
    case 'checkboxes':
    case 'radio_buttons': {
      const type = e.type === 'checkboxes' ? 'checkbox' : 'radio';
      const initial = new Set([...list(e.initial_options), e.initial_option].filter(isObj).map((o) => o.value));
      const name = `${blockId}/${str(e.action_id)}`;
      return `<fieldset class="sbx-choices"${ids} data-type="${escapeHtml(str(e.type))}">${list(e.options)
        .filter(isObj)
        .map((o) => {
          const id = `sbx-choice-${++labelSeq}`;
          return `<div class="sbx-choice"><input type="${type}" id="${id}" class="${input ? 'sbx-field' : 'sbx-toggle'}"${attr('name', name)}${attr('value', o.value)}${initial.has(o.value) ? ' checked' : ''}> <label for="${id}">${textObjectToHtml(o.text, nameOf)}</label></div>`;
        })
        .join('')}</fieldset>`;
    }
    case 'plain_text_input': {
      const name = attr('name', `${blockId}/${str(e.action_id)}`);
      const id = `sbx-input-${blockId}`;
      return e.multiline ? `<textarea id="${escapeHtml(id)}" class="sbx-field" rows="4"${name}${ids}>${escapeHtml(str(e.initial_value))}</textarea>` : `<input id="${escapeHtml(id)}" class="sbx-field" type="text"${name}${ids}${attr('value', e.initial_value)}>`;
    }
    case 'number_input':
    case 'email_input':
    case 'url_input': {
      const type = e.type === 'number_input' ? 'number' : e.type === 'email_input' ? 'email' : 'url';
      return `<input id="${escapeHtml(`sbx-input-${blockId}`)}" class="sbx-field" type="${type}"${attr('name', `${blockId}/${str(e.action_id)}`)}${ids}${attr('value', e.initial_value)} data-type="${escapeHtml(str(e.type))}">`;
    }
    case 'image':
      return `<span class="sbx-image">[${escapeHtml(str(e.alt_text))}]</span>`;
    default:
      return `<span class="sbx-unknown">[${escapeHtml(str(e.type))}]</span>`;
  }
}

function block(b: unknown, index: number, nameOf: NameOf): string {
  if (!isObj(b)) return '';
  const blockId = typeof b.block_id === 'string' ? b.block_id : `b${index}`;
  switch (b.type) {
    case 'header':
      return `<p class="sbx-header">${plain(b.text)}</p>`;
    case 'divider':
      return '<hr class="sbx-divider">';
    case 'section': {
      const text = b.text ? `<div class="sbx-text">${textObjectToHtml(b.text, nameOf)}</div>` : '';
      const fields = list(b.fields).length > 0 ? `<div class="sbx-fields">${list(b.fields).map((f) => `<div>${textObjectToHtml(f, nameOf)}</div>`).join('')}</div>` : '';
      const accessory = b.accessory ? `<div class="sbx-accessory">${element(b.accessory, blockId, nameOf)}</div>` : '';
      return `<div class="sbx-section">${text}${fields}${accessory}</div>`;
    }
    case 'context':
      return `<div class="sbx-context">${list(b.elements)
        .map((e) => (isObj(e) && e.type === 'image' ? `<span>[${escapeHtml(str(e.alt_text))}]</span>` : `<span>${textObjectToHtml(e, nameOf)}</span>`))
        .join(' ')}</div>`;
    case 'actions':
      return `<div class="sbx-actions">${list(b.elements).map((e) => element(e, blockId, nameOf)).join('')}</div>`;
    case 'input': {
      const el = isObj(b.element) ? b.element : {};
      const forId = el.type === 'plain_text_input' || String(el.type).endsWith('_input') ? ` for="${escapeHtml(`sbx-input-${blockId}`)}"` : '';
      const hint = b.hint ? `<p class="sbx-hint">${plain(b.hint)}</p>` : '';
      return `<div class="sbx-input"><label class="sbx-label"${forId}>${plain(b.label)}${b.optional ? ' (optional)' : ''}</label>${hint}${element(el, blockId, nameOf, true)}</div>`;
    }
    case 'image':
      return `<p class="sbx-image">[${escapeHtml(str(b.alt_text))}]</p>`;
    case 'rich_text':
      return `<div class="sbx-text">${escapeHtml(richText(b))}</div>`;
    default:
      return `<p class="sbx-unknown">[a ${escapeHtml(str(b.type))} block]</p>`;
  }
}

/** Rich text's words, without its styles. */
function richText(v: unknown): string {
  if (Array.isArray(v)) return v.map(richText).join('');
  if (!isObj(v)) return '';
  if (typeof v.text === 'string') return v.text;
  return richText(v.elements);
}

/** A message's or view's blocks as HTML; a message without blocks shows its text as mrkdwn. */
export function blocksToHtml(blocks: unknown, fallbackText: string | null, nameOf: NameOf = () => undefined): string {
  const items = list(blocks);
  if (items.length === 0) return `<div class="sbx-text">${mrkdwnToHtml(fallbackText ?? '', nameOf)}</div>`;
  return items.map((b, i) => block(b, i, nameOf)).join('');
}
