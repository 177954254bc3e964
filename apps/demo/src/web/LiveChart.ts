// A live line chart of the view model's samples, drawn by uPlot. Its colours are the page's CSS
// variables, read again when the colour scheme changes; its width follows its container.
import uPlot from 'uplot'
import uplotCss from 'uplot/dist/uPlot.min.css'
import type { Sample } from '../viewModel'

let styled = false
/** uPlot's own stylesheet, once per page. */
const addStyle = (): void => {
  if (styled) return
  styled = true
  const style = document.createElement('style')
  style.textContent = uplotCss
  document.head.append(style)
}

export interface LiveChartSeries {
  readonly label: string
  /** The CSS variable of its colour (`--in`). */
  readonly color: string
  readonly value: (sample: Sample) => number
}

export interface LiveChartOptions {
  readonly container: HTMLElement
  readonly series: ReadonlyArray<LiveChartSeries>
  /** The y axis' values in words (`1.5 KiB/s`). */
  readonly format: (value: number) => string
  /** Seconds of history shown. */
  readonly windowSeconds: number
}

const cssVar = (name: string): string =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888'

export class LiveChart {
  private plot: uPlot | undefined
  private samples: ReadonlyArray<Sample> = []
  private readonly resize: ResizeObserver
  private readonly scheme = matchMedia('(prefers-color-scheme: dark)')

  constructor(private readonly options: LiveChartOptions) {
    addStyle()
    this.resize = new ResizeObserver(() => this.plot?.setSize(this.size()))
    this.resize.observe(options.container)
    // Axis and line colours are set when a chart is made: a new scheme makes a new chart.
    this.scheme.addEventListener('change', () => this.rebuild())
    this.rebuild()
  }

  private size(): { width: number; height: number } {
    const box = this.options.container.getBoundingClientRect()
    return {
      width: Math.max(200, Math.floor(box.width)),
      height: Math.max(120, Math.floor(box.height)),
    }
  }

  private rebuild(): void {
    this.plot?.destroy()
    const text = cssVar('--muted')
    const grid = cssVar('--line')
    const axis = (format?: (value: number) => string): uPlot.Axis => ({
      stroke: text,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 },
      ...(format === undefined
        ? {}
        : { size: 70, values: (_: uPlot, ticks: number[]) => ticks.map(format) }),
    })
    this.plot = new uPlot(
      {
        ...this.size(),
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
        axes: [axis(), axis(this.options.format)],
        series: [
          {},
          ...this.options.series.map((s) => ({
            label: s.label,
            stroke: cssVar(s.color),
            width: 2,
            points: { show: false },
          })),
        ],
      },
      this.data(),
      this.options.container,
    )
  }

  private data(): uPlot.AlignedData {
    const last = this.samples[this.samples.length - 1]
    const from = last === undefined ? 0 : last.at - this.options.windowSeconds * 1000
    const shown = this.samples.filter((s) => s.at >= from)
    return [
      shown.map((s) => s.at / 1000),
      ...this.options.series.map((series) => shown.map(series.value)),
    ]
  }

  /** Draws these samples (oldest first). */
  update(samples: ReadonlyArray<Sample>): void {
    if (samples === this.samples) return
    this.samples = samples
    const data = this.data()
    this.plot?.setData(data)
    const container = this.options.container
    container.dataset['points'] = String(data[0].length)
    container.dataset['last'] = String(data[0][data[0].length - 1] ?? '')
  }
}
