// One object: size, ETag, checksums, content type, user metadata, tags, versions, and per node whether
// its copy is there and intact (GET /api/v1/replicas reads every copy whole, so it loads after the rest).
import {admin, get} from '../api.js';
import {presign} from '../auth.js';
import {bytes, count, enc, fill, h, keyPath, message, route, table, time} from '../ui.js';

export const title = 'Object';

export function show(main, params) {
  const bucket = params.get('bucket') || '';
  const key = params.get('key') || '';
  const path = `${enc(bucket)}/${keyPath(key)}`;
  const folder = key.includes('/') ? key.slice(0, key.lastIndexOf('/') + 1) : '';
  const box = h('div.message#object-message');
  const props = h('div');
  const replicas = h('div#replicas', h('p.muted', 'Checking every node\'s copy…'));
  const versions = h('div');
  const download = h('a.button#object-download', {href: '/' + path, download: key.split('/').pop()}, 'Download');
  presign(new URL(download.href)).then(url => { download.href = url; });
  const remove = h('button.danger', {type: 'button', onclick: async () => {
    if (!confirm('Delete ' + bucket + '/' + key + '?')) return;
    try {
      await admin('DELETE', '/api/v1/objects/' + path);
      location.hash = route('objects', {bucket, prefix: folder});
    } catch (e) {
      message(box, 'Cannot delete: ' + e);
    }
  }}, 'Delete');
  fill(main, h('nav.crumbs', {'aria-label': 'Back'}, h('a', {href: route('objects', {bucket, prefix: folder})},
    '← ' + bucket + '/' + folder)),
  h('h1', h('span.mono', key)), box,
  h('div.two',
    h('section.panel', {'aria-labelledby': 'props-h'}, h('h2#props-h', 'Properties'), props,
      h('div.actions', download, remove)),
    h('section.panel', {'aria-labelledby': 'replicas-h'}, h('h2#replicas-h', 'Replicas'), replicas)),
  h('section.panel', {'aria-labelledby': 'versions-h'}, h('h2#versions-h', 'Versions'), versions));

  get('/api/v1/objects/' + path).then(o => {
    const pairs = (caption, map) => table(caption, [{label: 'Name'}, {label: 'Value', cls: 'key'}],
      Object.entries(map || {}).map(([k, v]) => [h('code', k), h('code', v)]));
    fill(props, h('dl.props',
      h('dt', 'Size'), h('dd#object-size', `${bytes(o.size)} (${count(o.size)} bytes)`),
      h('dt', 'ETag'), h('dd', h('code#object-etag', o.etag)),
      h('dt', 'Content type'), h('dd', o.content_type || '–'),
      h('dt', 'Created'), h('dd', time(o.created)),
      h('dt', 'Version'), h('dd', h('code', o.version_id))),
    pairs('Checksums', o.checksums), pairs('User metadata', o.user_metadata), pairs('Tags', o.tags),
    o.headers ? pairs('Stored headers', o.headers) : null);
  }).catch(e => message(box, 'Cannot read the object: ' + e));

  get('/api/v1/versions/' + path).then(v => {
    fill(versions, h('p.muted', 'Versioning: ' + (v.versioning || 'never enabled')),
      table('Versions, newest first', [{label: 'Version id'}, {label: 'Latest'}, {label: 'Kind'},
        {label: 'Size', cls: 'num'}, {label: 'ETag', cls: 'opt'}, {label: 'Modified'}],
      v.versions.map(x => [h('code', x.version_id), x.latest ? 'yes' : '', x.delete_marker ? 'delete marker' : 'object',
        x.size === undefined ? '–' : bytes(x.size), x.etag ? h('code', x.etag) : '–', time(x.last_modified)])),
      v.truncated ? h('p.muted', 'Only the newest versions are listed.') : null);
  }).catch(e => fill(versions, h('p.message.error', {role: 'alert'}, 'Cannot list versions: ' + e)));

  get('/api/v1/replicas/' + path).then(r => {
    const state = x => x.state === null ? h('span.badge.warn', 'node down')
      : x.intact ? h('span.badge.ok', 'intact') : h('span.badge.bad', x.state.toLowerCase().replace('_', ' '));
    fill(replicas, table('Copies of blob ' + r.blob, [{label: 'Node'}, {label: 'Node up'}, {label: 'Present'},
      {label: 'State'}, {label: 'Detail', cls: 'opt'}],
    r.replicas.map(x => h('tr', {dataset: {node: x.node, state: x.state || 'NODE_DOWN'}},
      h('td', h('code', x.node)), h('td', x.node_up ? 'yes' : 'no'),
      h('td', x.present === null ? '?' : x.present ? 'yes' : 'no'), h('td', state(x)),
      h('td.opt', x.detail || '')))));
  }).catch(e => fill(replicas, h('p.message.error', {role: 'alert'}, 'Cannot check the replicas: ' + e)));
  return null;
}
