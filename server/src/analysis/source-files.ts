const SOURCE = /\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

/** TS/JS source (not a declaration file) that analysis may read. */
export function isSourceFile(file: string): boolean {
  return SOURCE.test(file) && !/\.d\.[mc]?ts$/.test(file) && !/[\\/]node_modules[\\/]/.test(file);
}

const TRIBUTARY_IMPORT = /(?:from|import|require\s*\()\s*["']tributaryjs["']/;

/** The cheap text test for flow code: does the file import or require "tributaryjs"? */
export function mentionsTributary(text: string): boolean {
  return text.includes("tributary") && TRIBUTARY_IMPORT.test(text);
}
