/** See regex-literals.mjs. */
export declare function requiredLiterals(source: string, flags: string): { literals: string[]; lower: boolean } | null;
export declare function literalScreen(texts: string[]): (spec: { text?: number; prefilter: { literals: string[]; lower: boolean } | null }) => boolean;
