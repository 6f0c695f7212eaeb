// The V8 heap limit `linli export` runs with (see linli.mjs); the export benchmark uses the same.
export const EXPORT_HEAP_FLAG = '--max-old-space-size=160';
