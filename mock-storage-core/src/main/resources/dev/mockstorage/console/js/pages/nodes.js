// Nodes and queue: each storage node's state with fault injection (down, slow, read-only, up), the task
// queue's figures with its open and failed tasks, and the consistency check with or without repair.
import {admin, get} from '../api.js';
import {bytes, count, enc, every, fill, h, message, table, time} from '../ui.js';

export const title = 'Nodes and queue';

export function show(main) {
  const box = h('div.message#nodes-message');
  const nodes = h('div#nodes');
  const queue = h('div#queue');
  const tasks = h('div#tasks');
  const report = h('div#consistency-report', {'aria-live': 'polite'});
  const delays = {};
  const act = async (label, method, path) => {
    try {
      await admin(method, path);
      message(box, label + '.', 'ok');
    } catch (e) {
      message(box, label + ' failed: ' + e);
    }
    await load();
  };
  const load = async () => {
    const [list, stats, open] = await Promise.allSettled([get('/api/v1/nodes'), get('/api/v1/stats'),
      get('/api/v1/tasks?limit=50')]);
    if (list.status === 'rejected') {
      message(box, 'Cannot list the nodes: ' + list.reason);
      return;
    }
    const usage = {};
    if (stats.status === 'fulfilled') stats.value.nodes.forEach(n => { usage[n.id] = n; });
    const focused = document.activeElement?.id;
    fill(nodes, table('Storage nodes (read order)', [{label: 'Node'}, {label: 'State'}, {label: 'Reason', cls: 'opt'},
      {label: 'Blobs', cls: 'num opt'}, {label: 'Bytes', cls: 'num opt'}, {label: 'Disk free', cls: 'num opt'},
      {label: 'Delay (ms)'}, {label: 'Fault injection'}],
    list.value.map(n => {
      const u = usage[n.id] || {};
      const id = enc(n.id);
      const delay = h('input', {id: 'delay-' + n.id, type: 'number', min: 0, max: 3600000, size: 6,
        value: delays[n.id] ?? String(n.delay_ms), 'aria-label': 'Delay of ' + n.id + ' in ms',
        oninput: e => { delays[n.id] = e.target.value; }});
      return h('tr', {dataset: {node: n.id, up: String(n.up)}}, h('td', h('code', n.id)),
        h('td', h('span.badge.' + (n.up ? 'ok' : 'bad'), n.up ? 'UP' : 'DOWN')), h('td.opt', n.reason || ''),
        h('td.num.opt', count(u.blobs)), h('td.num.opt', bytes(u.bytes)), h('td.num.opt', bytes(u.disk_usable_bytes)),
        h('td', h('div.actions', delay, h('button', {type: 'button', id: 'slow-' + n.id, onclick: () => {
          delete delays[n.id];
          act(`${n.id} delay set to ${delay.value || 0} ms`, 'PUT', `/api/v1/nodes/${id}/delay?ms=${enc(delay.value || '0')}`);
        }}, 'Set delay'))),
        h('td', h('div.actions',
          h('button', {type: 'button', id: 'down-' + n.id, disabled: !n.up, onclick: () =>
            act(n.id + ' taken down', 'POST', `/api/v1/nodes/${id}/down`)}, 'Down'),
          h('button', {type: 'button', id: 'read-only-' + n.id, disabled: !n.up, onclick: () =>
            act(n.id + ' is read-only (its next write fails)', 'POST', `/api/v1/nodes/${id}/read-only`)}, 'Read-only'),
          h('button', {type: 'button', id: 'up-' + n.id, onclick: () =>
            act(n.id + ' brought up', 'POST', `/api/v1/nodes/${id}/up`)}, 'Up'))));
    })));
    if (focused) document.getElementById(focused)?.focus(); // keep the keyboard where it was across refreshes
    if (stats.status === 'fulfilled') {
      const q = stats.value.queue;
      const c = stats.value.consistency;
      fill(queue, h('dl.props', h('dt', 'Open tasks'), h('dd#queue-open', `${count(q.depth)} of ${count(q.capacity)}`),
        h('dt', 'Done'), h('dd', count(q.done)), h('dt', 'Retried'), h('dd', count(q.retried)),
        h('dt', 'Failed (parked)'), h('dd', count(q.failed)),
        h('dt', 'Consistency checks'), h('dd', `${count(c.checks)}; last ${time(c.last_check_at)}; damaged objects `
          + count(c.damaged_objects) + '; repairs waiting for a node ' + count(c.waiting_repairs))));
    }
    if (open.status === 'fulfilled') {
      const t = open.value;
      fill(tasks, table(`Tasks: ${t.open} open, ${t.failed} failed (at most 50 of each)`, [{label: 'Id', cls: 'num'},
        {label: 'Kind'}, {label: 'State'}, {label: 'Attempts', cls: 'num'}, {label: 'Payload', cls: 'key opt'},
        {label: 'Queued', cls: 'opt'}, {label: 'Last error', cls: 'key'}],
      t.tasks.map(x => [String(x.id), x.kind, x.state, String(x.attempts), h('code', x.payload), time(x.created_at),
        x.last_error || '']), 'No open or failed tasks.'));
    }
  };
  const check = async repair => {
    fill(report, h('p.muted', repair ? 'Checking and repairing…' : 'Checking…'));
    try {
      const r = await admin('POST', '/api/v1/consistency/check?repair=' + repair);
      fill(report, h('p', h('span.badge.' + (r.clean ? 'ok' : 'warn'), {id: 'consistency-result'}, r.clean ? 'clean' : 'findings'),
        ` ${count(r.objects)} objects, ${count(r.blob_files)} blob files checked in ${r.duration_ms} ms`
        + (r.repair ? `; ${count(r.repaired)} repaired` : '; nothing changed')
        + (r.skipped_nodes.length ? `; skipped (down): ${r.skipped_nodes.join(', ')}` : '')),
      table('Findings', [{label: 'Kind'}, {label: 'Object', cls: 'key'}, {label: 'Node'}, {label: 'Detail', cls: 'key'},
        {label: 'Action', cls: 'opt'}], r.findings.map(f => [f.kind, [f.bucket, f.key].filter(Boolean).join('/') || f.blob,
        f.node || '–', f.detail, f.action || '–'])));
    } catch (e) {
      fill(report, h('p.message.error', {role: 'alert'}, 'The check failed: ' + e));
    }
    await load();
  };
  fill(main, h('h1', 'Nodes and queue'), box,
    h('section.panel', {'aria-labelledby': 'nodes-h'}, h('h2#nodes-h', 'Storage nodes'), nodes),
    h('div.two',
      h('section.panel', {'aria-labelledby': 'queue-h'}, h('h2#queue-h', 'Task queue'), queue),
      h('section.panel', {'aria-labelledby': 'check-h'}, h('h2#check-h', 'Consistency check'),
        h('div.toolbar', h('button#check', {type: 'button', onclick: () => check(false)}, 'Check'),
          h('button.primary#check-repair', {type: 'button', onclick: () => check(true)}, 'Check and repair')),
        report)),
    h('section.panel', {'aria-labelledby': 'tasks-h'}, h('h2#tasks-h', 'Open and failed tasks'), tasks));
  return every(2000, load);
}
