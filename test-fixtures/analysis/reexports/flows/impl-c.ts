import { flow } from "tributary";
import { first } from "./index";

const gammaFlow = flow("gamma", async () => {
  await first();
});
export default gammaFlow;
