// Charts drawn by Chart.js on a canvas; each has a text label for screen readers and the numbers stay on the cards.
import { useEffect, useRef } from 'react';
import {
  ArcElement, BarController, BarElement, CategoryScale, Chart, ChartData, ChartType, DoughnutController, Legend,
  LinearScale, LineController, LineElement, PointElement, Tooltip,
} from 'chart.js';

Chart.register(ArcElement, BarController, BarElement, CategoryScale, DoughnutController, Legend, LinearScale,
  LineController, LineElement, PointElement, Tooltip);

export const PALETTE = ['#1f4f99', '#2e8b57', '#c77800', '#b3261e', '#6b4fa0', '#2b8a9e', '#7a7f87', '#a0527a'];

/** @param onPick called with the index of the label clicked (a bar, a point, a slice): the drill-down */
export function ChartView({ type, data, label, stacked, percent, onPick, testId }: {
  type: ChartType; data: ChartData; label: string; stacked?: boolean; percent?: boolean;
  onPick?: (index: number) => void; testId?: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  const key = JSON.stringify({ type, data, stacked, percent });
  useEffect(() => {
    if (!canvas.current) return;
    const axes = type === 'doughnut' ? {} : {
      x: { stacked: !!stacked },
      y: { stacked: !!stacked, beginAtZero: true, ...(percent ? { max: 1, ticks: { format: { style: 'percent' } } } : {}) },
    };
    const chart = new Chart(canvas.current, {
      type, data,
      options: {
        responsive: true, maintainAspectRatio: false, animation: false, scales: axes as any,
        plugins: { legend: { position: 'bottom' } },
        onClick: (_e, elements) => { if (elements.length && pick.current) pick.current(elements[0].index); },
      },
    });
    return () => chart.destroy();
  }, [key]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <div className="chart" data-testid={testId}>
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
