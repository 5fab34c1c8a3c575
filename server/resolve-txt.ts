/** Looks up the TXT records of a DNS name, like `node:dns/promises` `resolveTxt`. */
export type ResolveTxt = (hostname: string) => Promise<string[][]>;
