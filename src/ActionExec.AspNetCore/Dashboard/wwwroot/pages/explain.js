// The Explain page ("why did this run"): a kind and a value — a method, an event type or a function name — are sent to the
// explain route, and the page shows which execution matched, at which level, the levels that were considered, the
// flattened targets in the order they run, and every include that resolved to nothing.

import { conditionId } from '../executions-model.js';
import { picker } from '../picker.js';

const KINDS = [
  { kind: 'request', title: 'Request (a method)', catalog: 'methods', placeholder: '/pkg.v1.Service/Method' },
  { kind: 'response', title: 'Response (a method)', catalog: 'methods', placeholder: '/pkg.v1.Service/Method' },
  { kind: 'event', title: 'Event (an event type)', catalog: 'events', placeholder: 'user.human.added' },
  { kind: 'function', title: 'Function (a name)', catalog: 'functions', placeholder: 'preuserinfo' },
];

function h(tag, properties, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(properties ?? {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name === 'className') {
      element.className = value;
    } else if (name === 'text') {
      element.textContent = value;
    } else if (name.startsWith('on')) {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return element;
}

function targetType(target) {
  return target.restWebhook ? 'webhook' : target.restCall ? 'call' : target.restAsync ? 'async' : '';
}

/** The kind and value to explain at once, when the address names them (#/explain?kind=request&value=/pkg.v1.S/M). */
function initialQuery(ctx) {
  const params = ctx.params ?? ctx.query ?? new URLSearchParams(location.hash.split('?')[1] ?? '');
  const get = (name) => (typeof params.get === 'function' ? params.get(name) : params[name]) ?? '';
  return { kind: get('kind'), value: get('value') };
}

/** Renders the page into container. */
export async function render(container, ctx) {
  const catalog = {};
  const kind = h('select', { id: 'explain-kind', name: 'kind' }, KINDS.map((k) => h('option', { value: k.kind, text: k.title })));
  const value = picker({
    label: 'Value',
    name: 'value',
    freeText: true,
    placeholder: KINDS[0].placeholder,
    items: () => (catalog[KINDS.find((k) => k.kind === kind.value).catalog] ?? []).map((item) => ({ value: item })),
  });
  value.input.id = 'explain-value';
  kind.addEventListener('change', () => {
    value.input.placeholder = KINDS.find((k) => k.kind === kind.value).placeholder;
  });
  const result = h('div', { className: 'explain-result', 'aria-live': 'polite', id: 'explain-result' });
  const form = h('form', { className: 'explain-form', novalidate: true, 'aria-label': 'Explain a call' },
    h('div', { className: 'form-row' },
      h('label', { for: 'explain-kind', text: 'Kind' }), kind,
      value.element,
      h('button', { type: 'submit', id: 'explain-submit', className: 'primary', text: 'Explain' })));

  container.replaceChildren(
    h('h1', { text: 'Explain' }),
    h('p', { className: 'page-lead', text: 'Which execution runs for a method, an event or a function, and which targets it calls, in order.' }),
    form,
    result);

  const explain = async () => {
    const text = value.value();
    if (text.length === 0) {
      result.replaceChildren(h('p', { className: 'error', role: 'alert', text: 'Give a value to explain, such as /pkg.v1.Service/Method.' }));
      value.input.focus();
      return;
    }
    result.replaceChildren(h('p', { className: 'loading', text: 'Explaining…' }));
    try {
      const query = new URLSearchParams({ kind: kind.value, value: text });
      const explanation = await ctx.api.get(`/v2beta/actions/executions/match?${query}`);
      result.replaceChildren(...explanationView(explanation, ctx));
    } catch (error) {
      result.replaceChildren(h('p', { className: 'error', role: 'alert', text: `The call could not be explained: ${error.message}` }));
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    explain();
  });

  // The suggestions are a help, not a need: without a catalog (or the discovery routes) any value can still be typed.
  await Promise.all(['methods', 'events', 'functions'].map(async (name) => {
    try {
      const answer = await ctx.api.get(`/v2/actions/executions/${name}`);
      catalog[name] = Array.isArray(answer?.[name]) ? answer[name] : [];
    } catch {
      catalog[name] = [];
    }
  }));

  const initial = initialQuery(ctx);
  if (KINDS.some((k) => k.kind === initial.kind) && initial.value) {
    kind.value = initial.kind;
    value.input.value = initial.value;
    await explain();
  }
}

function explanationView(explanation, ctx) {
  const matched = explanation.matched ? conditionId(explanation.matched) : null;
  const parts = [];
  parts.push(h('section', { className: 'explain-summary', 'aria-labelledby': 'explain-summary-heading' },
    h('h2', { id: 'explain-summary-heading', text: matched ? 'Matched' : 'No execution matches' }),
    h('dl', { className: 'facts' },
      h('dt', { text: 'Call' }), h('dd', { className: 'explain-call', text: `${explanation.kind} ${explanation.value}` }),
      h('dt', { text: 'Execution' }), h('dd', { className: 'explain-matched', text: matched ?? 'none' }),
      h('dt', { text: 'Level' }), h('dd', { className: 'explain-level', text: explanation.level ?? '—' }),
      h('dt', { text: 'Policy' }), h('dd', { className: 'explain-policy', text: explanation.policy === 'cascade' ? 'cascade (every matching level, general to specific)' : 'best match (the most specific level only)' }),
      h('dt', { text: 'Why' }), h('dd', { className: 'explain-reason', text: explanation.reason ?? '' }))));

  parts.push(h('section', { className: 'explain-candidates', 'aria-labelledby': 'explain-candidates-heading' },
    h('h2', { id: 'explain-candidates-heading', text: 'Levels considered, most specific first' }),
    h('table', {},
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Condition' }), h('th', { scope: 'col', text: 'Execution exists' }), h('th', { scope: 'col', text: 'Runs' }))),
      h('tbody', {}, (explanation.candidates ?? []).map((candidate) => {
        const runs = (explanation.cascade ?? []).some((condition) => conditionId(condition) === candidate.conditionId);
        return h('tr', { className: runs ? 'runs' : '' },
          h('td', { className: 'mono', text: candidate.conditionId }),
          h('td', { text: candidate.exists ? 'yes' : 'no' }),
          h('td', { text: runs ? 'yes' : '' }));
      })))));

  const targets = explanation.targets ?? [];
  parts.push(h('section', { className: 'explain-targets', 'aria-labelledby': 'explain-targets-heading' },
    h('h2', { id: 'explain-targets-heading', text: `Targets called, in order (${targets.length})` }),
    targets.length === 0
      ? h('p', { className: 'empty', text: 'No target runs for this call.' })
      : h('ol', { className: 'flattened-targets' }, targets.map((target) => h('li', { className: 'flattened-target' },
        h('span', { className: 'entry-label', text: target.name ?? target.id }),
        h('span', { className: 'entry-kind', text: targetType(target) }),
        h('span', { className: 'entry-hint mono', text: `${target.id} · ${target.endpoint ?? ''}` }))))));

  const unresolved = explanation.unresolvedIncludes ?? [];
  if (unresolved.length > 0) {
    parts.push(h('section', { className: 'explain-unresolved warning', 'aria-labelledby': 'explain-unresolved-heading' },
      h('h2', { id: 'explain-unresolved-heading', text: 'Includes that resolved to nothing' }),
      h('p', { text: 'These executions are included but have no entries (they were emptied after the include was set), so they add no target.' }),
      h('ul', {}, unresolved.map((condition) => h('li', { className: 'mono', text: conditionId(condition) })))));
  }

  if (matched && typeof ctx.navigate === 'function') {
    parts.push(h('p', {},
      h('button', {
        type: 'button',
        className: 'explain-console',
        text: 'Try this chain in the console',
        onClick: () => ctx.navigate(`console?action=${encodeURIComponent(matched)}`),
      })));
  }
  return parts;
}
