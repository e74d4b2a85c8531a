import type { EChartsCoreOption } from 'echarts/core';

export interface EChartProps {
  /** The chart, as ECharts options; the chart redraws when it changes. */
  option: EChartsCoreOption;
  height?: string;
  testid?: string;
}
