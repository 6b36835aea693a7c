/** The generated files of the typed client for a document, by path within packages/client. */
export function generatedClientFiles(document: unknown): Promise<Record<string, string>>;
