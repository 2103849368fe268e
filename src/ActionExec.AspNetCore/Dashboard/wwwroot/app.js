// The ActionExec dashboard: a hash router over one module per page.
//
// Page contract. A page is `pages/<name>.js`, listed in `pages` below, exporting
//     export async function render(container, ctx) { … }   // may return a cleanup function, called when the page is left
// where `container` is an empty element the page owns, and `ctx` is
//     ctx.api          the API client of api.js: get(path, query), post/put/patch(path, body), delete(path), send(method, path, body, query);
//                      paths are the management API's own (such as '/v2beta/actions/targets'); errors throw ApiError
//                      (status, code, message for people, violations)
//     ctx.permissions  a Set of the user's action permissions; ctx.can('action.target.write') tells whether to show a change
//     ctx.tenant, ctx.user, ctx.title
//     ctx.params       URLSearchParams of the route (#/deliveries?status=dead_lettered → status)
//     ctx.navigate(name, params?)  goes to another page (#/name?params)
//     ctx.report(error)            records an unexpected error (shown in the banner, readable by tests)
// Build the DOM with dom.js only (text, never HTML); no inline script or style (the Content-Security-Policy forbids them;
// setting element.style from script is fine).

import { createApi } from './api.js';
import { h, replace, message } from './dom.js';

/** The pages, in the navigation's order; a page needs its permission to be listed. */
const pages = [
  { name: 'targets', title: 'Targets', permission: 'action.target.read' },
  { name: 'executions', title: 'Executions', permission: 'action.execution.read' },
  { name: 'explain', title: 'Explain', permission: 'action.execution.read' },
  { name: 'console', title: 'Console', permission: 'action.target.write' },
  { name: 'deliveries', title: 'Deliveries', permission: 'action.delivery.read' },
];

// Errors and Content-Security-Policy violations are recorded here, where the browser tests read them.
const recorded = [];
window.__actionExecErrors = recorded;

function record(kind, text) {
  recorded.push({ kind, text: String(text) });
  const banner = document.getElementById('errors');
  if (banner) {
    banner.hidden = false;
    banner.append(h('div', {}, `${kind}: ${text}`));
  }
}

window.addEventListener('error', (event) => record('error', event.message || event.error || 'error'));
window.addEventListener('unhandledrejection', (event) => record('unhandledrejection', event.reason?.message ?? event.reason));
document.addEventListener('securitypolicyviolation', (event) =>
  record('csp', `${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`));

let current = { cleanup: null, generation: 0 };

function parseHash() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [name, query = ''] = hash.split('?', 2);
  return { name, params: new URLSearchParams(query) };
}

function navigate(name, params = undefined) {
  const query = params ? new URLSearchParams(params).toString() : '';
  location.hash = `#/${name}${query ? `?${query}` : ''}`;
}

async function show(base) {
  const { name, params } = parseHash();
  const visible = pages.filter((p) => base.permissions.has(p.permission));
  const page = visible.find((p) => p.name === name) ?? visible[0];
  for (const link of document.querySelectorAll('#nav a')) {
    link.classList.toggle('active', link.dataset.page === page?.name);
    if (link.dataset.page === page?.name) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }

  if (typeof current.cleanup === 'function') {
    current.cleanup();
  }
  const generation = ++current.generation;
  current.cleanup = null;
  const main = document.getElementById('page');
  if (!page) {
    replace(main, message('Your account holds none of the action permissions this dashboard shows.', 'info'));
    return;
  }
  if (page.name !== name) {
    navigate(page.name);
    return;
  }

  const container = h('section', { class: 'page', id: `page-${page.name}`, 'data-page': page.name }, h('p', { class: 'muted' }, 'Loading…'));
  replace(main, container);
  document.title = `${page.title} · ${base.title}`;
  let module;
  try {
    module = await import(`./pages/${page.name}.js`);
  } catch (error) {
    replace(container, message(`The ${page.title} page is not available in this version of the dashboard.`, 'error'));
    console.warn(error);
    return;
  }
  if (generation !== current.generation) {
    return;
  }
  container.replaceChildren();
  try {
    current.cleanup = await module.render(container, { ...base, params, navigate });
  } catch (error) {
    replace(container, message(error.message, 'error'));
    if (!error.status) {
      record('error', error.message);
    }
  }
  container.setAttribute('data-ready', 'true');
}

async function start() {
  const api = createApi();
  let me;
  try {
    me = await api.get('/me');
  } catch (error) {
    replace(document.getElementById('page'), message(error.message, 'error'));
    return;
  }
  api.setAntiforgery(me.antiforgery);
  const permissions = new Set(me.permissions ?? []);
  const base = {
    api,
    permissions,
    can: (permission) => permissions.has(permission),
    tenant: me.tenant,
    user: me.user,
    title: me.title || 'ActionExec',
    report: (error) => record('error', error?.message ?? error),
  };

  document.getElementById('title').textContent = base.title;
  replace(document.getElementById('who'),
    h('span', { id: 'who-user' }, base.user), ' · tenant ', h('span', { id: 'who-tenant' }, base.tenant),
    permissions.has('action.target.write') || permissions.has('action.execution.write') || permissions.has('action.delivery.write')
      ? null
      : h('span', { class: 'badge', id: 'read-only' }, 'read only'));
  replace(document.getElementById('nav'), pages.filter((p) => permissions.has(p.permission)).map((p) =>
    h('a', { href: `#/${p.name}`, 'data-page': p.name, id: `nav-${p.name}` }, p.title)));
  window.addEventListener('hashchange', () => show(base));
  await show(base);
}

start().catch((error) => record('error', error?.message ?? error));
