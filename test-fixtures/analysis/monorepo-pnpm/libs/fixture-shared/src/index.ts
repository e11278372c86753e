export const enrich = async () => undefined;
