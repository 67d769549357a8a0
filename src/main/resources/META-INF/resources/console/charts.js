// Charts of a link's rows/s and lag over the last hour (GET /api/links/{id}/history), drawn with uPlot, which
// index.html loads from the uplot webjar served by Sluice itself.
import {h, fill} from './dom.js';

/** Draws (or redraws) the two charts into container from a history answer. */
export function drawHistory(container, history) {
  const points = (history && history.points) || [];
  if (typeof uPlot === 'undefined') {
    fill(container, h('p', {class: 'error'}, 'The chart library did not load (/webjars/uplot/).'));
    return;
  }
  if (points.length === 0) {
    fill(container, h('p', {class: 'empty'},
      'No samples yet: Sluice samples every ' + ((history && history.intervalSeconds) || 10) + ' s.'));
    return;
  }
  const times = points.map(p => Date.parse(p.time) / 1000);
  const width = Math.max(300, Math.min(640, (container.clientWidth || 1300) / 2 - 20));
  const rate = h('div', {class: 'chart', dataset: {chart: 'rows-per-second'}});
  const lag = h('div', {class: 'chart', dataset: {chart: 'lag'}});
  fill(container, rate, lag);
  chart(rate, 'Rows/s', 'rows/s', '#2a7ab0', times, points.map(p => p.rowsPerSecond), width);
  chart(lag, 'Lag (s)', 'lag s', '#c0602a', times, points.map(p => p.lagSeconds), width);
}

function chart(target, title, label, color, times, values, width) {
  // eslint-disable-next-line no-new, no-undef
  new uPlot({
    title, width, height: 200,
    series: [{}, {label, stroke: color, width: 2, fill: color + '22'}],
    axes: [{}, {size: 60}],
  }, [times, values], target);
}
