// The project's own entry to the package: flow files import from here, never "tributaryjs".
export { flow, task, deploy, runDeployment } from "tributaryjs";
