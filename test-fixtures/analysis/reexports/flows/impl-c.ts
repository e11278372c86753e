import { flow } from "tributaryjs";
import { first } from "./index";

const gammaFlow = flow("gamma", async () => {
  await first();
});
export default gammaFlow;
