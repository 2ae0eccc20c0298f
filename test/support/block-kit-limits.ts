/**
 * Slack's Block Kit limits, checked the way Slack reports them: one message per breach
 * with a JSON pointer, e.g. `must be less than 51 items [json-pointer:/blocks]`.
 */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  sectionFieldText: 2000,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  messageText: 40_000,
} as const;

type Json = Record<string, unknown>;

function textOf(t: unknown): string | undefined {
  return t && typeof t === 'object' && typeof (t as Json).text === 'string' ? ((t as Json).text as string) : undefined;
}

function checkElement(el: Json, pointer: string, out: string[]): void {
  if (typeof el.action_id === 'string' && el.action_id.length > LIMITS.actionId) {
    out.push(`must be less than ${LIMITS.actionId + 1} characters [json-pointer:${pointer}/action_id]`);
  }
  if (el.type === 'button' && typeof el.value === 'string' && el.value.length > LIMITS.buttonValue) {
    out.push(`must be less than ${LIMITS.buttonValue + 1} characters [json-pointer:${pointer}/value]`);
  }
}

/** Returns Slack-style error messages; empty when the blocks are within limits. */
export function checkBlocks(blocks: unknown, where: 'message' | 'view', basePointer: string): string[] {
  const out: string[] = [];
  if (!Array.isArray(blocks)) return [`must be an array [json-pointer:${basePointer}]`];
  const max = where === 'message' ? LIMITS.messageBlocks : LIMITS.viewBlocks;
  if (blocks.length > max) out.push(`must be less than ${max + 1} items [json-pointer:${basePointer}]`);
  blocks.forEach((raw, i) => {
    const b = (raw ?? {}) as Json;
    const p = `${basePointer}/${i}`;
    if (typeof b.type !== 'string') out.push(`missing required field: type [json-pointer:${p}]`);
    if (typeof b.block_id === 'string' && b.block_id.length > LIMITS.blockId) {
      out.push(`must be less than ${LIMITS.blockId + 1} characters [json-pointer:${p}/block_id]`);
    }
    if (b.type === 'section') {
      const text = textOf(b.text);
      if (text !== undefined && text.length > LIMITS.sectionText) {
        out.push(`must be less than ${LIMITS.sectionText + 1} characters [json-pointer:${p}/text/text]`);
      }
      if (text !== undefined && text.length === 0) out.push(`must be more than 0 characters [json-pointer:${p}/text/text]`);
      if (Array.isArray(b.fields)) {
        b.fields.forEach((f, j) => {
          const ft = textOf(f);
          if (ft !== undefined && ft.length > LIMITS.sectionFieldText) {
            out.push(`must be less than ${LIMITS.sectionFieldText + 1} characters [json-pointer:${p}/fields/${j}/text]`);
          }
        });
      }
      if (b.accessory && typeof b.accessory === 'object') checkElement(b.accessory as Json, `${p}/accessory`, out);
    }
    if (b.type === 'actions' && Array.isArray(b.elements)) {
      b.elements.forEach((el, j) => checkElement((el ?? {}) as Json, `${p}/elements/${j}`, out));
    }
    if (b.type === 'input' && b.element && typeof b.element === 'object') checkElement(b.element as Json, `${p}/element`, out);
  });
  return out;
}
