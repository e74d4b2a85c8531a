import { describe, expect, it } from 'vitest';
import { balanceChartOption, balanceHistory } from './balanceHistory.ts';
import { formatInHospitalZone } from './useDateTime.ts';

describe('balanceHistory', () => {
  it('works back from today to the balance before the oldest movement and after each one, oldest first', () => {
    const points = balanceHistory({ subsidyFen: 30000, ownFen: 4500 }, [
      { createdAt: '2026-03-03T04:00:00Z', subsidyFen: -500, ownFen: 0 },
      { createdAt: '2026-03-02T04:00:00Z', subsidyFen: 0, ownFen: 4500 },
      { createdAt: '2026-03-01T04:00:00Z', subsidyFen: 30500, ownFen: 0 },
    ]);
    expect(points.map((p) => [p.at.slice(0, 10), p.subsidyFen, p.ownFen, p.spendableFen])).toEqual([
      ['2026-03-01', 0, 0, 0],
      ['2026-03-01', 30500, 0, 30500],
      ['2026-03-02', 30500, 4500, 35000],
      ['2026-03-03', 30000, 4500, 34500],
    ]);
  });

  it('has no points without movements', () => {
    expect(balanceHistory({ subsidyFen: 0, ownFen: 0 }, [])).toEqual([]);
  });
});

describe('balanceChartOption', () => {
  const points = balanceHistory({ subsidyFen: 30000, ownFen: 4500 }, [
    // 00:30 on 2 March in Shanghai is still 1 March in UTC.
    { createdAt: '2026-03-01T16:30:00Z', subsidyFen: 0, ownFen: 4500 },
    { createdAt: '2026-02-27T04:00:00Z', subsidyFen: 30000, ownFen: 0 },
  ]);
  const option = (locale: string) =>
    balanceChartOption(points, {
      spendable: 'available',
      subsidy: 'subsidy',
      own: 'own',
      day: (at) => formatInHospitalZone(locale, at, { month: 'short', day: 'numeric' }),
      dateTime: (at) => formatInHospitalZone(locale, at, { dateStyle: 'medium', timeStyle: 'short' }),
    });

  it('puts the movements on a time axis, at their moments', () => {
    const { xAxis, series } = option('zh-CN');
    expect(xAxis.type).toBe('time');
    expect(series[0]?.data.map(([at]) => new Date(at ?? 0).toISOString())).toEqual([
      '2026-02-27T04:00:00.000Z',
      '2026-02-27T04:00:00.000Z',
      '2026-03-01T16:30:00.000Z',
    ]);
    expect(series[0]?.data.map(([, fen]) => fen)).toEqual([0, 30000, 34500]);
  });

  it.each([
    ['zh-CN', '3月2日'],
    ['en', 'Mar 2'],
  ])('labels the axis with the local day (%s: %s)', (locale, label) => {
    expect(option(locale).xAxis.axisLabel.formatter(Date.parse('2026-03-01T16:30:00Z'))).toBe(label);
  });

  it('says the moment and each balance in yuan in the tooltip', () => {
    const text = option('zh-CN').tooltip.formatter([
      { marker: '•', seriesName: 'available', value: [Date.parse('2026-03-01T16:30:00Z'), 34500] },
      { marker: '•', seriesName: 'own', value: [Date.parse('2026-03-01T16:30:00Z'), 4500] },
    ]);
    expect(text).toBe('2026年3月2日 00:30<br/>•available ¥345.00<br/>•own ¥45.00');
  });
});
