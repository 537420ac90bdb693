import { isObj, type Obj } from "../args.ts";
import { BLOCK_LIMITS as L, UNCONFIRMED } from "../limits.ts";
import { ALLOWED, checkElement, imageElement } from "./element-checks.ts";
import type { Issues } from "./issues.ts";
import { checkBlockFields, checkElementFields } from "./known-fields.ts";
import { checkArray, checkString, checkText, requireString, requireText } from "./text-checks.ts";

type BlockCheck = (block: Obj, at: string, out: Issues) => void;

/** Reports action_ids repeated within one block. */
function checkUniqueActionIds(ids: Array<string | undefined>, at: string, out: Issues): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (id === undefined) return;
    if (seen.has(id)) out.add(`${at}/${i}/action_id`, `duplicate action_id: ${id}`);
    seen.add(id);
  });
}

const section: BlockCheck = (b, at, out) => {
  if (b.text === undefined && b.fields === undefined) {
    out.add(at, "must provide either text or fields");
  }
  checkText(b.text, `${at}/text`, out, { min: 1, max: L.sectionText });
  const fields = checkArray(b.fields, `${at}/fields`, out, { min: 1, max: L.sectionFields });
  fields?.forEach((f, i) => {
    checkText(f, `${at}/fields/${i}`, out, { min: 1, max: L.sectionFieldText });
  });
  if (b.accessory !== undefined)
    checkElement(b.accessory, `${at}/accessory`, out, ALLOWED.accessory);
};

const header: BlockCheck = (b, at, out) =>
  requireText(b, "text", at, out, { max: L.headerText, plainOnly: true });

const context: BlockCheck = (b, at, out) => {
  if (b.elements === undefined) {
    out.missing(at, "elements");
    return;
  }
  const els = checkArray(b.elements, `${at}/elements`, out, { min: 1, max: L.contextElements });
  els?.forEach((el, i) => {
    const elAt = `${at}/elements/${i}`;
    if (isObj(el) && el.type === "image") {
      imageElement(el, elAt, out);
      checkElementFields(el, elAt, out);
      return;
    }
    checkText(el, elAt, out, { min: 1, max: L.sectionText });
  });
};

const actions: BlockCheck = (b, at, out) => {
  if (b.elements === undefined) {
    out.missing(at, "elements");
    return;
  }
  const els = checkArray(b.elements, `${at}/elements`, out, { min: 1, max: L.actionsElements });
  const ids = (els ?? []).map((el, i) =>
    checkElement(el, `${at}/elements/${i}`, out, ALLOWED.actions),
  );
  checkUniqueActionIds(ids, `${at}/elements`, out);
};

const input: BlockCheck = (b, at, out) => {
  requireText(b, "label", at, out, { max: L.inputLabel, plainOnly: true });
  checkText(b.hint, `${at}/hint`, out, { max: L.inputHint, plainOnly: true });
  if (b.element === undefined) {
    out.missing(at, "element");
    return;
  }
  checkElement(b.element, `${at}/element`, out, ALLOWED.input);
};

const image: BlockCheck = (b, at, out) => {
  imageElement(b, at, out);
  checkText(b.title, `${at}/title`, out, { max: L.imageTitle, plainOnly: true });
};

const richText: BlockCheck = (b, at, out) => {
  // Lenient: only the container shape is checked; rich_text internals vary widely.
  if (!Array.isArray(b.elements)) out.missing(at, "elements");
};

const markdown: BlockCheck = (b, at, out) =>
  requireString(b, "text", at, out, { min: 1, max: L.markdownText });

const CHECKS: Record<string, BlockCheck> = {
  section,
  header,
  context,
  actions,
  divider: () => {},
  input,
  image,
  rich_text: richText,
  markdown,
};

/** Checks one block's type-specific rules. */
function checkBlock(block: unknown, at: string, out: Issues): void {
  if (!isObj(block)) {
    out.add(at, "must be an object");
    return;
  }
  if (typeof block.type !== "string") {
    out.missing(at, "type");
    return;
  }
  checkString(block.block_id, `${at}/block_id`, out, { min: 1, max: L.blockId });
  const check = CHECKS[block.type];
  if (check) {
    check(block, at, out);
    checkBlockFields(block, at, out);
    return;
  }
  const lenient: readonly string[] = UNCONFIRMED.lenientBlockTypes;
  if (!lenient.includes(block.type)) out.add(`${at}/type`, `unsupported type: ${block.type}`);
}

/**
 * Checks a blocks array: count, each block, and block_id uniqueness. `at` is the pointer of
 * the array ("/blocks" or "/view/blocks").
 */
export function checkBlocks(blocks: unknown, at: string, out: Issues, maxBlocks: number): void {
  const list = checkArray(blocks, at, out, { max: maxBlocks });
  const seen = new Set<string>();
  list?.forEach((block, i) => {
    checkBlock(block, `${at}/${i}`, out);
    const id = isObj(block) ? block.block_id : undefined;
    if (typeof id !== "string") return;
    if (seen.has(id)) out.add(`${at}/${i}/block_id`, `duplicate block_id: ${id}`);
    seen.add(id);
  });
}
