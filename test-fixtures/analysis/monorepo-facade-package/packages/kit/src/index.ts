// The team's own entry to tributaryjs: flow files import this package, never "tributaryjs".
export { deploy, flow, runDeployment } from "tributaryjs";
