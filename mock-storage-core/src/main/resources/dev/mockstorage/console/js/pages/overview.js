// Overview: health, uptime, totals, and a live chart of S3 requests per second and mean latency,
// computed from the counters GET /metrics serves (the same figures Prometheus scrapes).
import {get} from '../api.js';
import {bytes, count, duration, every, fill, h, statusBadge} from '../ui.js';

export const title = 'Overview';

const POINTS = 60;
const INTERVAL_MS = 2000;
/** Operations of the admin API and the console itself; the chart shows S3 traffic only. */
const NOT_S3 = /^(Admin.*|Health|Metrics|Console)$/;

export function show(main) {
  const status = h('div');
  const cards = h('div.grid');
  const chart = h('div.chart');
  const nodes = h('div');
  fill(main, h('h1', 'Overview'),
    h('section.panel', {'aria-labelledby': 'health-h'}, h('h2#health-h', 'Health'), status),
    cards,
    h('section.panel', {'aria-labelledby': 'chart-h'}, h('h2#chart-h', 'S3 requests'), chart),
    h('section.panel', {'aria-labelledby': 'nodes-h'}, h('h2#nodes-h', 'Storage nodes'), nodes));
  const history = [];
  let previous = null;
  return every(INTERVAL_MS, async () => {
    const [health, stats, metrics] = await Promise.allSettled([get('/health'), get('/api/v1/stats'), get('/metrics')]);
    if (health.status === 'fulfilled') {
      const hv = health.value;
      fill(status, h('p', statusBadge(hv.status), ' ', h('span', 'uptime ', h('strong', duration(hv.uptime_ms)))),
        hv.reason ? h('p#health-reason', hv.reason) : null);
      fill(nodes, h('ul', hv.nodes.map(n => h('li', h('code', n.id), ' ', h('span.badge.' + (n.status === 'UP' ? 'ok' : 'bad'),
        n.status), n.reason ? ' ' + n.reason : ''))));
    } else {
      fill(status, h('p.message.error', {role: 'alert'}, 'Health unknown: ' + health.reason));
    }
    if (stats.status === 'fulfilled') {
      const s = stats.value;
      const card = (label, value, id) => h('div.card', h('div.label', label), h('div.value', {id}, value));
      fill(cards, card('Buckets', count(s.buckets.length), 'total-buckets'),
        card('Objects', count(s.objects.count), 'total-objects'), card('Stored', bytes(s.objects.bytes), 'total-bytes'),
        card('Queue', count(s.queue.depth) + ' open', 'queue-depth'),
        card('Failed tasks', count(s.queue.failed), 'queue-failed'),
        card('Third party', `${count(s.third_party.hits)} hits · ${count(s.third_party.misses)} misses`, 'third-party-totals'));
    }
    if (metrics.status === 'fulfilled') {
      const now = performance.now();
      const sample = {time: now, ...totals(metrics.value)};
      if (previous) {
        const dt = (sample.time - previous.time) / 1000;
        const dn = sample.count - previous.count;
        history.push({rps: dn / dt, latency: dn > 0 ? (sample.sum - previous.sum) / dn * 1000 : null});
        if (history.length > POINTS) history.shift();
      }
      previous = sample;
      drawChart(chart, history);
    } else {
      fill(chart, h('p.muted', 'No chart: ' + metrics.reason + ' (metrics.enabled=false turns /metrics off).'));
    }
  });
}

/** Sums the S3 request counter and the latency histogram's _sum and _count over operations and statuses. */
function totals(text) {
  let count = 0;
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^mockstorage_request_duration_seconds_(sum|count)\{operation="([^"]*)"[^}]*\} (\S+)/.exec(line);
    if (!m || NOT_S3.test(m[2])) continue;
    if (m[1] === 'sum') sum += Number(m[3]);
    else count += Number(m[3]);
  }
  return {count, sum};
}

function drawChart(el, history) {
  const W = 600;
  const H = 160;
  const last = history[history.length - 1];
  const maxRps = Math.max(1, ...history.map(p => p.rps));
  const maxLat = Math.max(1, ...history.map(p => p.latency || 0));
  const x = i => (W * i) / Math.max(history.length - 1, 1); // the samples so far across the width
  const line = (values, max) => values.map((v, i) => v === null ? null : `${x(i).toFixed(1)},${(H - (v / max) * (H - 10)).toFixed(1)}`)
    .filter(Boolean).join(' ');
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', last ? `Last ${history.length} samples; now ${last.rps.toFixed(1)} requests per second`
    + (last.latency === null ? '' : `, mean latency ${last.latency.toFixed(2)} ms`) : 'No samples yet');
  for (const [values, max, color] of [[history.map(p => p.rps), maxRps, '#2563eb'],
    [history.map(p => p.latency), maxLat, '#ea580c']]) {
    const poly = document.createElementNS(ns, 'polyline');
    poly.setAttribute('points', line(values, max));
    poly.setAttribute('fill', 'none');
    poly.setAttribute('stroke', color);
    poly.setAttribute('stroke-width', '2');
    poly.setAttribute('vector-effect', 'non-scaling-stroke');
    svg.append(poly);
  }
  if (last) { // the newest sample as dots, so the first one shows before there is a line
    for (const [v, max, color] of [[last.rps, maxRps, '#2563eb'], [last.latency, maxLat, '#ea580c']]) {
      if (v === null) continue;
      const dot = document.createElementNS(ns, 'circle');
      Object.entries({cx: x(history.length - 1), cy: H - (v / max) * (H - 10), r: 4, fill: color})
        .forEach(([k, value]) => dot.setAttribute(k, value));
      svg.append(dot);
    }
  }
  const axis = document.createElementNS(ns, 'line');
  Object.entries({x1: 0, y1: H - 0.5, x2: W, y2: H - 0.5, stroke: '#d8dde3'}).forEach(([k, v]) => axis.setAttribute(k, v));
  svg.append(axis);
  fill(el, h('div.legend',
    h('span.rps', 'requests/s ', h('strong#rps-now', last ? last.rps.toFixed(1) : '–'), ` (max ${maxRps.toFixed(1)})`),
    h('span.lat', 'mean latency ', h('strong#latency-now', last && last.latency !== null ? last.latency.toFixed(2) + ' ms' : '–'),
      ` (max ${maxLat.toFixed(2)} ms)`)), svg,
  h('p.muted', `Every ${INTERVAL_MS / 1000} s from /metrics (mockstorage_request_duration_seconds), S3 operations only.`));
}
