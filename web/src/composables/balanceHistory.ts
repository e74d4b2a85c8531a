import type { StatementItem } from '@canteen/server/api';
import { formatFen } from './money.ts';

export interface BalancePoint {
  at: string;
  /** What the person could spend (subsidy + own funds) right after this movement. */
  spendableFen: number;
  subsidyFen: number;
  ownFen: number;
}

/**
 * The balance after each movement, oldest first, worked back from today's balance through the
 * statement's changes (newest first): integer fen all the way, so the last point is today's balance.
 * The first point is the balance just before the oldest movement, so even one movement draws a line.
 */
export function balanceHistory(
  now: { subsidyFen: number; ownFen: number },
  newestFirst: Pick<StatementItem, 'createdAt' | 'subsidyFen' | 'ownFen'>[],
): BalancePoint[] {
  let subsidy = now.subsidyFen;
  let own = now.ownFen;
  const points: BalancePoint[] = [];
  for (const item of newestFirst) {
    points.push({ at: item.createdAt, subsidyFen: subsidy, ownFen: own, spendableFen: subsidy + own });
    subsidy -= item.subsidyFen;
    own -= item.ownFen;
  }
  const oldest = newestFirst.at(-1);
  if (oldest) points.push({ at: oldest.createdAt, subsidyFen: subsidy, ownFen: own, spendableFen: subsidy + own });
  return points.reverse();
}

/** What ECharts hands a tooltip formatter for each line at the pointed time. */
interface TooltipLine {
  marker: string;
  seriesName: string;
  value: [number, number];
}

export interface BalanceChartWords {
  spendable: string;
  subsidy: string;
  own: string;
  /** A calendar day for the axis, in the hospital's zone. */
  day: (at: number) => string;
  /** The moment of a movement, for the tooltip. */
  dateTime: (at: number) => string;
}

/**
 * The balance over time as an ECharts option: a time axis (movements are uneven in time, so a day
 * without any takes its width) labelled with local days, one stepped line per balance. Every number
 * is integer fen, shown through formatFen, never divided as a float.
 */
export function balanceChartOption(points: BalancePoint[], words: BalanceChartWords) {
  const line = (name: string, fen: (p: BalancePoint) => number, extra: object = {}) => ({
    name,
    type: 'line',
    step: 'end',
    data: points.map((p) => [Date.parse(p.at), fen(p)]),
    ...extra,
  });
  return {
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    legend: { top: 0, right: 0 },
    tooltip: {
      trigger: 'axis',
      // The moment in the hospital's zone, then each balance in yuan.
      formatter: (lines: TooltipLine[]) => {
        const at = lines[0]?.value[0];
        const head = at === undefined ? '' : `${words.dateTime(at)}<br/>`;
        return head + lines.map((l) => `${l.marker}${l.seriesName} ${formatFen(l.value[1])}`).join('<br/>');
      },
    },
    xAxis: {
      type: 'time',
      axisLabel: { formatter: (at: number) => words.day(at), hideOverlap: true },
      splitLine: { show: false },
    },
    yAxis: { type: 'value', axisLabel: { formatter: (fen: number) => formatFen(Math.round(fen), { symbol: false }) } },
    series: [
      line(words.spendable, (p) => p.spendableFen, { areaStyle: { opacity: 0.08 } }),
      line(words.subsidy, (p) => p.subsidyFen, { symbol: 'none' }),
      line(words.own, (p) => p.ownFen, { symbol: 'none' }),
    ],
  };
}
