// A module that exports no flow.
export const batchSize = 10;
export function helper(): number {
  return batchSize;
}
