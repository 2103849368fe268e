// Console: Fusio's action test console (POST /backend/action/execute/{action_id}) as a form. Runs one target, or an execution's
// whole chain (by its canonical id, such as request/demo.v1.GreeterService/SayHello), against a synthetic request: method,
// uriFragments, parameters and headers (URL-encoded a=b&c=d, Fusio's format) and a JSON body. Shows the status, headers and body
// that came back and, for a chain, the per-target trace. Needs action.target.write, as the route does; changes no stored state.

import { h, field, select, table, message, replace } from '../dom.js';
import { searchTargets } from './targets.js';

const METHODS = ['POST', 'GET', 'PUT', 'PATCH', 'DELETE'];

/** The canonical id of an execution's condition (SPEC §1), such as request/pkg.v1.Service/Method or event/user.human.*. */
export function executionId(condition) {
  const { request, response, function: fn, event } = condition ?? {};
  const flow = request ? ['request', request] : response ? ['response', response] : null;
  if (flow) {
    const [kind, scope] = flow;
    if (scope.method) {
      return `${kind}/${scope.method.replace(/^\//, '')}`;
    }
    return scope.service ? `${kind}/${scope.service}` : kind;
  }
  if (fn) {
    return `function/${fn.name}`;
  }
  if (event) {
    if (event.event) {
      return `event/${event.event}`;
    }
    return event.group ? `event/${event.group.replace(/\.\*$/, '')}.*` : 'event';
  }
  return '';
}

export async function render(container, ctx) {
  let targets = [];
  let executions = [];
  const notice = h('div', { id: 'console-status' });
  try {
    ({ targets } = await searchTargets(ctx.api));
    if (ctx.can('action.execution.read')) {
      executions = (await ctx.api.get('/v2beta/actions/executions'))?.result ?? [];
    }
  } catch (error) {
    replace(notice, message(error.message, 'error'));
  }

  const kind = select([['target', 'A target'], ['execution', 'An execution chain']], { id: 'console-kind' }, ctx.params.get('execution') ? 'execution' : 'target');
  const target = select(targets.map((t) => [t.id, t.name]), { id: 'console-target' }, ctx.params.get('target') ?? undefined);
  const execution = h('input', { id: 'console-execution', list: 'console-executions', placeholder: 'request/pkg.v1.Service/Method', value: ctx.params.get('execution') ?? '', autocomplete: 'off' });
  const executionList = h('datalist', { id: 'console-executions' }, executions.map((e) => h('option', { value: executionId(e.condition) })));
  const method = select(METHODS, { id: 'console-method' }, 'POST');
  const uriFragments = h('input', { id: 'console-uri-fragments', placeholder: 'id=1' });
  const parameters = h('input', { id: 'console-parameters', placeholder: 'page=2&q=x' });
  const headers = h('input', { id: 'console-headers', placeholder: 'Content-Type=application/json' });
  const body = h('textarea', { id: 'console-body', spellcheck: 'false', placeholder: '{"name": "Ada"}' });
  const targetField = field('Target', target);
  const executionField = h('div', { class: 'field wide' }, field('Execution id', execution, 'The canonical id; the whole flattened chain runs.'), executionList);
  const result = h('div', { id: 'console-result' });

  function toggle() {
    targetField.hidden = kind.value !== 'target';
    executionField.hidden = kind.value !== 'execution';
  }
  kind.addEventListener('change', toggle);
  toggle();

  const form = h('form', { class: 'panel', id: 'console-form' },
    h('div', { class: 'row' }, field('Run', kind), targetField, executionField),
    h('div', { class: 'row' },
      field('Method', method),
      h('div', { class: 'field wide' }, field('URI fragments', uriFragments)),
      h('div', { class: 'field wide' }, field('Parameters', parameters)),
      h('div', { class: 'field wide' }, field('Headers', headers))),
    h('div', { class: 'row' }, h('div', { class: 'field wide' }, field('Body (JSON)', body))),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn primary', id: 'console-run' }, 'Run')));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const actionId = kind.value === 'target' ? target.value : execution.value.trim();
    if (!actionId) {
      replace(result, message(kind.value === 'target' ? 'Create a target first.' : 'Give an execution id.', 'error'));
      return;
    }
    const request = { method: method.value, uriFragments: uriFragments.value, parameters: parameters.value, headers: headers.value };
    if (body.value.trim()) {
      try {
        request.body = JSON.parse(body.value);
      } catch (error) {
        replace(result, message(`The body is not JSON: ${error.message}`, 'error'));
        return;
      }
    }
    replace(result, h('p', { class: 'muted' }, 'Running…'));
    try {
      show(await ctx.api.post(`/backend/action/execute/${encodeURIComponent(actionId)}`, request));
    } catch (error) {
      replace(result, message(error.message, 'error'));
    }
  });

  function show(answer) {
    const ok = answer.statusCode >= 200 && answer.statusCode < 300;
    const rendered = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body, null, 2);
    replace(result, h('div', { class: 'panel' },
      h('h2', {}, 'Answer'),
      h('p', {}, 'Status ', h('span', { class: ['status', ok ? 'status-ok' : 'status-bad'], id: 'console-status-code' }, String(answer.statusCode))),
      table([
        { title: 'Header', cell: ([name]) => name },
        { title: 'Value', cell: ([, value]) => h('span', { class: 'mono' }, value) },
      ], Object.entries(answer.headers ?? {}), { empty: 'No headers.', id: 'console-headers-table' }),
      h('h2', {}, 'Body'),
      h('pre', { class: 'output', id: 'console-answer-body' }, rendered ?? 'null'),
      answer.trace ? [
        h('h2', {}, 'Trace'),
        table([
          { title: 'Target', cell: (t) => t.name },
          { title: 'Id', cell: (t) => h('span', { class: 'mono muted' }, t.id) },
          { title: 'Status', cell: (t) => (t.statusCode ? String(t.statusCode) : '') },
          { title: 'Duration', cell: (t) => `${t.durationMs} ms` },
          { title: 'Outcome', cell: (t) => t.outcome },
        ], answer.trace, { empty: 'No target ran.', id: 'console-trace' }),
      ] : null));
  }

  container.append(h('h1', {}, 'Console'), notice, form, result);
}
