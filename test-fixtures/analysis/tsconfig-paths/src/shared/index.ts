export const WAREHOUSE_FLOW = "warehouse-sync";
