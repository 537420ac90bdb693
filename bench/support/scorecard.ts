/** Rows: expected class; columns: predicted class; cells: counts. */
export type Confusion = Map<string, Map<string, number>>;

/** Accuracy, per-class precision and recall, and the confusion matrix of one set of predictions. */
export class Scorecard {
  readonly confusion: Confusion = new Map();
  readonly total: number;
  readonly correct: number;

  constructor(expected: readonly string[], predicted: readonly string[]) {
    let correct = 0;
    expected.forEach((want, i) => {
      const got = predicted[i] ?? "";
      if (got === want) correct++;
      const row = this.confusion.get(want) ?? new Map<string, number>();
      row.set(got, (row.get(got) ?? 0) + 1);
      this.confusion.set(want, row);
    });
    this.total = expected.length;
    this.correct = correct;
  }

  /** Every class that occurs as expected or predicted, sorted. */
  departments(): string[] {
    const all = new Set(this.confusion.keys());
    for (const row of this.confusion.values()) for (const key of row.keys()) all.add(key);
    return [...all].sort();
  }

  /** For one class: how many were expected (support), predicted (routed), and both (hits). */
  of(name: string): { support: number; routed: number; hits: number } {
    const row = this.confusion.get(name) ?? new Map<string, number>();
    let support = 0;
    for (const n of row.values()) support += n;
    let routed = 0;
    for (const r of this.confusion.values()) routed += r.get(name) ?? 0;
    return { support, routed, hits: row.get(name) ?? 0 };
  }
}
