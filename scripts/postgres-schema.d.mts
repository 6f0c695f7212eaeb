export function toPostgresSchema(content: string, output?: string): string;
export function postgresSchemaFiles(schemaDir: string, output?: string): { path: string; content: string }[];
