import { flow } from "tributaryjs";
import { pipeline } from "./pipeline";
import * as steps from "./pipeline";

// Names taken out of an object of flows, inside a flow and at module level.
const { clean } = pipeline;

export const nightly = flow("nightly", async () => {
  const { load, clean: tidy } = pipeline;
  await load();
  await tidy();
  await clean();
  const { pipeline: again } = steps;
  await again.load();
});
