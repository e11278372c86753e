export interface BaseParams {
  table: string;
  limit?: number;
}
