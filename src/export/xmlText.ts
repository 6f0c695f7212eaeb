/**
 * Characters XML 1.0 forbids outright, and lone surrogate halves. An SVG chart or an XLSX sheet
 * with one of them is rejected whole (resvg refuses the SVG, Excel reports the file as damaged),
 * and residents' text can carry them, so both writers strip them with this one pattern.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
