// Third party: the configured upstream, or the scripts (add as JSON, remove one), and the recorded calls
// with the script that answered each. The server validates scripts and its message names the field.
import {admin, get} from '../api.js';
import {enc, every, fill, h, message, table, time, toast} from '../ui.js';

export const title = 'Third party';

const EXAMPLE = JSON.stringify({
  match: {method: 'GET', bucket: 'demo', key: 'hello.txt'},
  response: {status: 200, headers: {'Content-Type': 'text/plain'}, body: 'hello from the third party'},
}, null, 2);

export function show(main, params, info) {
  const t = info.third_party;
  const setup = h('dl.props',
    h('dt', 'Read-through'), h('dd#third-party-mode', t.mode === 'off' ? 'off (third_party.enabled=false)'
      : t.mode === 'upstream' ? 'a real upstream (third_party.url)' : 'the scripted upstream (while it has scripts)'),
    t.url ? [h('dt', 'URL template'), h('dd', h('code', t.url))] : null,
    h('dt', 'Buckets'), h('dd', t.buckets === null ? 'all' : t.buckets.map(b => b.name + (b.url ? ' → ' + b.url : '')).join(', ') || 'none'),
    t.header_names.length ? [h('dt', 'Headers sent'), h('dd', t.header_names.join(', '))] : null,
    h('dt', 'Timeout / retries'), h('dd', `${t.timeout_ms} ms / ${t.retries}`),
    t.scripts_file ? [h('dt', 'Scripts file'), h('dd', h('code', t.scripts_file))] : null);
  const sections = [h('h1', 'Third party'), h('section.panel', {'aria-labelledby': 'setup-h'}, h('h2#setup-h', 'Set-up'), setup)];
  if (t.mode !== 'scripted') {
    fill(main, sections, h('p.muted', 'Scripts are played only by the scripted upstream: with third_party.url set or '
      + 'third_party.enabled=false there is nothing to script here.'));
    return null;
  }
  const scripts = h('div#scripts');
  const calls = h('div#calls');
  const editor = h('textarea#script-json', {name: 'script', spellcheck: 'false', rows: 10}, EXAMPLE);
  const box = h('div.message#script-message');
  const loadScripts = async () => {
    try {
      const list = await get('/api/v1/third-party/scripts');
      fill(scripts, table('Scripts (tried newest first)', [{label: 'Id'}, {label: 'Script', cls: 'key'}, {label: 'Actions'}],
        list.map(s => h('tr', {dataset: {script: s.id}}, h('td', h('code', s.id)),
          h('td.key', h('pre', JSON.stringify(s, null, 2))),
          h('td', h('button.danger', {type: 'button', 'aria-label': 'Remove script ' + s.id, onclick: async () => {
            try {
              await admin('DELETE', '/api/v1/third-party/scripts/' + enc(s.id));
              toast('Removed script ' + s.id);
              await loadScripts();
            } catch (e) {
              message(box, 'Cannot remove ' + s.id + ': ' + e);
            }
          }}, 'Remove')))), 'No scripts: misses are plain NoSuchKey.'));
    } catch (e) {
      message(box, 'Cannot list the scripts: ' + e);
    }
  };
  const loadCalls = async () => {
    try {
      const list = await get('/api/v1/third-party/calls');
      fill(calls, table('Calls received, newest first', [{label: 'Time'}, {label: 'Request', cls: 'key'},
        {label: 'Answered by'}, {label: 'Answer'}],
      list.slice().reverse().map(c => h('tr', {class: c.script_id ? null : 'error', dataset: {url: c.url}},
        h('td', time(c.time)), h('td.key', h('code', c.method + ' ' + c.url)),
        h('td', c.script_id ? h('code', c.script_id) : 'no script (unmatched: 404)'),
        h('td', c.fault || String(c.status)))), 'No calls yet.'));
    } catch (e) {
      fill(calls, h('p.message.error', {role: 'alert'}, 'Cannot list the calls: ' + e));
    }
  };
  const form = h('form', {onsubmit: async event => {
    event.preventDefault();
    try {
      const added = await admin('POST', '/api/v1/third-party/scripts', editor.value, 'application/json');
      message(box, 'Added ' + added.map(s => s.id).join(', ') + '.', 'ok');
      await loadScripts();
    } catch (e) {
      message(box, 'Not added: ' + e);
    }
  }}, h('label', {for: 'script-json'}, 'Script JSON (one script, an array, or {"scripts": [...]})', editor),
  h('div.toolbar', h('button.primary', {type: 'submit'}, 'Add script')), box);
  const clearCalls = h('button', {type: 'button', onclick: async () => {
    await admin('DELETE', '/api/v1/third-party/calls').catch(e => message(box, 'Cannot clear: ' + e));
    await loadCalls();
  }}, 'Forget calls');
  fill(main, sections,
    h('div.two', h('section.panel', {'aria-labelledby': 'add-h'}, h('h2#add-h', 'Add a script'), form),
      h('section.panel', {'aria-labelledby': 'scripts-h'}, h('h2#scripts-h', 'Scripts'), scripts)),
    h('section.panel', {'aria-labelledby': 'calls-h'}, h('h2#calls-h', 'Recorded calls'), h('div.toolbar', clearCalls), calls));
  loadScripts();
  return every(2000, loadCalls);
}
