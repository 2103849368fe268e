// Targets: the list at a glance (type, endpoint, timeout, interrupt flag, payload type, health), searchable by name, and, for a
// user holding action.target.write, create, edit, rotate the signing key (shown once) and delete. Through ZITADEL's GA routes:
// POST /v2/actions/targets/search, POST /v2/actions/targets, POST /v2/actions/targets/{id} (expirationSigningKey "0s" rotates
// the key), DELETE /v2/actions/targets/{id}.
//
// Health is the outcome of the target's latest delivery in the delivery history (GET /v2/actions/deliveries?targetId=…&limit=1):
// the history records async targets and event deliveries; a target called only synchronously (webhook or call in a request,
// response or function flow) has no deliveries and shows "no deliveries". Shown to users holding action.delivery.read.

import { h, button, field, select, table, message, replace, clear, formatDate } from '../dom.js';

const TYPES = [['restWebhook', 'webhook'], ['restCall', 'call'], ['restAsync', 'async']];
const PAYLOAD_TYPES = [['PAYLOAD_TYPE_JSON', 'JSON'], ['PAYLOAD_TYPE_JWT', 'JWT'], ['PAYLOAD_TYPE_JWE', 'JWE']];
const MAX_LIMIT = 1000;

/**
 * The tenant's targets sorted by name (the first 1000), optionally those whose name contains `name` (ignoring case); answers
 * {targets, total}. Shared by the pages that offer a target to choose.
 */
export async function searchTargets(api, name = '') {
  const body = { pagination: { offset: '0', limit: MAX_LIMIT, asc: true }, sortingColumn: 'TARGET_FIELD_NAME_NAME' };
  if (name) {
    body.filters = [{ targetNameFilter: { targetName: name, method: 'TEXT_FILTER_METHOD_CONTAINS_IGNORE_CASE' } }];
  }
  const page = await api.post('/v2/actions/targets/search', body);
  return { targets: page?.targets ?? [], total: Number(page?.pagination?.totalResult ?? 0) };
}

export function typeOf(target) {
  const found = TYPES.find(([key]) => target[key]);
  return found ? { key: found[0], label: found[1], interrupt: Boolean(target[found[0]].interruptOnError) } : { key: '', label: '?', interrupt: false };
}

/** "10s" → 10, "1.500s" → 1.5. */
function seconds(duration) {
  const value = Number.parseFloat(String(duration ?? '').replace(/s$/, ''));
  return Number.isFinite(value) ? value : 0;
}

const HEALTH = {
  DELIVERY_STATUS_DELIVERED: ['delivered', 'status-ok'],
  DELIVERY_STATUS_DEAD_LETTERED: ['dead letter', 'status-bad'],
  DELIVERY_STATUS_PENDING: ['pending', 'status-wait'],
};

export async function render(container, ctx) {
  const canWrite = ctx.can('action.target.write');
  const canSeeDeliveries = ctx.can('action.delivery.read');
  const status = h('div', { id: 'targets-status' });
  const secret = h('div', { id: 'targets-secret' });
  const editor = h('div', { id: 'targets-editor' });
  const list = h('div', { id: 'targets-list' });
  const search = h('input', { id: 'targets-search', type: 'search', placeholder: 'Search by name', 'aria-label': 'Search targets by name', autocomplete: 'off' });
  let searchTimer = 0;
  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(load, 200);
  });

  container.append(
    h('div', { class: 'toolbar' },
      h('h1', {}, 'Targets'),
      h('div', { class: 'actions' },
        search,
        canWrite ? button('New target', () => openEditor(null), { id: 'target-new', class: 'primary' }) : null)),
    status, secret, editor, list);

  function showError(error) {
    replace(status, message(error.message, 'error'));
  }

  function showKey(title, key) {
    const code = h('code', { class: 'mono', id: 'signing-key' }, key);
    const copied = h('span', { class: 'hint', role: 'status' });
    replace(secret, h('div', { class: 'secret', id: 'signing-key-panel' },
      h('strong', {}, title),
      code,
      button('Copy', async () => {
        try {
          await navigator.clipboard.writeText(key);
          copied.textContent = 'Copied.';
        } catch {
          const range = document.createRange();
          range.selectNodeContents(code);
          getSelection().removeAllRanges();
          getSelection().addRange(range);
          copied.textContent = 'Selected: press Ctrl+C to copy.';
        }
      }, { id: 'signing-key-copy', class: 'small' }),
      copied,
      button('Done', () => clear(secret), { class: 'small', id: 'signing-key-done' })),
      h('p', { class: 'hint' }, 'The key is shown only this once; the API never returns it again. Store it where the receiver verifies signatures.'));
  }

  function openEditor(target) {
    const type = target ? typeOf(target) : { key: 'restWebhook', interrupt: false };
    const name = h('input', { id: 'target-name', value: target?.name ?? '', required: 'required', autocomplete: 'off' });
    const endpoint = h('input', { id: 'target-endpoint', value: target?.endpoint ?? '', required: 'required', type: 'url', placeholder: 'https://example.com/hook' });
    const timeout = h('input', { id: 'target-timeout', type: 'number', min: '0.001', step: 'any', value: target ? String(seconds(target.timeout)) : '10' });
    const typeSelect = select(TYPES, { id: 'target-type' }, type.key);
    const interrupt = h('input', { id: 'target-interrupt', type: 'checkbox', checked: type.interrupt });
    const payload = select(PAYLOAD_TYPES, { id: 'target-payload' }, target?.payloadType ?? 'PAYLOAD_TYPE_JSON');
    const error = h('div');
    const form = h('form', { class: 'panel', id: 'target-form', novalidate: 'novalidate' },
      h('h2', {}, target ? `Edit target ${target.name}` : 'New target'),
      h('div', { class: 'row' },
        field('Name', name),
        h('div', { class: 'field wide' }, field('Endpoint', endpoint)),
        field('Type', typeSelect),
        field('Timeout (seconds)', timeout),
        field('Payload type', payload),
        h('label', { class: 'field' }, h('span', { class: 'field-label' }, 'Interrupt on error'), interrupt)),
      error,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'btn primary', id: 'target-save' }, target ? 'Save' : 'Create'),
        button('Cancel', () => clear(editor), { id: 'target-cancel' })));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const body = {
        name: name.value,
        endpoint: endpoint.value,
        timeout: `${timeout.value || '0'}s`,
        [typeSelect.value]: { interruptOnError: interrupt.checked },
        payloadType: payload.value,
      };
      try {
        if (target) {
          await ctx.api.post(`/v2/actions/targets/${encodeURIComponent(target.id)}`, body);
          replace(status, message(`Saved ${body.name}.`, 'ok'));
        } else {
          const created = await ctx.api.post('/v2/actions/targets', body);
          replace(status, message(`Created ${body.name}.`, 'ok'));
          showKey(`Signing key of ${body.name}:`, created.signingKey);
        }
        clear(editor);
        await load();
      } catch (failure) {
        replace(error, message(failure.message, 'error'));
      }
    });
    replace(editor, form);
    name.focus();
  }

  async function rotate(target) {
    try {
      const rotated = await ctx.api.post(`/v2/actions/targets/${encodeURIComponent(target.id)}`, { expirationSigningKey: '0s' });
      replace(status, message(`Rotated the signing key of ${target.name}; the old key no longer signs.`, 'ok'));
      showKey(`New signing key of ${target.name}:`, rotated.signingKey);
    } catch (error) {
      showError(error);
    }
  }

  function confirmDelete(target, cell) {
    replace(cell,
      h('span', { class: 'hint' }, `Delete ${target.name}?`),
      button('Delete', async () => {
        try {
          await ctx.api.delete(`/v2/actions/targets/${encodeURIComponent(target.id)}`);
          replace(status, message(`Deleted ${target.name}.`, 'ok'));
          await load();
        } catch (error) {
          showError(error);
        }
      }, { class: 'small danger', 'data-action': 'confirm-delete' }),
      button('Keep', () => load(), { class: 'small', 'data-action': 'cancel-delete' }));
  }

  function health(target) {
    const cell = h('span', { class: 'status status-none', 'data-health': target.id }, canSeeDeliveries ? '…' : '');
    if (!canSeeDeliveries) {
      return cell;
    }
    ctx.api.get('/v2/actions/deliveries', { targetId: target.id, limit: 1 }).then((page) => {
      const latest = page?.result?.[0];
      const [text, css] = latest ? HEALTH[latest.status] ?? [latest.status, 'status-none'] : ['no deliveries', 'status-none'];
      cell.className = `status ${css}`;
      cell.textContent = text;
      if (latest) {
        cell.title = `Latest delivery ${latest.id}, ${formatDate(latest.changeDate)}`;
      }
    }, (error) => {
      cell.textContent = 'unknown';
      cell.title = error.message;
    });
    return cell;
  }

  async function load() {
    let targets;
    let total;
    try {
      ({ targets, total } = await searchTargets(ctx.api, search.value.trim()));
    } catch (error) {
      showError(error);
      return;
    }
    const columns = [
      { title: 'Name', cell: (t) => h('span', { class: 'target-name' }, t.name) },
      { title: 'Type', cell: (t) => typeOf(t).label },
      { title: 'Endpoint', cell: (t) => h('span', { class: 'mono' }, t.endpoint) },
      { title: 'Timeout', cell: (t) => `${seconds(t.timeout)} s` },
      { title: 'Interrupt', cell: (t) => (typeOf(t).interrupt ? 'yes' : 'no') },
      { title: 'Payload', cell: (t) => String(t.payloadType ?? '').replace('PAYLOAD_TYPE_', '') },
      { title: 'Health', cell: health },
      { title: 'Id', cell: (t) => h('span', { class: 'mono muted' }, t.id) },
    ];
    if (canWrite) {
      columns.push({
        title: 'Actions',
        cell: (t) => {
          const cell = h('div', { class: 'actions' });
          return replace(cell,
            button('Edit', () => openEditor(t), { class: 'small', 'data-action': 'edit' }),
            button('Rotate key', () => rotate(t), { class: 'small', 'data-action': 'rotate' }),
            button('Delete', () => confirmDelete(t, cell), { class: 'small danger', 'data-action': 'delete' }));
        },
      });
    }
    replace(list, table(columns, targets, {
      id: 'targets-table',
      empty: search.value ? 'No target name contains this text.' : canWrite ? 'No targets yet: create one with New target.' : 'No targets yet.',
      rowProps: (t) => ({ 'data-id': t.id, 'data-name': t.name }),
    }), total > targets.length ? h('p', { class: 'hint' }, `The first ${targets.length} of ${total} targets, by name; search to narrow them.`) : null);
  }

  await load();
}
