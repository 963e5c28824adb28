// Objects: one bucket by prefix, '/' rolled up into folders, a page at a time; upload by drag and drop
// or the file picker; download, delete, and a link to each object's detail.
import {admin, get} from '../api.js';
import {presign} from '../auth.js';
import {upload} from '../upload.js';
import {bytes, enc, fill, h, keyPath, message, route, table, time, toast} from '../ui.js';

export const title = 'Objects';

const PAGE_SIZE = 50;

export function show(main, params) {
  const bucket = params.get('bucket') || '';
  const prefix = params.get('prefix') || '';
  const picker = h('select#objects-bucket', {name: 'bucket'});
  const box = h('div.message#objects-message');
  const listing = h('div');
  const pager = h('div.toolbar');
  const crumbs = h('nav.crumbs', {'aria-label': 'Folder'});
  fill(main, h('h1', 'Objects'),
    h('section.panel', h('form.inline', {onsubmit: e => e.preventDefault()},
      h('label', {for: 'objects-bucket'}, 'Bucket', picker)), crumbs, box, bucket ? dropzone() : null, listing, pager));

  get('/api/v1/buckets').then(data => {
    fill(picker, h('option', {value: ''}, '— choose a bucket —'),
      data.buckets.map(b => h('option', {value: b.name, selected: b.name === bucket}, b.name)));
    picker.addEventListener('change', () => { location.hash = route('objects', {bucket: picker.value}); });
  }).catch(e => message(box, 'Cannot list buckets: ' + e));
  if (!bucket) {
    fill(listing, h('p.muted', 'Choose a bucket to browse its objects.'));
    return null;
  }

  const segments = prefix.split('/').filter(Boolean);
  fill(crumbs, h('a', {href: route('objects', {bucket})}, bucket),
    segments.map((s, i) => [h('span.sep', {'aria-hidden': 'true'}, '/'),
      h('a', {href: route('objects', {bucket, prefix: segments.slice(0, i + 1).join('/') + '/'})}, s)]));
  const cursors = [null];
  const load = async () => {
    const cursor = cursors[cursors.length - 1];
    let data;
    try {
      data = await get(`/api/v1/objects?bucket=${enc(bucket)}&delimiter=/&limit=${PAGE_SIZE}`
        + (prefix ? `&prefix=${enc(prefix)}` : '') + (cursor ? `&cursor=${enc(cursor)}` : ''));
    } catch (e) {
      message(box, 'Cannot list ' + bucket + ': ' + e);
      return;
    }
    const rows = [];
    for (const p of data.prefixes) {
      rows.push([h('a', {href: route('objects', {bucket, prefix: p})}, '📁 ' + p.slice(prefix.length)), '', '', 'folder', '']);
    }
    for (const o of data.objects) {
      const download = h('a.button', {href: `/${enc(bucket)}/${keyPath(o.key)}`, download: o.key.split('/').pop(),
        'aria-label': 'Download ' + o.key}, 'Download');
      presign(new URL(download.href)).then(url => { download.href = url; });
      rows.push([h('a', {href: route('object', {bucket, key: o.key})}, o.key.slice(prefix.length)), bytes(o.size),
        time(o.created), o.content_type || '–',
        h('div.actions', download, h('button.danger', {type: 'button', 'aria-label': 'Delete ' + o.key,
          onclick: () => remove(o.key)}, 'Delete'))]);
    }
    fill(listing, table(`${bucket}/${prefix}`, [{label: 'Name', cls: 'key'}, {label: 'Size', cls: 'num'},
      {label: 'Modified', cls: 'opt'}, {label: 'Type', cls: 'opt'}, {label: 'Actions'}], rows, 'Nothing here yet.'));
    fill(pager,
      h('button', {type: 'button', disabled: cursors.length === 1, onclick: () => { cursors.pop(); load(); }}, 'Previous page'),
      h('span.muted', `page ${cursors.length}`),
      h('button', {type: 'button', disabled: !data.truncated, onclick: () => { cursors.push(data.next_cursor); load(); }},
        'Next page'));
  };
  const remove = async key => {
    if (!confirm('Delete ' + bucket + '/' + key + '?')) return;
    try {
      await admin('DELETE', `/api/v1/objects/${enc(bucket)}/${keyPath(key)}`);
      message(box, 'Deleted ' + key + '.', 'ok');
      await load();
    } catch (e) {
      message(box, 'Cannot delete ' + key + ': ' + e);
    }
  };

  function dropzone() {
    const input = h('input#upload-input', {type: 'file', multiple: true});
    const list = h('ul.uploads', {'aria-live': 'polite'});
    const zone = h('div.dropzone#dropzone',
      h('p', 'Drop files here to upload them to ', h('code', `${bucket}/${prefix}`), ', or choose them:'),
      h('label.upload-pick', {for: 'upload-input'}, 'Files to upload', input), list);
    const send = async files => {
      for (const file of files) {
        const key = prefix + file.name;
        const bar = h('progress', {max: 1, value: 0, 'aria-label': 'Upload of ' + key});
        const state = h('span', 'uploading…');
        list.append(h('li', h('code', key), bar, state));
        try {
          await upload(bucket, key, file, (done, total) => { bar.max = total || 1; bar.value = done; });
          state.textContent = 'done (' + bytes(file.size) + ')';
          toast('Uploaded ' + key);
        } catch (e) {
          state.textContent = 'failed: ' + e;
          state.setAttribute('role', 'alert');
        }
      }
      await load();
    };
    input.addEventListener('change', () => { send([...input.files]); input.value = ''; });
    zone.addEventListener('dragover', e => { e.preventDefault(); zone.classList.add('over'); });
    zone.addEventListener('dragleave', () => zone.classList.remove('over'));
    zone.addEventListener('drop', e => {
      e.preventDefault();
      zone.classList.remove('over');
      send([...e.dataTransfer.files]);
    });
    return zone;
  }

  load();
  return null;
}
