// Draws an include graph as SVG, built with DOM calls only (ids are set as text, never parsed as markup). An execution
// stands left of the executions it includes; an arrow goes from the including execution to the included one. The edges of
// a problem path (a cycle or a too deep chain) and its nodes are marked, so the drawing shows why a save is refused.

import { conditionId, graphLayout } from './executions-model.js';

const SVG = 'http://www.w3.org/2000/svg';
const NODE_WIDTH = 290;
const NODE_HEIGHT = 30;
const COLUMN_GAP = 70;
const ROW_GAP = 14;
const MARGIN = 10;
// Room above the first row for the arcs of back edges (a cycle), which loop over the nodes.
const ARC_ROOM = 28;

function svg(tag, attributes) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    element.setAttribute(name, String(value));
  }
  return element;
}

/** Shortens a label to fit a node; the whole id stays in the node's title. */
function fit(text) {
  return text.length <= 38 ? text : text.slice(0, 18) + '…' + text.slice(-19);
}

/**
 * Builds the drawing. executions: the list to draw (every execution is a node); graph: Map id → included ids (see
 * includeGraph); problem: null or {path} to mark; changed: ids with unsaved changes. Returns the <svg> element.
 */
export function drawIncludeGraph(executions, graph, problem, changed) {
  const { nodes, edges, columns } = graphLayout(executions, graph);
  const rows = Math.max(1, ...columns.map((column) => column.length));
  const width = MARGIN * 2 + columns.length * NODE_WIDTH + Math.max(0, columns.length - 1) * COLUMN_GAP;
  const top = MARGIN + ARC_ROOM;
  const height = top + MARGIN + rows * NODE_HEIGHT + (rows - 1) * ROW_GAP;

  const root = svg('svg', {
    class: 'include-graph',
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-labelledby': 'include-graph-title include-graph-desc',
  });
  const title = svg('title', { id: 'include-graph-title' });
  title.textContent = 'Include graph';
  const description = svg('desc', { id: 'include-graph-desc' });
  description.textContent = edges.length === 0
    ? 'No execution includes another.'
    : edges.map((edge) => `${edge.from} includes ${edge.to}`).join('; ') + '.';
  root.append(title, description);

  const defs = svg('defs');
  for (const [id, className] of [['arrow', 'include-arrow'], ['arrow-problem', 'include-arrow problem']]) {
    const marker = svg('marker', { id, viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' });
    marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: className }));
    defs.append(marker);
  }
  root.append(defs);

  const existing = new Set(executions.map((execution) => conditionId(execution.condition)));
  const position = new Map();
  columns.forEach((column, c) => column.forEach((id, r) => {
    position.set(id, { x: MARGIN + c * (NODE_WIDTH + COLUMN_GAP), y: top + r * (NODE_HEIGHT + ROW_GAP) });
  }));

  const problemEdges = new Set();
  const problemNodes = new Set(problem?.path ?? []);
  for (let i = 0; problem && i + 1 < problem.path.length; i++) {
    problemEdges.add(`${problem.path[i]}\n${problem.path[i + 1]}`);
  }

  for (const edge of edges) {
    const from = position.get(edge.from);
    const to = position.get(edge.to);
    const marked = problemEdges.has(`${edge.from}\n${edge.to}`);
    let path;
    if (to.x > from.x) {
      path = `M ${from.x + NODE_WIDTH} ${from.y + NODE_HEIGHT / 2} L ${to.x} ${to.y + NODE_HEIGHT / 2}`;
    } else {
      // Back or same-column edges (a cycle) loop over the top, so they are never hidden behind a node.
      const arc = Math.min(from.y, to.y) - ARC_ROOM - 4;
      path = `M ${from.x + NODE_WIDTH / 2} ${from.y} C ${from.x + NODE_WIDTH / 2} ${arc}, ${to.x + NODE_WIDTH / 2} ${arc}, ${to.x + NODE_WIDTH / 2} ${to.y}`;
    }
    const line = svg('path', {
      d: path,
      class: marked ? 'include-edge problem' : 'include-edge',
      'marker-end': marked ? 'url(#arrow-problem)' : 'url(#arrow)',
      'data-from': edge.from,
      'data-to': edge.to,
    });
    const tip = svg('title');
    tip.textContent = `${edge.from} includes ${edge.to}`;
    line.append(tip);
    root.append(line);
  }

  for (const id of nodes) {
    const { x, y } = position.get(id);
    const exists = existing.has(id);
    const classes = ['include-node'];
    if (problemNodes.has(id)) {
      classes.push('problem');
    }
    if (changed?.has(id)) {
      classes.push('changed');
    }
    if (!exists) {
      classes.push('missing');
    }
    const group = svg('g', { class: classes.join(' '), 'data-id': id });
    const tip = svg('title');
    tip.textContent = id + (exists ? '' : ' (no such execution)') + (changed?.has(id) ? ' (unsaved)' : '');
    const box = svg('rect', { x, y, width: NODE_WIDTH, height: NODE_HEIGHT, rx: 4 });
    const text = svg('text', { x: x + 8, y: y + NODE_HEIGHT / 2 + 4 });
    text.textContent = fit(id);
    group.append(tip, box, text);
    root.append(group);
  }
  return root;
}
