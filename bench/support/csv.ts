import { readFileSync } from "node:fs";

/** The CSV as one object per row, keyed by the header. */
export function readRecords(path: string): Record<string, string>[] {
  const [header = [], ...rows] = parseCsv(readFileSync(path, "utf8"));
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ""])));
}

// A field is quoted ("" escapes a quote; commas and newlines allowed inside) or bare, then ends
// at a comma, a line break or the end of the text. Unrolled to avoid backtracking on long fields.
const CSV_FIELD = /(?:"([^"]*(?:""[^"]*)*)"|([^,"\r\n]*))(,|\r\n|\n|\r|$)/y;

/** Parses RFC 4180 CSV into rows of fields. Throws on a stray or unclosed quote. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  CSV_FIELD.lastIndex = 0;
  while (CSV_FIELD.lastIndex < text.length) {
    const at = CSV_FIELD.lastIndex;
    const match = CSV_FIELD.exec(text);
    if (!match) throw new Error(`malformed CSV near offset ${at}: ${text.slice(at, at + 40)}`);
    row.push(match[1] !== undefined ? match[1].replaceAll('""', '"') : (match[2] ?? ""));
    if (match[3] !== ",") {
      rows.push(row);
      row = [];
    }
  }
  // A trailing comma at the very end leaves one empty field still to close.
  if (row.length > 0) rows.push([...row, ""]);
  return rows;
}
