// The Explain page ("why did this run"): a kind and a value — a method, an event type or a function name — are sent to the
// explain route, and the page shows which execution matched, at which level, the levels that were considered, the
// flattened targets in the order they run, and every include that resolved to nothing.

import { field, h, message, table } from '../dom.js';
import { conditionId } from '../executions-model.js';
import { picker } from '../picker.js';

const KINDS = [
  { kind: 'request', title: 'Request (a method)', catalog: 'methods', placeholder: '/pkg.v1.Service/Method' },
  { kind: 'response', title: 'Response (a method)', catalog: 'methods', placeholder: '/pkg.v1.Service/Method' },
  { kind: 'event', title: 'Event (an event type)', catalog: 'events', placeholder: 'user.human.added' },
  { kind: 'function', title: 'Function (a name)', catalog: 'functions', placeholder: 'preuserinfo' },
];


function targetType(target) {
  return target.restWebhook ? 'webhook' : target.restCall ? 'call' : target.restAsync ? 'async' : '';
}

/** The kind and value to explain at once, when the address names them (#/explain?kind=request&value=/pkg.v1.S/M). */
function initialQuery(ctx) {
  return { kind: ctx.params?.get('kind') ?? '', value: ctx.params?.get('value') ?? '' };
}

/** Renders the page into container. */
export async function render(container, ctx) {
  const catalog = {};
  const kind = h('select', { id: 'explain-kind', name: 'kind' }, KINDS.map((k) => h('option', { value: k.kind, text: k.title })));
  const value = picker({
    label: 'Value',
    id: 'explain-value',
    name: 'value',
    freeText: true,
    placeholder: KINDS[0].placeholder,
    items: () => (catalog[KINDS.find((k) => k.kind === kind.value).catalog] ?? []).map((item) => ({ value: item })),
  });
  kind.addEventListener('change', () => {
    value.input.placeholder = KINDS.find((k) => k.kind === kind.value).placeholder;
  });
  const result = h('div', { class: 'explain-result', 'aria-live': 'polite', id: 'explain-result' });
  const form = h('form', { class: 'explain-form panel', novalidate: true, 'aria-label': 'Explain a call' },
    h('div', { class: 'row' },
      field('Kind', kind),
      value.element,
      h('button', { type: 'submit', id: 'explain-submit', class: 'btn primary', text: 'Explain' })));

  container.replaceChildren(
    h('h1', { text: 'Explain' }),
    h('p', { class: 'page-lead', text: 'Which execution runs for a method, an event or a function, and which targets it calls, in order.' }),
    form,
    result);

  const explain = async () => {
    const text = value.value();
    if (text.length === 0) {
      result.replaceChildren(message('Give a value to explain, such as /pkg.v1.Service/Method.', 'error'));
      value.input.focus();
      return;
    }
    result.replaceChildren(h('p', { class: 'muted', text: 'Explaining…' }));
    try {
      const explanation = await ctx.api.get('/v2beta/actions/executions/match', { kind: kind.value, value: text });
      result.replaceChildren(...explanationView(explanation, ctx));
    } catch (error) {
      result.replaceChildren(message(`The call could not be explained: ${error.message}`, 'error'));
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
  parts.push(h('section', { class: 'explain-summary', 'aria-labelledby': 'explain-summary-heading' },
    h('h2', { id: 'explain-summary-heading', text: matched ? 'Matched' : 'No execution matches' }),
    h('dl', { class: 'facts' },
      h('dt', { text: 'Call' }), h('dd', { class: 'explain-call', text: `${explanation.kind} ${explanation.value}` }),
      h('dt', { text: 'Execution' }), h('dd', { class: 'explain-matched', text: matched ?? 'none' }),
      h('dt', { text: 'Level' }), h('dd', { class: 'explain-level', text: explanation.level ?? '—' }),
      h('dt', { text: 'Policy' }), h('dd', { class: 'explain-policy', text: explanation.policy === 'cascade' ? 'cascade (every matching level, general to specific)' : 'best match (the most specific level only)' }),
      h('dt', { text: 'Why' }), h('dd', { class: 'explain-reason', text: explanation.reason ?? '' }))));

  const runs = (candidate) => (explanation.cascade ?? []).some((condition) => conditionId(condition) === candidate.conditionId);
  parts.push(h('section', { class: 'explain-candidates', 'aria-labelledby': 'explain-candidates-heading' },
    h('h2', { id: 'explain-candidates-heading', text: 'Levels considered, most specific first' }),
    table([
      { title: 'Condition', class: 'mono', cell: (candidate) => candidate.conditionId },
      { title: 'Execution exists', cell: (candidate) => (candidate.exists ? 'yes' : 'no') },
      { title: 'Runs', cell: (candidate) => (runs(candidate) ? 'yes' : '') },
    ], explanation.candidates ?? [], { rowProps: (candidate) => ({ class: runs(candidate) ? 'selected runs' : null }) })));

  const targets = explanation.targets ?? [];
  parts.push(h('section', { class: 'explain-targets', 'aria-labelledby': 'explain-targets-heading' },
    h('h2', { id: 'explain-targets-heading', text: `Targets called, in order (${targets.length})` }),
    table([
      { title: '#', cell: (target) => String(targets.indexOf(target) + 1) },
      { title: 'Name', cell: (target) => target.name ?? '' },
      { title: 'Type', cell: targetType },
      { title: 'Id', class: 'mono', cell: (target) => target.id },
      { title: 'Endpoint', class: 'mono', cell: (target) => target.endpoint ?? '' },
    ], targets, { empty: 'No target runs for this call.', class: 'grid flattened-targets', rowProps: () => ({ class: 'flattened-target' }) })));

  const unresolved = explanation.unresolvedIncludes ?? [];
  if (unresolved.length > 0) {
    parts.push(h('section', { class: 'explain-unresolved warning', 'aria-labelledby': 'explain-unresolved-heading' },
      h('h2', { id: 'explain-unresolved-heading', text: 'Includes that resolved to nothing' }),
      h('p', { text: 'These executions are included but have no entries (they were emptied after the include was set), so they add no target.' }),
      h('ul', {}, unresolved.map((condition) => h('li', { class: 'mono', text: conditionId(condition) })))));
  }

  if (matched && ctx.can('action.target.write')) {
    parts.push(h('p', {},
      h('button', {
        type: 'button',
        class: 'btn explain-console',
        text: 'Try this chain in the console',
        on: { click: () => ctx.navigate('console', { execution: matched }) },
      })));
  }
  return parts;
}
