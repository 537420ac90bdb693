/**
 * The words of a post as the learned router reads them. Pure: no I/O (Intl is computation).
 */
import { foldForMatching } from "./text-folding.ts";
import { UNSPACED } from "./text-match.ts";

const WORD_RUN = /[\p{L}\p{N}\p{M}]+/gu;
const HAS_UNSPACED = new RegExp(`[${UNSPACED}]`, "u");
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
/**
 * ICU's word dictionaries (Chinese and Japanese, Thai, Lao, Khmer, Burmese) apply whatever the
 * locale; a fixed one keeps the answer the same on every machine. A newer Node (and ICU) may
 * split a rare word differently: the model then treats it as unseen until the next retrain.
 */
const SEGMENTER = new Intl.Segmenter("en", { granularity: "word" });

/**
 * The words of `text`: runs of letters, digits and marks, folded as phrase rules fold them
 * (accents on Latin letters and letter width do not count) and in lowercase, with runs in
 * scripts written without spaces cut into their words by dictionary: "Wi-Fi down!!" → ["wi",
 * "fi", "down"], "フライトが遅延しました" → ["フライト", "が", "遅延", "しま", "した"]. Runs of other
 * scripts are kept whole, so ASCII text is read exactly as by the older `tokenize`.
 */
export function segmentWords(text: string): string[] {
  const runs = foldForMatching(text).toLowerCase().match(WORD_RUN) ?? [];
  // Most posts have no word to cut: one look at the whole text instead of one per word.
  if (!HAS_UNSPACED.test(text)) return runs;
  const words: string[] = [];
  for (const run of runs) {
    if (!HAS_UNSPACED.test(run)) {
      words.push(run);
      continue;
    }
    for (const { segment } of SEGMENTER.segment(run)) {
      // A mark left on its own (a stray tone mark, say) is no word.
      if (LETTER_OR_DIGIT.test(segment)) words.push(segment);
    }
  }
  return words;
}
