// The Executions and Explain pages' rules, without the DOM: condition ids, entry lists and the include graph.
// The include check is the one Core applies when an execution is set (SPEC §3 step 8, Core's IncludeGraph): the tenant's
// graph with the change applied must be acyclic, and no chain from any execution may have more include hops than the
// maximum. It runs here so the page can say why a save would be refused before it is sent; the server still decides.

/** The kinds of a condition, in the order the page shows them. */
export const KINDS = Object.freeze(['request', 'response', 'function', 'event']);

/** The scopes each kind offers, in the order a form lists them. */
export const SCOPES = Object.freeze({
  request: Object.freeze(['method', 'service', 'all']),
  response: Object.freeze(['method', 'service', 'all']),
  function: Object.freeze(['name']),
  event: Object.freeze(['event', 'group', 'all']),
});

/** The discovery list that suggests values for a scope; null where the scope takes no value. */
export const CATALOG_OF_SCOPE = Object.freeze({
  method: 'methods',
  service: 'services',
  name: 'functions',
  event: 'events',
  group: 'groups',
  all: null,
});

const GROUP_SUFFIX = '.*';

/** The kind a wire condition names ({"request": {…}} → "request"), or null when it names none. */
export function kindOf(condition) {
  if (!condition || typeof condition !== 'object') {
    return null;
  }
  return KINDS.find((kind) => condition[kind] !== undefined && condition[kind] !== null) ?? null;
}

/** The scope and value of a wire condition: {kind, scope, value}; value is '' for "all". */
export function partsOf(condition) {
  const kind = kindOf(condition);
  if (kind === null) {
    return null;
  }
  const body = condition[kind] ?? {};
  for (const scope of SCOPES[kind]) {
    if (scope === 'all') {
      if (body.all === true) {
        return { kind, scope, value: '' };
      }
    } else if (typeof body[scope] === 'string') {
      return { kind, scope, value: body[scope] };
    }
  }
  return null;
}

/**
 * The canonical id of a wire condition, as Core writes it: request/pkg.v1.Service/Method, request/pkg.v1.Service, request,
 * function/name, event/user.human.added, event/user.human.*, event. A method's leading '/' may be missing; a group's '.*' is
 * not doubled. Null for a condition that is not well formed.
 */
export function conditionId(condition) {
  const parts = partsOf(condition);
  return parts === null ? null : idOf(parts.kind, parts.scope, parts.value);
}

/** The canonical id of a kind, scope and value (see conditionId). */
export function idOf(kind, scope, value) {
  const text = (value ?? '').trim();
  switch (scope) {
    case 'all':
      return kind;
    case 'method':
      return kind + (text.startsWith('/') ? text : '/' + text);
    case 'group':
      return 'event/' + (text.endsWith(GROUP_SUFFIX) ? text : text + GROUP_SUFFIX);
    default:
      return kind + '/' + text;
  }
}

/** The wire condition of a kind, scope and value: {"request": {"method": "/pkg.v1.Service/Method"}}. */
export function conditionOf(kind, scope, value) {
  const text = (value ?? '').trim();
  if (scope === 'all') {
    return { [kind]: { all: true } };
  }
  if (scope === 'method') {
    return { [kind]: { method: text.startsWith('/') ? text : '/' + text } };
  }
  if (scope === 'group') {
    return { [kind]: { group: text.endsWith(GROUP_SUFFIX) ? text.slice(0, -GROUP_SUFFIX.length) : text } };
  }
  return { [kind]: { [scope]: text } };
}

/** The wire condition of a canonical id (the inverse of conditionId), or null when the id is not one. */
export function conditionFromId(id) {
  if (typeof id !== 'string' || id.length === 0) {
    return null;
  }
  const slash = id.indexOf('/');
  const head = slash < 0 ? id : id.slice(0, slash);
  const rest = slash < 0 ? null : id.slice(slash + 1);
  if (rest === null) {
    return head === 'request' || head === 'response' || head === 'event' ? { [head]: { all: true } } : null;
  }
  if (rest.length === 0) {
    return null;
  }
  switch (head) {
    case 'request':
    case 'response':
      return rest.includes('/') ? conditionOf(head, 'method', '/' + rest) : conditionOf(head, 'service', rest);
    case 'function':
      return conditionOf('function', 'name', rest);
    case 'event':
      return rest.endsWith(GROUP_SUFFIX) ? conditionOf('event', 'group', rest) : conditionOf('event', 'event', rest);
    default:
      return null;
  }
}

/** What a value given for a scope lacks, as a sentence; null when it is acceptable here (the server checks the rest). */
export function valueProblem(scope, value) {
  if (scope === 'all') {
    return null;
  }
  const text = (value ?? '').trim();
  if (text.length === 0) {
    return `Give a ${scope === 'name' ? 'function name' : scope}.`;
  }
  if (text.length > 1000) {
    return `The ${scope} is ${text.length} characters long; give at most 1000.`;
  }
  if (/\s/.test(text)) {
    return `The ${scope} '${text}' contains whitespace; remove it.`;
  }
  if (scope === 'method') {
    const path = text.startsWith('/') ? text.slice(1) : text;
    const parts = path.split('/');
    if (parts.length !== 2 || parts[0].length === 0 || parts[1].length === 0) {
      return `The method '${text}' is not a full method; give /service/method, such as /pkg.v1.Service/Method.`;
    }
  }
  return null;
}

/** An entry's identity within one list: "target:<id>" or "include:<condition id>". */
export function entryKey(entry) {
  if (entry && typeof entry.target === 'string') {
    return 'target:' + entry.target;
  }
  if (entry && entry.include) {
    return 'include:' + conditionId(entry.include);
  }
  return 'unknown:';
}

/** The executions of a list grouped by kind: {request: [...], response: [...], function: [...], event: [...]}, each sorted by id. */
export function groupByKind(executions) {
  const groups = Object.fromEntries(KINDS.map((kind) => [kind, []]));
  for (const execution of executions ?? []) {
    const kind = kindOf(execution.condition);
    if (kind !== null) {
      groups[kind].push(execution);
    }
  }
  for (const kind of KINDS) {
    groups[kind].sort((a, b) => compareOrdinal(conditionId(a.condition), conditionId(b.condition)));
  }
  return groups;
}

/** A copy of list with the item at from moved to to (both clamped to the list); the list itself is not changed. */
export function move(list, from, to) {
  const copy = [...list];
  if (from < 0 || from >= copy.length) {
    return copy;
  }
  const target = Math.max(0, Math.min(copy.length - 1, to));
  const [item] = copy.splice(from, 1);
  copy.splice(target, 0, item);
  return copy;
}

/** The entries named twice in one list (SetExecution refuses them), as sentences; empty when there are none. */
export function duplicateProblems(entries) {
  const seen = new Set();
  const problems = [];
  for (const entry of entries) {
    const key = entryKey(entry);
    if (seen.has(key)) {
      problems.push(key.startsWith('target:')
        ? `The target '${entry.target}' is listed twice; keep it once.`
        : `The include of '${conditionId(entry.include)}' is listed twice; keep it once.`);
    }
    seen.add(key);
  }
  return problems;
}

/** The condition ids an entry list includes, in list order. */
export function includesOf(entries) {
  return (entries ?? []).filter((entry) => entry && entry.include).map((entry) => conditionId(entry.include));
}

/**
 * The include graph of a tenant: every execution that has includes, mapped to the ids it includes, in list order. With
 * changedId and entries, that execution's list is replaced first (an empty list removes it), as SetExecution would.
 */
export function includeGraph(executions, changedId, entries) {
  const graph = new Map();
  for (const execution of executions ?? []) {
    const includes = includesOf(execution.targets);
    if (includes.length > 0) {
      graph.set(conditionId(execution.condition), includes);
    }
  }
  if (changedId) {
    graph.delete(changedId);
    const includes = includesOf(entries);
    if (includes.length > 0) {
      graph.set(changedId, includes);
    }
  }
  return graph;
}

/**
 * The first cycle or too deep include chain of a graph, or null: {kind: "cycle"|"depth", path, depth, maxDepth, message}.
 * A cycle is reported before any depth problem. The search starts at startAt, then the other executions in ordinal order;
 * children are visited in list order, so the answer is the one the server gives for the same graph.
 */
export function checkIncludeGraph(graph, maxDepth, startAt) {
  const keys = [...graph.keys()].sort(compareOrdinal);
  const order = startAt ? [startAt, ...keys] : keys;
  const state = new Map();
  const height = new Map();
  const next = new Map();
  const childrenOf = (id) => graph.get(id) ?? [];
  const raise = (parent, child) => {
    if ((height.get(child) ?? 0) + 1 > (height.get(parent) ?? 0)) {
      height.set(parent, (height.get(child) ?? 0) + 1);
      next.set(parent, child);
    }
  };

  for (const root of order) {
    if (state.has(root)) {
      continue;
    }
    // An explicit stack, as a long chain must not exhaust the browser's call stack either.
    const stack = [{ id: root, cursor: 0 }];
    const position = new Map([[root, 0]]);
    state.set(root, 'path');
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const children = childrenOf(top.id);
      if (top.cursor < children.length) {
        const child = children[top.cursor++];
        const seen = state.get(child);
        if (seen === undefined) {
          state.set(child, 'path');
          position.set(child, stack.length);
          stack.push({ id: child, cursor: 0 });
        } else if (seen === 'path') {
          const path = [...stack.slice(position.get(child)).map((frame) => frame.id), child];
          return problem('cycle', path, path.length - 1, maxDepth);
        } else {
          raise(top.id, child);
        }
        continue;
      }
      state.set(top.id, 'done');
      stack.pop();
      if (stack.length > 0) {
        raise(stack[stack.length - 1].id, top.id);
      }
    }
  }

  for (const root of order) {
    if ((height.get(root) ?? 0) > maxDepth) {
      const path = [];
      for (let id = root; id !== undefined; id = next.get(id)) {
        path.push(id);
      }
      return problem('depth', path, path.length - 1, maxDepth);
    }
  }
  return null;
}

function problem(kind, path, depth, maxDepth) {
  const message = kind === 'cycle'
    ? 'include cycle: ' + path.join(' -> ')
    : `include depth ${depth} exceeds ${maxDepth}: ` + path.join(' -> ');
  return { kind, path, depth, maxDepth, message };
}

/**
 * Why an entry list cannot be saved as it stands, or null: the same entry twice, an include of an execution that does not
 * exist, a target that does not exist, or an include cycle or too deep chain in the tenant's graph with the change applied.
 * executions is the saved list; targetIds the ids of the tenant's targets, or null when they are not known.
 */
export function saveProblem(executions, changedId, entries, targetIds, maxDepth) {
  const duplicates = duplicateProblems(entries);
  if (duplicates.length > 0) {
    return { kind: 'duplicate', message: duplicates.join(' ') };
  }
  const existing = new Set((executions ?? []).map((execution) => conditionId(execution.condition)));
  const missingIncludes = includesOf(entries).filter((id) => !existing.has(id));
  if (missingIncludes.length > 0) {
    return { kind: 'notFound', message: `No execution exists for ${missingIncludes.join(', ')}; create it first or remove the include.` };
  }
  // Without the tenant's targets (a user who may not read them) the server alone checks the ids.
  const known = targetIds ? new Set(targetIds) : null;
  const missingTargets = known === null ? [] : entries.filter((entry) => typeof entry.target === 'string' && !known.has(entry.target)).map((entry) => entry.target);
  if (missingTargets.length > 0) {
    return { kind: 'notFound', message: `No target has the id ${missingTargets.join(', ')}; remove it from the list.` };
  }
  if (includesOf(entries).length === 0) {
    return null;
  }
  return checkIncludeGraph(includeGraph(executions, changedId, entries), maxDepth, changedId);
}

/** Whether two entry lists are the same entries in the same order (SetExecution then writes nothing). */
export function sameEntries(a, b) {
  return a.length === b.length && a.every((entry, i) => entryKey(entry) === entryKey(b[i]));
}

/**
 * The layers of an include graph for drawing: every execution id (nodes), the include edges, and a column per node so that
 * an execution stands left of everything it includes (its height counted from the right). Cyclic parts get the column of
 * the first visit, so a drawing of a refused change still shows every node.
 */
export function graphLayout(executions, graph) {
  const nodes = new Set((executions ?? []).map((execution) => conditionId(execution.condition)));
  const edges = [];
  for (const [from, tos] of graph) {
    nodes.add(from);
    for (const to of tos) {
      nodes.add(to);
      edges.push({ from, to });
    }
  }
  const height = new Map();
  const measuring = new Set();
  const measure = (id) => {
    if (height.has(id)) {
      return height.get(id);
    }
    if (measuring.has(id)) {
      return 0;
    }
    measuring.add(id);
    let h = 0;
    for (const child of graph.get(id) ?? []) {
      h = Math.max(h, measure(child) + 1);
    }
    measuring.delete(id);
    height.set(id, h);
    return h;
  };
  const sorted = [...nodes].sort(compareOrdinal);
  const maxHeight = sorted.reduce((max, id) => Math.max(max, measure(id)), 0);
  const columns = Array.from({ length: maxHeight + 1 }, () => []);
  for (const id of sorted) {
    columns[maxHeight - height.get(id)].push(id);
  }
  return { nodes: sorted, edges, columns };
}

/** Compares two strings by UTF-16 code units, as .NET's ordinal comparison does. */
export function compareOrdinal(a, b) {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}
