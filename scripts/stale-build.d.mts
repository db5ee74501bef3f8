export declare const BUILD_INPUTS: string[];
export declare const BUILD_OUTPUTS: string[];
export declare function staleBuild(root: string, inputs?: string[], outputs?: string[]): string | null;
