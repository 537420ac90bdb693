/** One Block Kit problem: a JSON pointer into the request and what is wrong there. */
export interface Issue {
  pointer: string;
  message: string;
}

/** Collects issues while a payload is walked. */
export class Issues {
  readonly list: Issue[] = [];

  /** Records a problem at a pointer. */
  add(pointer: string, message: string): void {
    this.list.push({ pointer, message });
  }

  /** Records a missing required field of the object at pointer. */
  missing(pointer: string, field: string): void {
    this.add(pointer, `missing required field: ${field}`);
  }

  get empty(): boolean {
    return this.list.length === 0;
  }
}

/** Slack's response_metadata.messages form: "[ERROR] msg [json-pointer:/blocks/0/text]". */
export function formatIssues(issues: Issues): string[] {
  return issues.list.map((i) => `[ERROR] ${i.message} [json-pointer:${i.pointer}]`);
}

/** Length in characters as Slack counts them (code points, not UTF-16 units). */
export function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n += 1;
  return n;
}
