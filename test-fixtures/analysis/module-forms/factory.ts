import { flow, deploy } from "tributaryjs";

function makeFlow(name: string) {
  return flow(name, async () => name);
}

// Neither the name nor the flow given to deploy() can be followed.
export const made = makeFlow("made");
export const madeDeployment = deploy(made, { name: "manual", schedule: { interval: 60 } });
