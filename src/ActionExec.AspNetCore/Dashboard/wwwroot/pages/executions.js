// The Executions page: every execution of the tenant grouped by kind, each with its ordered entries (targets and includes),
// edited in place — drag and drop or the keyboard (Alt+ArrowUp/Down on a focused entry, or its move buttons) to reorder,
// pickers to add a target or an include, a button to remove an entry — and saved through the same SetExecution route
// every client uses (v2beta, which carries includes). The include graph is drawn above the lists with every unsaved change
// applied; a change that would make a cycle or a too deep chain is marked there and its Save is disabled with the reason,
// before anything is sent. The server still decides, and its refusal is shown on the execution too.

import {
  KINDS, SCOPES, CATALOG_OF_SCOPE, conditionId, conditionOf, entryKey, groupByKind, idOf, includeGraph, move,
  saveProblem, sameEntries, valueProblem, compareOrdinal,
} from '../executions-model.js';
import { field, h, message } from '../dom.js';
import { drawIncludeGraph } from '../include-graph.js';
import { picker } from '../picker.js';

const EXECUTION_WRITE = 'action.execution.write';
const KIND_TITLES = { request: 'Request', response: 'Response', function: 'Function', event: 'Event' };
const DISCOVERY = ['methods', 'services', 'functions', 'events', 'groups'];

/** The largest number of include hops the server allows (GET api/me carries it as limits.maxIncludeDepth; 2 by default). */
async function maxIncludeDepth(ctx) {
  try {
    const value = (await ctx.api.get('/me'))?.limits?.maxIncludeDepth;
    return Number.isInteger(value) && value >= 0 ? value : 2;
  } catch {
    return 2;
  }
}

/** The first array in a discovery answer ({"methods": [...]}); empty when the route is missing or refuses. */
async function discover(ctx, name) {
  try {
    const answer = await ctx.api.get(`/v2/actions/executions/${name}`);
    const list = answer?.[name] ?? Object.values(answer ?? {}).find(Array.isArray);
    return Array.isArray(list) ? list.filter((item) => typeof item === 'string') : [];
  } catch {
    return [];
  }
}

/** Renders the page into container. */
export async function render(container, ctx) {
  const page = new ExecutionsPage(container, ctx);
  await page.load();
}

class ExecutionsPage {
  constructor(container, ctx) {
    this.container = container;
    this.ctx = ctx;
    this.canWrite = ctx.can(EXECUTION_WRITE);
    this.maxDepth = 2;
    this.executions = [];
    this.targets = [];
    this.targetsKnown = false;
    this.catalog = Object.fromEntries(DISCOVERY.map((name) => [name, []]));
    this.drafts = new Map();
    this.serverErrors = new Map();
    this.pendingRemoval = new Set();
    this.live = h('p', { class: 'visually-hidden', 'aria-live': 'polite', id: 'executions-live' });
    this.body = h('div', { class: 'executions-body' });
    container.replaceChildren(
      h('h1', { text: 'Executions' }),
      h('p', { class: 'page-lead', text: 'Each execution runs its entries in order when its condition matches. An include runs the included execution\'s entries in its place.' }),
      this.live,
      this.body,
    );
  }

  async load() {
    this.body.replaceChildren(h('p', { class: 'muted', text: 'Loading executions…' }));
    try {
      const [executions, targets, maxDepth, ...lists] = await Promise.all([
        this.ctx.api.get('/v2beta/actions/executions'),
        // Without action.target.read the entries still show, by target id.
        this.ctx.api.get('/v2beta/actions/targets').catch(() => null),
        maxIncludeDepth(this.ctx),
        ...DISCOVERY.map((name) => discover(this.ctx, name)),
      ]);
      this.executions = executions?.result ?? [];
      this.targets = targets?.result ?? [];
      this.targetsKnown = targets !== null;
      this.maxDepth = maxDepth;
      DISCOVERY.forEach((name, i) => {
        this.catalog[name] = lists[i];
      });
    } catch (error) {
      this.body.replaceChildren(message(`The executions could not be loaded: ${error.message}`, 'error'));
      return;
    }
    this.draw();
  }

  announce(text) {
    // Cleared first, so the same sentence twice is announced twice.
    this.live.textContent = '';
    requestAnimationFrame(() => {
      this.live.textContent = text;
    });
  }

  savedEntries(id) {
    return this.executions.find((execution) => conditionId(execution.condition) === id)?.targets ?? [];
  }

  entriesOf(id) {
    return this.drafts.get(id)?.entries ?? this.savedEntries(id);
  }

  /** Changes an execution's entries; a list equal to the saved one is no longer a draft. */
  setEntries(id, entries, condition) {
    const draft = this.drafts.get(id);
    const isNew = draft?.isNew ?? false;
    this.serverErrors.delete(id);
    this.pendingRemoval.delete(id);
    if (!isNew && sameEntries(entries, this.savedEntries(id))) {
      this.drafts.delete(id);
    } else {
      this.drafts.set(id, { condition: condition ?? draft?.condition, entries, isNew });
    }
  }

  /** The saved executions with every draft applied: what the graph draws. */
  withDrafts() {
    const list = this.executions.filter((execution) => !this.drafts.has(conditionId(execution.condition)));
    for (const [, draft] of this.drafts) {
      list.push({ condition: draft.condition, targets: draft.entries });
    }
    return list;
  }

  problemOf(id) {
    const draft = this.drafts.get(id);
    if (!draft) {
      return null;
    }
    if (draft.isNew && draft.entries.length === 0) {
      return { kind: 'empty', message: 'Add a target or an include first; an execution without entries is not stored.' };
    }
    const targetIds = this.targetsKnown ? this.targets.map((target) => target.id) : null;
    return saveProblem(this.executions, id, draft.entries, targetIds, this.maxDepth);
  }

  targetLabel(id) {
    const target = this.targets.find((t) => t.id === id);
    if (!target) {
      return { label: id, hint: 'no such target' };
    }
    const type = target.restWebhook ? 'webhook' : target.restCall ? 'call' : target.restAsync ? 'async' : 'target';
    return { label: target.name ?? id, hint: `${type} · ${id}` };
  }

  /** Draws the whole page again; focus, when given, returns to that entry row ({id, key}) or element selector. */
  draw(focus) {
    const groups = groupByKind(this.withDrafts());
    const sections = KINDS.map((kind) => {
      const executions = groups[kind];
      return h('section', { class: 'execution-group', 'aria-labelledby': `group-${kind}` },
        h('h2', { id: `group-${kind}`, text: `${KIND_TITLES[kind]} (${executions.length})` }),
        executions.length === 0
          ? h('p', { class: 'empty', text: `No ${kind} execution.` })
          : executions.map((execution) => this.card(conditionId(execution.condition), execution.condition)));
    });
    this.body.replaceChildren(
      this.graphSection(),
      this.canWrite ? this.newExecutionForm() : h('p', { class: 'read-only-note', text: 'You can see the executions; changing them needs the permission action.execution.write.' }),
      ...sections,
    );
    if (focus?.key) {
      const card = [...this.body.querySelectorAll('.execution-card')].find((element) => element.dataset.id === focus.id);
      const row = card && [...card.querySelectorAll('.entry')].find((element) => element.dataset.key === focus.key);
      row?.focus();
    } else if (focus?.selector) {
      this.body.querySelector(focus.selector)?.focus();
    }
  }

  graphSection() {
    const graph = includeGraph(this.withDrafts());
    let problem = null;
    for (const id of [...this.drafts.keys()].sort(compareOrdinal)) {
      const found = this.problemOf(id);
      if (found?.path) {
        problem = found;
        break;
      }
    }
    const figure = h('figure', { class: 'include-graph-figure' });
    figure.append(drawIncludeGraph(this.withDrafts(), graph, problem, new Set(this.drafts.keys())));
    figure.append(h('figcaption', {
      class: problem ? 'problem' : '',
      text: problem
        ? `Unsaved changes would be refused: ${problem.message}.`
        : `An arrow goes from an execution to the one it includes. At most ${this.maxDepth} include hops from any execution.`,
    }));
    return h('section', { class: 'include-graph-section', 'aria-labelledby': 'include-graph-heading' },
      h('h2', { id: 'include-graph-heading', text: 'Include graph' }),
      figure);
  }

  newExecutionForm() {
    const kind = h('select', { id: 'new-execution-kind', name: 'kind' }, KINDS.map((k) => h('option', { value: k, text: KIND_TITLES[k] })));
    const scope = h('select', { id: 'new-execution-scope', name: 'scope' });
    const problem = h('p', { class: 'form-problem', role: 'status' });
    const value = picker({
      label: 'Value',
      id: 'new-execution-value',
      name: 'value',
      placeholder: '/pkg.v1.Service/Method',
      freeText: true,
      items: () => (this.catalog[CATALOG_OF_SCOPE[scope.value]] ?? []).map((item) => ({ value: item })),
    });
    const fillScopes = () => {
      scope.replaceChildren(...SCOPES[kind.value].map((s) => h('option', { value: s, text: s })));
      syncValue();
    };
    const syncValue = () => {
      const catalog = CATALOG_OF_SCOPE[scope.value];
      value.element.hidden = catalog === null;
      value.input.placeholder = { method: '/pkg.v1.Service/Method', service: 'pkg.v1.Service', name: 'preuserinfo', event: 'user.human.added', group: 'user.human' }[scope.value] ?? '';
      value.clear();
    };
    kind.addEventListener('change', fillScopes);
    scope.addEventListener('change', syncValue);
    fillScopes();

    const form = h('form', { class: 'new-execution panel', 'aria-labelledby': 'new-execution-heading', novalidate: true },
      h('h2', { id: 'new-execution-heading', text: 'New execution' }),
      h('div', { class: 'row' },
        field('Kind', kind),
        field('Scope', scope),
        value.element,
        h('button', { type: 'submit', id: 'new-execution-add', class: 'btn primary', text: 'Add execution' })),
      problem);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const reason = valueProblem(scope.value, value.value());
      if (reason) {
        problem.textContent = reason;
        return;
      }
      const id = idOf(kind.value, scope.value, value.value());
      const exists = this.executions.some((execution) => conditionId(execution.condition) === id) || this.drafts.has(id);
      if (!exists) {
        this.drafts.set(id, { condition: conditionOf(kind.value, scope.value, value.value()), entries: [], isNew: true });
      }
      this.draw();
      const card = [...this.body.querySelectorAll('.execution-card')].find((element) => element.dataset.id === id);
      card?.querySelector('.add-target input')?.focus();
      this.announce(exists ? `${id} exists already; its entries are shown.` : `Execution ${id} added; add its entries, then save.`);
    });
    return form;
  }

  card(id, condition) {
    const entries = this.entriesOf(id);
    const draft = this.drafts.get(id);
    const saved = this.executions.find((execution) => conditionId(execution.condition) === id);
    const problem = this.problemOf(id);
    const serverError = this.serverErrors.get(id);
    const headingId = `execution-${cssId(id)}`;

    const header = h('header', { class: 'execution-header' },
      h('h3', { id: headingId, class: 'execution-id', text: id }),
      saved && this.ctx.can('action.target.write')
        ? h('button', { type: 'button', class: 'btn small try-in-console', text: 'Try in console', 'aria-label': `Run the chain of ${id} in the console`, on: { click: () => this.ctx.navigate('console', { execution: id }) } })
        : null,
      draft ? h('span', { class: 'badge unsaved', text: draft.isNew ? 'new, unsaved' : 'unsaved' }) : null,
      saved?.details ? h('span', { class: 'execution-details', text: `sequence ${saved.details.sequence} · changed ${saved.details.changeDate}` }) : null);

    const list = h('ol', { class: 'entries', 'aria-labelledby': headingId });
    entries.forEach((entry, index) => list.append(this.entryRow(id, condition, entries, entry, index)));
    if (entries.length === 0) {
      list.append(h('li', { class: 'entries-empty', text: draft && !draft.isNew ? 'No entries: saving removes this execution.' : 'No entries yet.' }));
    }
    if (this.canWrite) {
      this.enableDrop(list, id, condition);
    }

    const card = h('article', { class: 'execution-card', 'data-id': id, 'aria-labelledby': headingId }, header, list);
    if (this.canWrite) {
      card.append(this.adders(id, condition, entries));
      if (serverError) {
        card.append(h('p', { class: 'server-error', role: 'alert', text: `The server refused the change: ${serverError}` }));
      }
      card.append(this.actions(id, condition, entries, draft, saved, problem));
    }
    return card;
  }

  entryRow(id, condition, entries, entry, index) {
    const isTarget = typeof entry.target === 'string';
    const { label, hint } = isTarget ? this.targetLabel(entry.target) : { label: conditionId(entry.include), hint: 'include' };
    const key = entryKey(entry);
    const position = `${index + 1} of ${entries.length}`;
    const row = h('li', {
      class: `entry ${isTarget ? 'entry-target' : 'entry-include'}`,
      'data-key': key, 'data-index': String(index),
      tabindex: this.canWrite ? '0' : null,
      draggable: this.canWrite ? 'true' : null,
      'aria-label': `${isTarget ? 'Target' : 'Include'} ${label}, ${position}`,
    },
    this.canWrite ? h('span', { class: 'entry-handle', 'aria-hidden': 'true', text: '⠿' }) : null,
    h('span', { class: 'entry-position', text: String(index + 1) }),
    h('span', { class: 'entry-kind', text: isTarget ? 'target' : 'include' }),
    h('span', { class: 'entry-label', text: label }),
    h('span', { class: 'entry-hint', text: hint }));

    if (!this.canWrite) {
      return row;
    }
    const moveTo = (to, how) => {
      if (to < 0 || to >= entries.length) {
        return;
      }
      this.setEntries(id, move(entries, index, to), condition);
      this.draw({ id, key });
      this.announce(`Moved ${label} to position ${to + 1} of ${entries.length}${how}.`);
    };
    row.addEventListener('keydown', (event) => {
      if (event.target !== row || !event.altKey) {
        return;
      }
      if (event.key === 'ArrowUp') {
        event.preventDefault();
        moveTo(index - 1, '');
      } else if (event.key === 'ArrowDown') {
        event.preventDefault();
        moveTo(index + 1, '');
      }
    });
    row.append(h('span', { class: 'entry-buttons' },
      h('button', { type: 'button', 'aria-label': `Move ${label} up`, title: 'Move up (Alt+ArrowUp)', disabled: index === 0, text: '↑', class: 'btn small move-up', on: { click: () => moveTo(index - 1, '') } }),
      h('button', { type: 'button', 'aria-label': `Move ${label} down`, title: 'Move down (Alt+ArrowDown)', disabled: index === entries.length - 1, text: '↓', class: 'btn small move-down', on: { click: () => moveTo(index + 1, '') } }),
      h('button', {
        type: 'button',
        class: 'btn small danger remove-entry',
        'aria-label': `Remove ${label}`,
        text: 'Remove',
        on: {
          click: () => {
            this.setEntries(id, entries.filter((_, i) => i !== index), condition);
            this.draw();
            this.announce(`Removed ${label}; save to keep the change.`);
          },
        },
      })));
    return row;
  }

  /** HTML5 drag and drop within one list: the row dropped on decides the place, before or after it by the pointer's half. */
  enableDrop(list, id, condition) {
    let dragged = -1;
    const clear = () => list.querySelectorAll('.drop-before, .drop-after, .dragging').forEach((row) => row.classList.remove('drop-before', 'drop-after', 'dragging'));
    const rowOf = (event) => event.target instanceof Element ? event.target.closest('.entry') : null;
    list.addEventListener('dragstart', (event) => {
      const row = rowOf(event);
      if (!row) {
        return;
      }
      dragged = Number(row.dataset.index);
      row.classList.add('dragging');
      event.dataTransfer.effectAllowed = 'move';
      event.dataTransfer.setData('text/plain', row.dataset.key);
    });
    list.addEventListener('dragover', (event) => {
      const row = rowOf(event);
      if (dragged < 0 || !row) {
        return;
      }
      event.preventDefault();
      event.dataTransfer.dropEffect = 'move';
      const box = row.getBoundingClientRect();
      const after = event.clientY > box.top + box.height / 2;
      list.querySelectorAll('.drop-before, .drop-after').forEach((other) => other.classList.remove('drop-before', 'drop-after'));
      row.classList.add(after ? 'drop-after' : 'drop-before');
    });
    list.addEventListener('dragleave', (event) => {
      if (event.target === list) {
        list.querySelectorAll('.drop-before, .drop-after').forEach((row) => row.classList.remove('drop-before', 'drop-after'));
      }
    });
    list.addEventListener('dragend', () => {
      dragged = -1;
      clear();
    });
    list.addEventListener('drop', (event) => {
      const row = rowOf(event);
      if (dragged < 0 || !row) {
        return;
      }
      event.preventDefault();
      const over = Number(row.dataset.index);
      const box = row.getBoundingClientRect();
      const after = event.clientY > box.top + box.height / 2;
      // Dropped after a row further down, the row moves to that row's place; before a row further up, likewise.
      let to = after ? over + 1 : over;
      if (to > dragged) {
        to -= 1;
      }
      const entries = this.entriesOf(id);
      const entry = entries[dragged];
      const from = dragged;
      dragged = -1;
      clear();
      if (to === from || !entry) {
        return;
      }
      this.setEntries(id, move(entries, from, to), condition);
      const { label } = typeof entry.target === 'string' ? this.targetLabel(entry.target) : { label: conditionId(entry.include) };
      this.draw({ id, key: entryKey(entry) });
      this.announce(`Moved ${label} to position ${to + 1} of ${entries.length}.`);
    });
  }

  adders(id, condition, entries) {
    const add = (entry, label) => {
      this.setEntries(id, [...entries, entry], condition);
      this.draw({ id, key: entryKey(entry) });
      this.announce(`Added ${label} at position ${entries.length + 1}; save to keep the change.`);
    };
    const target = picker({
      label: 'Add target',
      placeholder: 'Type to filter targets',
      items: () => this.targets
        .filter((t) => !entries.some((entry) => entry.target === t.id))
        .map((t) => ({ value: t.id, label: t.name ?? t.id, hint: this.targetLabel(t.id).hint })),
      onPick: (value) => add({ target: value }, this.targetLabel(value).label),
    });
    target.element.classList.add('add-target');
    const include = picker({
      label: 'Add include',
      placeholder: 'Type to filter executions',
      items: () => this.executions
        .map((execution) => conditionId(execution.condition))
        .filter((other) => other !== id && !entries.some((entry) => entry.include && conditionId(entry.include) === other))
        .sort(compareOrdinal)
        .map((other) => ({ value: other, hint: `${this.savedEntries(other).length} entries` })),
      onPick: (value) => {
        const included = this.executions.find((execution) => conditionId(execution.condition) === value);
        if (included) {
          add({ include: included.condition }, value);
        }
      },
    });
    include.element.classList.add('add-include');
    return h('div', { class: 'entry-adders' }, target.element, include.element);
  }

  actions(id, condition, entries, draft, saved, problem) {
    const removing = draft && !draft.isNew && entries.length === 0;
    const reasonId = `save-reason-${cssId(id)}`;
    const save = h('button', {
      type: 'button',
      class: 'btn primary save-execution',
      disabled: !draft || problem !== null,
      'aria-describedby': problem ? reasonId : null,
      text: removing ? 'Save (removes the execution)' : 'Save',
      on: { click: () => this.save(id, condition, entries) },
    });
    const row = h('div', { class: 'execution-actions' }, save);
    if (draft) {
      row.append(h('button', {
        type: 'button',
        class: 'btn discard-execution',
        text: draft.isNew ? 'Discard' : 'Discard changes',
        on: {
          click: () => {
            this.drafts.delete(id);
            this.serverErrors.delete(id);
            this.draw();
            this.announce(`Changes to ${id} discarded.`);
          },
        },
      }));
    }
    if (saved && !draft) {
      const confirming = this.pendingRemoval.has(id);
      row.append(h('button', {
        type: 'button',
        class: confirming ? 'btn danger remove-execution confirm' : 'btn danger remove-execution',
        text: confirming ? `Confirm: remove ${id}` : 'Remove execution',
        on: {
          click: () => {
            if (confirming) {
              this.pendingRemoval.delete(id);
              this.save(id, condition, []);
            } else {
              this.pendingRemoval.add(id);
              this.draw({ selector: `.execution-card[data-id="${CSS.escape(id)}"] .remove-execution` });
              this.announce(`Press again to remove ${id}; its entries no longer run.`);
            }
          },
        },
      }));
    }
    if (problem) {
      row.append(h('p', { id: reasonId, class: 'save-reason', text: `Save is disabled: ${problem.message}` }));
    }
    return row;
  }

  async save(id, condition, entries) {
    try {
      await this.ctx.api.put('/v2beta/actions/executions', { condition, targets: entries });
    } catch (error) {
      this.serverErrors.set(id, error.message);
      if (entries.length === 0 && !this.drafts.has(id)) {
        this.drafts.set(id, { condition, entries, isNew: false });
      }
      // A refusal usually means the list changed since it was read: read it again, so the graph and the check show why.
      await this.reload();
      this.draw();
      this.announce(`The server refused the change to ${id}: ${error.message}`);
      return;
    }
    this.drafts.delete(id);
    this.serverErrors.delete(id);
    await this.reload();
    this.draw();
    this.announce(entries.length === 0 ? `Removed ${id}.` : `Saved ${id}.`);
  }

  /** Reads the saved executions again; the drafts stay. On failure the list read before stays, and the page says so. */
  async reload() {
    try {
      this.executions = (await this.ctx.api.get('/v2beta/actions/executions'))?.result ?? [];
    } catch (error) {
      this.ctx.report?.(error);
    }
  }
}

const elementIds = new Map();

/** A stable element id for a condition id (which holds '/', '.' and '*'), distinct for distinct conditions. */
function cssId(id) {
  if (!elementIds.has(id)) {
    elementIds.set(id, `${id.replace(/[^A-Za-z0-9_-]/g, '_')}-${elementIds.size}`);
  }
  return elementIds.get(id);
}
