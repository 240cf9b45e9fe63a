import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface Series {
  label: string;
  values: number[];
  /** A CSS colour or variable of the theme. */
  colour: string;
  bars?: boolean;
}

/** A uPlot chart with axes and numbers, in the theme's colours, sized to its container.
 * Values are for drawing only; every figure shown as text comes from the API's decimals.
 * With more than one series the legend names them with their values at the cursor, or at
 * the latest point.
 * `summary` is the chart's text alternative. */
export function LineBarChart({
  x,
  xLabel,
  series,
  format,
  summary,
  height = 180,
}: {
  x: number[];
  xLabel: (value: number) => string;
  series: Series[];
  format: (value: number) => string;
  summary: string;
  height?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const css = getComputedStyle(document.documentElement);
    const token = (name: string) => css.getPropertyValue(name).trim() || name;
    const colour = (c: string) => (c.startsWith("--") ? token(c) : c);
    const axis = { stroke: token("--muted"), grid: { stroke: token("--line"), width: 1 }, ticks: { stroke: token("--line") } };
    const bars = uPlot.paths.bars?.({ size: [0.6, 48] });
    // The legend shows the point under the cursor, and the latest one otherwise (rather
    // than labels without values).
    const latest = (u: uPlot) => {
      if (u.cursor.idx == null && x.length > 0) u.setLegend({ idx: x.length - 1 });
    };
    const plot = new uPlot(
      {
        width: element.clientWidth || 300,
        height,
        legend: { show: series.length > 1 },
        cursor: { points: { size: 6 } },
        hooks: { setCursor: [latest] },
        scales: { x: { time: false } },
        axes: [
          { ...axis, values: (_u, ticks) => ticks.map((t) => xLabel(t)) },
          { ...axis, size: 70, values: (_u, ticks) => ticks.map((t) => format(t)) },
        ],
        series: [
          { label: "Month", value: (_u, v) => xLabel(v) },
          ...series.map((s) => ({
            label: s.label,
            stroke: colour(s.colour),
            fill: s.bars ? colour(s.colour) : undefined,
            width: s.bars ? 0 : 2,
            paths: s.bars ? bars : undefined,
            points: { show: !s.bars && x.length < 30 },
            value: (_u: uPlot, v: number | null) => (v == null ? "" : format(v)),
          })),
        ],
      },
      [x, ...series.map((s) => s.values)],
      element,
    );
    latest(plot);
    const resize = new ResizeObserver(() => plot.setSize({ width: element.clientWidth, height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [x, series, xLabel, format, height]);
  return (
    <figure>
      <div ref={box} className="w-full" aria-hidden="true" />
      <figcaption className="sr-only">{summary}</figcaption>
    </figure>
  );
}
