/**
 * File names a clerk recognises in a download folder: what the file is, in the reader's
 * language (投票-第3号-是否同意加装电梯.xlsx), not an internal slug. Text from residents and
 * committee members goes into these names, so it is made safe for every file system a
 * committee's PC or phone might save to.
 */

/** Characters Windows, macOS or a shell would refuse or misread in a file name (control characters included). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must go
const UNSAFE = /[\\/:*?"<>|\u0000-\u001f\u007f]+/g;

/** Longest stem kept, in characters (Windows paths stay well inside their limit). */
const MAX_STEM = 60;

/** A safe file name from a readable stem and an extension ("csv", "xlsx", "pdf"). */
export function readableFileName(stem: string, extension: string): string {
  const clean = stem.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim().replace(/^\.+/, '');
  const chars = [...clean];
  const cut = chars.length > MAX_STEM ? `${chars.slice(0, MAX_STEM - 1).join('').trimEnd()}…` : clean;
  return `${cut || 'export'}.${extension}`;
}
