import { metricDefinition, metricLabel } from './metricLabels';

/** A metric's name for people, its definition one hover (or focus) away. */
export function MetricName({ metric }: { metric: string }) {
  const definition = metricDefinition(metric);
  return definition ? (
    <abbr title={definition} tabIndex={0} data-testid="metric-name">
      {metricLabel(metric)}
    </abbr>
  ) : (
    <span data-testid="metric-name">{metricLabel(metric)}</span>
  );
}
