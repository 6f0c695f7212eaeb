/** The buttons of /export: choosing what to export, then (where there is a choice) which item. */
import { defineAction } from '../../core/actionCodec.ts';

/** A feature's exporter (kept as `exp:<id>`). */
export const chooseExport = defineAction('exp', { exporter: 'id' });
/** One item of an exporter: a poll, a period, or "all". */
export const chooseExportItem = defineAction('exp.i', { exporter: 'id', item: 'id' });
