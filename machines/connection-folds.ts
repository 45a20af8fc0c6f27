/**
 * The connection chart's folds (BENCHMARKS.md rounds 36 (raise) and 37 (size)): a named action of a
 * straight edge into `reconnecting` that runs several in one assign, by name → the actions it stands
 * for, in the order the way through `disconnected` runs them. Data for the chart model only
 * (./chart-model.ts matches such an edge with that way and leaves it out of the drawings): no chart
 * carries it, so the browser bundles, which never import the chart model, leave it out.
 */
export const CONNECTION_FOLDS: Readonly<Record<string, readonly string[]>> = {
  recordLossAndPlanRetry: ['recordLoss', 'planRetry'],
  recordReasonAndPlanRetry: ['recordReason', 'planRetry'],
};
