// Buckets: list with objects and bytes, create, delete (S3's error shown, e.g. BucketNotEmpty).
import {admin, get} from '../api.js';
import {bytes, count, enc, fill, h, message, route, table, time, toast} from '../ui.js';

export const title = 'Buckets';

export function show(main) {
  const name = h('input#bucket-name', {name: 'bucket', required: true, autocomplete: 'off', spellcheck: 'false',
    placeholder: 'my-bucket', title: '3 to 63 lower-case letters, digits, dots and hyphens'});
  const box = h('div.message#bucket-message');
  const list = h('div');
  const load = async () => {
    try {
      const data = await get('/api/v1/buckets');
      fill(list, table('Buckets', [{label: 'Name'}, {label: 'Objects', cls: 'num'}, {label: 'Bytes', cls: 'num'},
        {label: 'Created', cls: 'opt'}, {label: 'Versioning', cls: 'opt'}, {label: 'Actions'}],
      data.buckets.map(b => [
        h('a', {href: route('objects', {bucket: b.name})}, b.name), count(b.objects), bytes(b.bytes), time(b.created),
        b.versioning || 'never', h('button.danger', {type: 'button', 'aria-label': 'Delete bucket ' + b.name,
          onclick: () => remove(b.name)}, 'Delete')]), 'No buckets yet.'));
    } catch (e) {
      message(box, 'Cannot list buckets: ' + e);
    }
  };
  const remove = async bucket => {
    if (!confirm('Delete bucket ' + bucket + '?')) return;
    try {
      await admin('DELETE', '/api/v1/buckets/' + enc(bucket));
      message(box, 'Deleted bucket ' + bucket + '.', 'ok');
      await load();
    } catch (e) {
      message(box, 'Cannot delete ' + bucket + ': ' + e);
    }
  };
  const form = h('form.inline', {
    onsubmit: async event => {
      event.preventDefault();
      const bucket = name.value.trim();
      try {
        await admin('PUT', '/api/v1/buckets/' + enc(bucket));
        message(box, 'Created bucket ' + bucket + '.', 'ok');
        toast('Bucket ' + bucket + ' created');
        name.value = '';
        await load();
      } catch (e) {
        message(box, 'Cannot create ' + bucket + ': ' + e);
      }
    },
  }, h('label', {for: 'bucket-name'}, 'New bucket name', name), h('button.primary', {type: 'submit'}, 'Create bucket'));
  fill(main, h('h1', 'Buckets'), h('section.panel', form, box, list));
  load();
  return null;
}
