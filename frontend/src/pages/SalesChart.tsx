import { useEffect, useRef } from 'react'
// Only the parts used, through echarts/core: the bundle stays small.
import * as echarts from 'echarts/core'
import { BarChart, LineChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'
import type { SalesView } from '../api'
import { useT, yen } from '../i18n'

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer])

const colors = ['#2563eb', '#f59e0b', '#10b981', '#8b5cf6', '#64748b', '#ef4444']

// SalesChart draws the net sales of each period, stacked by payment method, with the
// refunds and cancels as a line: the table under it holds the same figures.
export function SalesChart({ data }: { data: SalesView }) {
  const t = useT()
  const el = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!el.current) return
    const chart = echarts.init(el.current, undefined, { renderer: 'canvas' })
    // ECharts draws on a canvas, out of reach of the page's dark CSS: its text and grid
    // take the page's colours (white grid lines glared on the dark page).
    const dark = window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false
    const ink = dark ? '#9aa3b2' : '#6b7280'
    const grid = dark ? '#2a303b' : '#e5e7eb'
    const methods = new Map<string, string>()
    for (const l of data.lines) methods.set(l.method.code, t.label(l.method))
    const series = [...methods.entries()].map(([code, name], i) => {
      const values = data.periods.map(() => 0)
      for (const l of data.lines) if (l.method.code === code) values[l.period] += l.net
      return { name, type: 'bar' as const, stack: 'net', data: values, itemStyle: { color: colors[i % colors.length] }, barMaxWidth: 36 }
    })
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, left: 0, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 12, color: ink } },
      tooltip: {
        trigger: 'axis', axisPointer: { type: 'shadow' },
        valueFormatter: (v: unknown) => yen(Number(v), t.lang),
      },
      xAxis: { type: 'category', data: data.periods.map((p) => shortLabel(p.label)), axisLabel: { fontSize: 11, color: ink }, axisLine: { lineStyle: { color: grid } } },
      yAxis: { type: 'value', axisLabel: { fontSize: 11, color: ink, formatter: (v: number) => compactYen(v, t.lang) }, splitLine: { lineStyle: { color: grid } } },
      series: [
        ...series,
        { name: t.rep.refunded, type: 'line', data: data.perPeriod.map((f) => f.refunded), symbolSize: 4,
          itemStyle: { color: '#dc2626' }, lineStyle: { width: 1.5, type: 'dashed' } },
      ],
    })
    const resize = () => chart.resize()
    window.addEventListener('resize', resize)
    return () => {
      window.removeEventListener('resize', resize)
      chart.dispose()
    }
  }, [data, t.lang]) // eslint-disable-line react-hooks/exhaustive-deps
  return <div ref={el} className="sales-chart" data-testid="sales-chart" role="img" aria-label={t.rep.chartLabel} />
}

// The axis shows 11/03 for a day, 11/02〜 for a week, 2026/11 for a month.
function shortLabel(label: string): string {
  if (/^\d{4}\/\d{2}\/\d{2}〜/.test(label)) return label.slice(5, 10) + '〜'
  if (/^\d{4}\/\d{2}\/\d{2}$/.test(label)) return label.slice(5)
  return label
}

function compactYen(v: number, lang: 'ja' | 'en'): string {
  if (lang === 'ja') {
    if (Math.abs(v) >= 10000) return `${(v / 10000).toLocaleString('ja-JP', { maximumFractionDigits: 1 })}万`
    return v.toLocaleString('ja-JP')
  }
  if (Math.abs(v) >= 1000) return `¥${(v / 1000).toLocaleString('en', { maximumFractionDigits: 1 })}k`
  return `¥${v}`
}
