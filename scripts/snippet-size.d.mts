export interface SnippetSizes {
  raw: number;
  gzip: number;
  brotli: number;
}
export declare const SIZE_BASELINE_FILE: string;
export declare const SNIPPET_BUILD: import('esbuild').BuildOptions;
export declare function snippetSizes(code: Uint8Array): SnippetSizes;
export declare function buildSnippetInMemory(root: string): Promise<Buffer>;
export declare function readSizeBaseline(root: string): Pick<SnippetSizes, 'raw' | 'gzip'>;
export declare function writeSizeBaseline(root: string, sizes: SnippetSizes): void;
