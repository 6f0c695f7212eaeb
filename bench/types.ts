/** What every benchmark module returns: figures, each next to a baseline measured in the same run. */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
}

/** One benchmark result. `ratio` = value / baseline.value, so noisy machines still compare. */
export interface BenchResult extends BenchFigure {
  baseline?: BenchFigure;
  ratio?: number;
  /** The target in words, e.g. "≥ 1000 updates/s". */
  target?: string;
  pass?: boolean;
}
