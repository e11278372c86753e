// Subflow dependencies: one parent flow runs upstream, data processing and downstream in order,
// each as a nested flow run, and passes results along.
import { flow, getRunLogger } from "tributaryjs";
import { dataProcessing } from "./data-processing-flow";
import { downstream } from "./downstream-flow";
import { upstream } from "./upstream-flow";

export const orchestrator = flow(
  "orchestrator-flow",
  { description: "Runs upstream, data processing and downstream as subflows.", tags: ["orchestration"] },
  async () => {
    const log = getRunLogger();
    log.info("Starting upstream");
    const upstreamResult = await upstream({ batchSize: 5, triggerDownstream: false });
    log.info(`Upstream prepared ${upstreamResult.batchId}; starting data processing`);
    const processingResult = await dataProcessing({ source: `${upstreamResult.batchId}.csv` });
    const downstreamResult = await downstream({ upstreamBatchId: upstreamResult.batchId });
    log.info("All subflows completed");
    return { allResults: [upstreamResult, processingResult, downstreamResult] };
  },
);
