// Deliveries: the delivery history (GET /v2/actions/deliveries) with filters by status, target and time, newest first and in
// pages; one delivery with its attempts; the dead letters; and, for a user holding action.delivery.write, replay one delivery or
// every dead letter since a time (optionally for one target).

import { h, button, field, select, table, message, replace, formatDate, toRfc3339 } from '../dom.js';
import { searchTargets } from './targets.js';

const STATUSES = [['', 'any'], ['pending', 'pending'], ['delivered', 'delivered'], ['dead_lettered', 'dead letter']];
const STATUS_VIEW = {
  DELIVERY_STATUS_DELIVERED: ['delivered', 'status-ok'],
  DELIVERY_STATUS_DEAD_LETTERED: ['dead letter', 'status-bad'],
  DELIVERY_STATUS_PENDING: ['pending', 'status-wait'],
};
const OUTCOME_VIEW = {
  DELIVERY_ATTEMPT_OUTCOME_SUCCEEDED: ['succeeded', 'status-ok'],
  DELIVERY_ATTEMPT_OUTCOME_RETRYING: ['retrying', 'status-wait'],
  DELIVERY_ATTEMPT_OUTCOME_GAVE_UP: ['gave up', 'status-bad'],
};
const PAGE_SIZE = 50;

function badge(views, value) {
  const [text, css] = views[value] ?? [String(value ?? ''), 'status-none'];
  return h('span', { class: ['status', css] }, text);
}

export async function render(container, ctx) {
  const canReplay = ctx.can('action.delivery.write');
  let targets = [];
  if (ctx.can('action.target.read')) {
    try {
      ({ targets } = await searchTargets(ctx.api));
    } catch {
      targets = [];
    }
  }
  const targetName = (id) => targets.find((t) => t.id === id)?.name ?? id;
  const targetOptions = [['', 'any'], ...targets.map((t) => [t.id, t.name])];

  const status = select(STATUSES, { id: 'filter-status' }, ctx.params.get('status') ?? '');
  const target = select(targetOptions, { id: 'filter-target' }, ctx.params.get('targetId') ?? '');
  const from = h('input', { id: 'filter-from', type: 'datetime-local', step: '1' });
  const to = h('input', { id: 'filter-to', type: 'datetime-local', step: '1' });
  const notice = h('div', { id: 'deliveries-status' });
  const list = h('div', { id: 'deliveries-list' });
  const detail = h('div', { id: 'delivery-detail' });
  const pager = h('div', { class: 'actions' });
  let offset = 0;

  const filters = h('form', { class: 'panel row', id: 'deliveries-filters' },
    field('Status', status), field('Target', target), field('From', from), field('To', to),
    h('button', { type: 'submit', class: 'btn primary', id: 'filter-apply' }, 'Apply'),
    button('Dead letters', () => {
      status.value = 'dead_lettered';
      offset = 0;
      load();
    }, { id: 'filter-dead-letters' }));
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    offset = 0;
    load();
  });

  let replayAll = null;
  if (canReplay) {
    const since = h('input', { id: 'replay-since', type: 'datetime-local', step: '1' });
    const replayTarget = select(targetOptions, { id: 'replay-target' });
    replayAll = h('form', { class: 'panel row', id: 'replay-all' },
      h('strong', {}, 'Replay dead letters'),
      field('Since', since), field('Target', replayTarget),
      h('button', { type: 'submit', class: 'btn', id: 'replay-all-submit' }, 'Replay all'));
    replayAll.addEventListener('submit', async (event) => {
      event.preventDefault();
      const sinceValue = toRfc3339(since.value);
      if (!sinceValue) {
        replace(notice, message('Give the time from which dead letters are replayed.', 'error'));
        return;
      }
      try {
        const body = { since: sinceValue };
        if (replayTarget.value) {
          body.targetId = replayTarget.value;
        }
        const answer = await ctx.api.post('/v2/actions/deliveries/replay', body);
        replace(notice, message(`Replayed ${answer?.replayed ?? 0} dead letter(s).`, 'ok'));
        await load();
      } catch (error) {
        replace(notice, message(error.message, 'error'));
      }
    });
  }

  container.append(h('h1', {}, 'Deliveries'), filters, replayAll, notice, list, pager, detail);

  async function replay(id) {
    try {
      await ctx.api.post(`/v2/actions/deliveries/${encodeURIComponent(id)}/replay`, {});
      replace(notice, message(`Replayed delivery ${id}: it is due again with the same id.`, 'ok'));
      await load();
      await open(id);
    } catch (error) {
      replace(notice, message(error.message, 'error'));
    }
  }

  async function open(id) {
    let delivery;
    try {
      delivery = (await ctx.api.get(`/v2/actions/deliveries/${encodeURIComponent(id)}`))?.delivery;
    } catch (error) {
      replace(detail, message(error.message, 'error'));
      return;
    }
    for (const row of list.querySelectorAll('tr[data-id]')) {
      row.classList.toggle('selected', row.dataset.id === id);
    }
    replace(detail, h('div', { class: 'panel', id: 'delivery-attempts', 'data-id': delivery.id },
      h('div', { class: 'toolbar' },
        h('h2', {}, 'Delivery ', h('span', { class: 'mono' }, delivery.id)),
        canReplay && delivery.status !== 'DELIVERY_STATUS_PENDING'
          ? button('Replay', () => replay(delivery.id), { class: 'primary', id: 'delivery-replay' })
          : null),
      h('p', {}, badge(STATUS_VIEW, delivery.status), ' ', h('span', { class: 'mono' }, delivery.source ?? ''),
        ` · ${delivery.replays ?? 0} replay(s)`,
        delivery.nextAttemptDate ? ` · next attempt ${formatDate(delivery.nextAttemptDate)}` : '',
        delivery.givenUpTargetIds?.length ? ` · gave up on ${delivery.givenUpTargetIds.map(targetName).join(', ')}` : ''),
      table([
        { title: 'Target', cell: (a) => targetName(a.targetId) },
        { title: 'Attempt', cell: (a) => String(a.attempt) },
        { title: 'Started', cell: (a) => formatDate(a.startDate) },
        { title: 'Duration', cell: (a) => a.duration ?? '' },
        { title: 'Outcome', cell: (a) => badge(OUTCOME_VIEW, a.outcome) },
        { title: 'Status', cell: (a) => (a.statusCode ? String(a.statusCode) : '') },
        { title: 'Reason', cell: (a) => a.reason ?? '' },
      ], delivery.attempts ?? [], { empty: 'No attempts yet.', id: 'attempts-table' }),
      delivery.payload ? h('pre', { class: 'output' }, delivery.payload) : null));
  }

  async function load() {
    const query = {
      status: status.value || undefined,
      targetId: target.value || undefined,
      from: toRfc3339(from.value),
      to: toRfc3339(to.value),
      offset,
      limit: PAGE_SIZE,
    };
    let page;
    try {
      page = await ctx.api.get('/v2/actions/deliveries', query);
    } catch (error) {
      replace(notice, message(error.message, 'error'));
      return;
    }
    const rows = page?.result ?? [];
    replace(list, table([
      { title: 'Id', cell: (d) => h('a', { href: '#', class: 'mono', on: { click: (e) => { e.preventDefault(); open(d.id); } } }, d.id) },
      { title: 'Source', cell: (d) => h('span', { class: 'mono' }, d.source ?? '') },
      { title: 'Targets', cell: (d) => (d.targetIds ?? []).map(targetName).join(', ') },
      { title: 'Status', cell: (d) => badge(STATUS_VIEW, d.status) },
      { title: 'Created', cell: (d) => formatDate(d.creationDate) },
      { title: 'Changed', cell: (d) => formatDate(d.changeDate) },
      { title: 'Replays', cell: (d) => String(d.replays ?? 0) },
    ], rows, {
      id: 'deliveries-table',
      'data-filter': new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined)).toString(),
      empty: 'No deliveries match.',
      rowProps: (d) => ({ 'data-id': d.id, 'data-status': d.status }),
    }));
    const total = Number(page?.details?.totalResult ?? rows.length);
    replace(pager,
      h('span', { class: 'muted' }, total === 0 ? '' : `${offset + 1}–${offset + rows.length} of ${total}`),
      offset > 0 ? button('Newer', () => { offset = Math.max(0, offset - PAGE_SIZE); load(); }, { class: 'small' }) : null,
      offset + rows.length < total ? button('Older', () => { offset += PAGE_SIZE; load(); }, { class: 'small' }) : null,
      button('Refresh', () => load(), { class: 'small', id: 'deliveries-refresh' }));
    for (const stale of notice.querySelectorAll('.msg-error')) {
      stale.remove();
    }
  }

  await load();
  if (ctx.params.get('id')) {
    await open(ctx.params.get('id'));
  }
}
