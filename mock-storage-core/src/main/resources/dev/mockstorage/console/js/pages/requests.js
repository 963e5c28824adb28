// Requests: the S3 request journal, newest first, polled every second while the page is open; filters by
// bucket, operation and status (applied by the server); one request's headers and error.
import {admin, get} from '../api.js';
import {bytes, every, fill, h, message, table, time} from '../ui.js';

export const title = 'Requests';

const SHOWN = 200;
const INTERVAL_MS = 1000;

export function show(main, params, info) {
  const bucket = h('input#filter-bucket', {name: 'bucket', autocomplete: 'off', value: params.get('bucket') || ''});
  const operation = h('input#filter-operation', {name: 'operation', autocomplete: 'off', list: 'operations',
    placeholder: 'e.g. PutObject', value: params.get('operation') || ''});
  const operations = h('datalist#operations');
  const status = h('input#filter-status', {name: 'status', inputmode: 'numeric', autocomplete: 'off', size: 5,
    placeholder: 'e.g. 404', value: params.get('status') || ''});
  const live = h('input#live', {type: 'checkbox', checked: true});
  const box = h('div.message');
  const summary = h('p.muted#requests-summary', {'aria-live': 'polite'});
  const list = h('div#requests-list');
  const detail = h('section.panel#request-detail', {'aria-labelledby': 'detail-h', tabindex: '-1', hidden: true});
  const clear = h('button.danger', {type: 'button', onclick: async () => {
    if (!confirm('Clear the request journal?')) return;
    await admin('DELETE', '/api/v1/requests').catch(e => message(box, 'Cannot clear: ' + e));
    lastSeen = null;
    await load();
  }}, 'Clear journal');
  fill(main, h('h1', 'Requests'),
    h('section.panel',
      h('form.inline', {onsubmit: e => { e.preventDefault(); lastSeen = null; load(); }},
        h('label', {for: 'filter-bucket'}, 'Bucket', bucket),
        h('label', {for: 'filter-operation'}, 'Operation', operation), operations,
        h('label', {for: 'filter-status'}, 'Status', status),
        h('button.primary', {type: 'submit'}, 'Filter'),
        h('label.check', {for: 'live'}, live, 'Live'), clear),
      box, summary, list),
    detail);
  if (info.journal.size === 0) {
    message(box, 'The request journal is off (journal.size=0).');
    return null;
  }

  let lastSeen = null;
  let selected = null;
  const seenOperations = new Set();
  const load = async () => {
    const q = new URLSearchParams({limit: String(SHOWN)});
    if (bucket.value.trim()) q.set('bucket', bucket.value.trim());
    if (operation.value.trim()) q.set('operation', operation.value.trim());
    if (status.value.trim()) q.set('status', status.value.trim());
    let data;
    try {
      data = await get('/api/v1/requests?' + q);
      message(box, '');
    } catch (e) {
      message(box, 'Cannot read the journal: ' + e);
      return;
    }
    const newest = data.requests.length ? data.requests[data.requests.length - 1].request_id : '';
    const key = q + '|' + newest + '|' + data.matching;
    if (key === lastSeen) return; // nothing new: keep the table (and the focus in it) as it is
    lastSeen = key;
    const rows = data.requests.slice().reverse();
    for (const r of rows) {
      if (!seenOperations.has(r.operation)) {
        seenOperations.add(r.operation);
        operations.append(h('option', {value: r.operation}));
      }
    }
    summary.textContent = `${data.matching} matching request(s); showing the newest ${rows.length}.`;
    fill(list, table('Requests, newest first', [{label: 'Time'}, {label: 'Operation'}, {label: 'Bucket / key', cls: 'key'},
      {label: 'Status', cls: 'num'}, {label: 'Error'}, {label: 'In', cls: 'num opt'}, {label: 'Out', cls: 'num opt'},
      {label: 'ms', cls: 'num opt'}],
    rows.map(r => h('tr', {class: (r.status >= 400 ? 'error ' : '') + (r.request_id === selected ? 'selected' : ''),
      dataset: {requestId: r.request_id, operation: r.operation}},
    h('td', h('a', {href: '#', onclick: e => { e.preventDefault(); showDetail(r); }}, time(r.time))),
    h('td', r.operation), h('td.key', [r.bucket, r.key].filter(Boolean).join('/') || '–'),
    h('td.num', String(r.status)), h('td', r.error || ''), h('td.num.opt', bytes(r.bytes_in)),
    h('td.num.opt', bytes(r.bytes_out)), h('td.num.opt', r.duration_ms.toFixed(2)))), 'No requests recorded.'));
  };
  const showDetail = r => {
    selected = r.request_id;
    lastSeen = null;
    const rows = Object.entries(r.headers).map(([k, v]) => [h('code', k), h('code', v)]);
    detail.hidden = false;
    fill(detail, h('h2#detail-h', `${r.method} ${r.operation} → ${r.status}`),
      h('dl.props', h('dt', 'Request id'), h('dd', h('code', r.request_id)), h('dt', 'Time'), h('dd', time(r.time)),
        h('dt', 'Bucket'), h('dd', r.bucket || '–'), h('dt', 'Key'), h('dd', h('code', r.key || '–')),
        h('dt', 'Error'), h('dd#detail-error', r.error || 'none'), h('dt', 'From'), h('dd', r.remote_addr || '–'),
        h('dt', 'Bytes in / out'), h('dd', `${bytes(r.bytes_in)} / ${bytes(r.bytes_out)}`),
        h('dt', 'Duration'), h('dd', r.duration_ms.toFixed(3) + ' ms')),
      table('Request headers (as recorded)', [{label: 'Header'}, {label: 'Value', cls: 'key'}], rows),
      h('p', h('a', {href: '#', onclick: e => { e.preventDefault(); detail.hidden = true; selected = null; lastSeen = null; }},
        'Close detail')));
    detail.focus();
    load();
  };
  const stop = every(INTERVAL_MS, () => (live.checked ? load() : null));
  live.addEventListener('change', () => { if (live.checked) load(); });
  return stop;
}
