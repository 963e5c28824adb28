// The console's shell: hash routes (#/page?params) to page modules, the sign-in form in strict auth
// mode, and stopping a page's live updates when another is shown.
import {get, s3, whenUnauthorized} from './api.js';
import {canSign, credentials, signIn, signOut} from './auth.js';
import {fill, h, message} from './ui.js';
import * as overview from './pages/overview.js';
import * as buckets from './pages/buckets.js';
import * as objects from './pages/objects.js';
import * as object from './pages/object.js';
import * as requests from './pages/requests.js';
import * as thirdParty from './pages/thirdparty.js';
import * as nodes from './pages/nodes.js';

/** Route name -> page module; a module exports title and show(main, params, info) returning a stop function. */
const PAGES = {
  overview, buckets, objects, object, requests, 'third-party': thirdParty, nodes,
};
/** Which nav entry a route belongs to. */
const NAV = {object: 'objects'};

const main = document.getElementById('main');
let stop = null;
let info = null;

async function start() {
  whenUnauthorized(() => showSignIn('The server refused the credentials; sign in again.'));
  try {
    info = await get('/api/v1/info');
  } catch (e) {
    fill(main, h('h1', 'mock-storage console'), h('p.message.error', {role: 'alert'}, 'Cannot read the server: ' + e));
    return;
  }
  window.addEventListener('hashchange', render);
  render();
}

function strict() {
  return info.auth.mode === 'strict';
}

function render() {
  if (stop) {
    stop();
    stop = null;
  }
  renderSession();
  if (strict() && !credentials()) {
    showSignIn();
    return;
  }
  const hash = location.hash.replace(/^#\/?/, '');
  const name = hash.split('?')[0] || 'overview';
  const page = PAGES[name];
  if (!page) {
    location.replace('#/overview');
    return;
  }
  const current = NAV[name] || name;
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.page === current) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.title = page.title + ' · mock-storage console';
  main.replaceChildren();
  stop = page.show(main, new URLSearchParams(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : ''), info) || null;
}

function renderSession() {
  const el = document.getElementById('session');
  const c = credentials();
  if (!strict()) {
    fill(el, h('span.muted', {title: 'auth.mode=open: any credentials are accepted'}, 'open auth'));
  } else if (c) {
    fill(el, h('span', 'Signed in as ', h('code', c.accessKey)),
      h('button', {type: 'button', onclick: () => { signOut(); render(); }}, 'Sign out'));
  } else {
    fill(el, h('span.muted', 'strict auth'));
  }
}

function showSignIn(reason) {
  if (stop) {
    stop();
    stop = null;
  }
  signOut();
  renderSession();
  document.title = 'Sign in · mock-storage console';
  const access = h('input#access-key', {name: 'access', autocomplete: 'username', required: true});
  const secret = h('input#secret-key', {name: 'secret', type: 'password', autocomplete: 'current-password', required: true});
  const box = h('div.message');
  const form = h('form', {
    onsubmit: async event => {
      event.preventDefault();
      signIn(access.value.trim(), secret.value);
      try {
        await s3('GET', '/'); // ListBuckets, signed: S3 says whether the key pair is right
      } catch (e) {
        signOut();
        message(box, 'Sign-in failed: ' + e);
        return;
      }
      render();
    },
  },
  h('label', {for: 'access-key'}, 'Access key id', access),
  h('label', {for: 'secret-key'}, 'Secret key', secret),
  h('button.primary', {type: 'submit', disabled: !canSign()}, 'Sign in'), box);
  fill(main, h('section.panel.login', h('h1', 'Sign in'),
    h('p', 'This server checks signatures (auth.mode=strict). Sign in with its access key and secret key ',
      '(auth.access_key, auth.secret_key); they stay in this browser tab only.'),
    canSign() ? null : h('p.message.error', {role: 'alert'}, 'This page is not a secure context, so the browser cannot '
      + 'sign requests: open the console at http://localhost or http://127.0.0.1 (or over https).'),
    form));
  if (reason) message(box, reason);
  access.focus();
}

start();
