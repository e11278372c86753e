export * from "tributaryjs";
