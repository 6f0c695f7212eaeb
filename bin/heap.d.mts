export declare const EXPORT_HEAP_FLAG: string;
