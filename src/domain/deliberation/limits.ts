/** Lengths and page sizes of the deliberation (characters are counted as people count them). */
export const DELIBERATION_LIMITS = {
  /** A comment: long enough for a reasoned opinion, short enough to read in a chat. */
  commentMin: 2,
  commentMax: 1000,
  /** A vote's reason is one line. */
  reasonMax: 140,
  /** A closing statement and a moderator's reason. */
  statementMax: 1000,
  moderationReasonMax: 200,
  /** Comments shown per page, newest first. */
  pageSize: 5,
  /** Pending comments shown in one /moderate answer. */
  queueSize: 5,
  /** Longest deliberation period before a vote, in days. */
  periodMaxDays: 30,
} as const;

/** Characters as a person counts them. */
export const lengthOf = (s: string) => [...s].length;

/** Strips control characters and trims; keeps line breaks inside a comment. */
export function cleanMultiline(raw: string): string {
  return raw
    .replace(/\r\n?/g, '\n')
    .replace(/[^\P{Cc}\n]|\p{Cf}/gu, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** One line: control characters and line breaks become spaces. */
export function cleanLine(raw: string): string {
  return raw.replace(/[\p{Cc}\p{Cf}]/gu, ' ').replace(/\s+/g, ' ').trim();
}
