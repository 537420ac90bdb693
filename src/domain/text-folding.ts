/**
 * The form in which routing compares text: what a reader takes for the same word is made the
 * same string. Pure: no I/O.
 */

const NON_ASCII = /[\u0080-\uFFFF]/;
// Folding can only change what lies outside ASCII; finding those runs first is several times
// cheaper than matching every word of a post by Unicode property.
const NON_ASCII_RUN = /[\u0080-\uFFFF]+/g;
const WORD_CHARACTERS = /[\p{L}\p{N}\p{M}]+/gu;
const LEADING_MARKS = /^\p{M}+/u;
const ASCII_LETTER = /[A-Za-z]/;
/** A Latin letter and the accents on it, once decomposed ("é" is "e" + U+0301). */
const LATIN_ACCENTS = /(\p{sc=Latin})\p{M}+/gu;

/**
 * `text` with each word in its compatibility form (NFKC: full-width "ＷｉＦｉ" is "WiFi",
 * half-width "ﾌﾗｲﾄ" is "フライト", "fancy" 𝗟𝗢𝗦𝗧 is LOST, "ﬁ" is "fi") and without accents
 * on Latin letters ("Café" is "Cafe", "cancelación" is "cancelacion"), since posts often drop
 * them or carry what a phone keyboard made of them. NFC throughout, so a composed and a
 * decomposed "é" are one. Only words change: a symbol such as "™" stays, where NFKC would glue
 * "TM" onto the word before it. Accents on other scripts' letters stay: in Thai, Hindi or
 * Japanese ("ガ" against "カ") the mark is part of the letter. ASCII text is returned as it is.
 */
export function foldForMatching(text: string): string {
  if (isAscii(text)) return text;
  return text
    .normalize("NFC")
    .replace(NON_ASCII_RUN, (run: string, at: number, whole: string) => {
      // An accent NFC has no single letter for ("q" + U+0303) still follows its ASCII base.
      const folded = ASCII_LETTER.test(whole[at - 1] ?? "") ? run.replace(LEADING_MARKS, "") : run;
      return folded.replace(WORD_CHARACTERS, foldLetters);
    })
    .normalize("NFC");
}

function foldLetters(letters: string): string {
  return letters.normalize("NFKC").normalize("NFD").replace(LATIN_ACCENTS, "$1").normalize("NFC");
}

/** True when every UTF-16 unit of `text` is ASCII. */
export function isAscii(text: string): boolean {
  return !NON_ASCII.test(text);
}
