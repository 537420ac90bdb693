import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter } from "yaml";
import type { KeyPath } from "./key-path.ts";

/** A 1-based line and column in the YAML source. */
export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * Finds where `path` is written: the key's own line for map entries, the item's line for list
 * entries. When the path does not exist (a missing key) the nearest existing parent is used,
 * which is where the missing key belongs.
 */
export function locateKeyPath(
  doc: Document,
  lineCounter: LineCounter,
  path: KeyPath,
): SourcePosition | undefined {
  let node: unknown = doc.contents;
  let offset = startOffset(node);
  for (const segment of path) {
    const step = stepInto(doc, node, segment);
    if (step === undefined) break;
    offset = step.offset ?? offset;
    node = step.node;
  }
  if (offset === undefined) return undefined;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

function stepInto(doc: Document, parent: unknown, segment: PropertyKey) {
  const node = isAlias(parent) ? parent.resolve(doc) : parent;
  if (isMap(node)) {
    const pair = node.items.find(
      (item) => isScalar(item.key) && String(item.key.value) === String(segment),
    );
    return pair && { node: pair.value, offset: startOffset(pair.key) };
  }
  if (isSeq(node) && typeof segment === "number") {
    const item = node.items[segment];
    return item === undefined ? undefined : { node: item, offset: startOffset(item) };
  }
  return undefined;
}

function startOffset(node: unknown): number | undefined {
  const range = (node as { range?: readonly number[] | null } | null | undefined)?.range;
  return range?.[0];
}
