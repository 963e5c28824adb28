// Small DOM helpers: every page builds its markup with h(), never from HTML strings, so server data
// (keys, headers, error messages) is always text, never markup.

/** h('tag.class#id', {attr: value, onclick: fn}, ...children): an element. Strings become text nodes. */
export function h(spec, attrs, ...children) {
  const [tagAndClasses, id] = spec.split('#');
  const [tag, ...classes] = tagAndClasses.split('.');
  const el = document.createElement(tag || 'div');
  if (classes.length) el.className = classes.join(' ');
  if (id) el.id = id;
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name in el && typeof value !== 'string') el[name] = value;
    else el.setAttribute(name, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the children of el. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A table: columns [{label, cls}] and rows of cells (a cell is a node, text, or {text, cls}). */
export function table(caption, columns, rows, empty = 'None.') {
  const head = h('tr', columns.map(c => h('th', {scope: 'col', class: c.cls || null}, c.label)));
  const body = rows.length ? rows : [[{text: empty, colspan: columns.length, cls: 'muted'}]];
  return h('div.table-wrap', {tabindex: '0', role: 'region', 'aria-label': caption},
    h('table', h('caption', caption), h('thead', head), h('tbody', body.map(row => row instanceof Node ? row : h('tr',
      row.map((cell, i) => cell && typeof cell === 'object' && !(cell instanceof Node)
        ? h('td', {class: cell.cls || columns[i]?.cls || null, colspan: cell.colspan || null}, cell.text)
        : h('td', {class: columns[i]?.cls || null}, cell)))))));
}

/** A message box for errors or confirmations; role=alert for errors so screen readers hear them. */
export function message(el, text, kind = 'error') {
  el.className = 'message ' + kind;
  el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  el.textContent = text || '';
}

let toastTimer;
/** A short notice in the corner (a polite live region). */
export function toast(text) {
  const el = document.getElementById('toast');
  el.textContent = text;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.textContent = ''; }, 4000);
}

export function bytes(n) {
  if (n === null || n === undefined || n < 0) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (i === 0 ? v : v.toFixed(v < 10 ? 2 : 1)) + ' ' + units[i];
}

export function count(n) {
  return n === null || n === undefined ? '–' : Number(n).toLocaleString('en');
}

export function duration(ms) {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const hms = [Math.floor(s / 3600) % 24, Math.floor(s / 60) % 60, s % 60].map(x => String(x).padStart(2, '0')).join(':');
  return (d ? d + 'd ' : '') + hms;
}

/** An ISO time as local date and time (seconds). */
export function time(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return d.toLocaleString('sv-SE', {hour12: false}).replace('T', ' ');
}

export function statusBadge(status) {
  const kind = status === 'UP' ? 'ok' : status === 'DEGRADED' ? 'warn' : 'bad';
  return h('span.badge.big.' + kind, {id: 'health-status'}, status);
}

/** RFC 3986 percent-encoding of one path segment or query value (also !'()*). */
export function enc(s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** A key as an S3 path: each '/'-separated segment encoded. */
export function keyPath(key) {
  return key.split('/').map(enc).join('/');
}

/** '#/page?name=value...' with the values encoded. */
export function route(page, values = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== null && v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return '#/' + page + (s ? '?' + s : '');
}

/** Runs fn now and every ms while the page is shown; skips a beat when the previous call has not finished. */
export function every(ms, fn) {
  let busy = false;
  let stopped = false;
  const tick = async () => {
    if (busy || stopped || document.hidden) return;
    busy = true;
    try { await fn(); } finally { busy = false; }
  };
  tick();
  const id = setInterval(tick, ms);
  return () => { stopped = true; clearInterval(id); };
}
