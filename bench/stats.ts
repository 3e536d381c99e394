/** Percentile of a sample (nearest rank). */
export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
};

export const ms = (n: number) => `${n.toFixed(1)} ms`;

export interface Row {
  metric: string;
  value: string;
  baseline: string;
  ratio: string;
}

export const latencyRows = (
  name: string,
  sample: number[],
  baseline: number[],
  baselineName: string,
): Row[] =>
  [50, 99].map((p) => ({
    metric: `${name} p${p}`,
    value: ms(percentile(sample, p)),
    baseline: `${ms(percentile(baseline, p))} (${baselineName})`,
    ratio: `${(percentile(sample, p) / percentile(baseline, p)).toFixed(1)}x`,
  }));

export const printTable = (rows: Row[]) => {
  const header =
    "| metric | AgentVine | baseline (same run, same engines) | ratio |\n| --- | --- | --- | --- |";
  console.log(
    [header, ...rows.map((r) => `| ${r.metric} | ${r.value} | ${r.baseline} | ${r.ratio} |`)].join("\n"),
  );
};
