// Element builders for the dashboard. They only ever set text (textContent, text nodes), properties and attributes: no
// function here parses HTML, so a value from the API (a target named <img src=x onerror=alert(1)>) always stays text.

const forbidden = new Set(['innerHTML', 'outerHTML', 'srcdoc', 'style']);

/**
 * Creates an element. props: `class`, `text` (textContent), `on` ({event: listener}), `value`/`checked`/`disabled`/`selected`/
 * `hidden` (set as properties), anything else as an attribute. Children: strings and numbers become text nodes, nodes are
 * appended, arrays are flattened, null/undefined/false are skipped.
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false && !['value', 'checked', 'disabled', 'selected', 'hidden'].includes(key)) {
      continue;
    }
    if (forbidden.has(key) || /^on/i.test(key) && key !== 'on') {
      throw new Error(`dom.h does not set '${key}'; use 'on' for listeners and text for content.`);
    }
    if (key === 'class') {
      element.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : String(value);
    } else if (key === 'text') {
      element.textContent = String(value);
    } else if (key === 'on') {
      for (const [event, listener] of Object.entries(value)) {
        element.addEventListener(event, listener);
      }
    } else if (['value', 'checked', 'disabled', 'selected', 'hidden'].includes(key)) {
      element[key] = value;
    } else {
      const text = String(value);
      if ((key === 'href' || key === 'src' || key === 'action') && /^\s*(javascript|data|vbscript):/i.test(text)) {
        throw new Error(`dom.h does not set a ${key} of scheme '${text.split(':')[0]}'.`);
      }
      element.setAttribute(key, text);
    }
  }
  append(element, children);
  return element;
}

/** Appends children as h does. */
export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Removes every child. */
export function clear(element) {
  element.replaceChildren();
  return element;
}

/** Replaces the children. */
export function replace(element, ...children) {
  clear(element);
  return append(element, children);
}

/** A button; `props.class` adds to the base class. */
export function button(text, onClick, props = {}) {
  return h('button', { type: 'button', ...props, class: ['btn', props.class], on: { click: onClick, ...(props.on ?? {}) } }, text);
}

/** A label around a control, with its text above. */
export function field(label, control, hint) {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), control, hint ? h('span', { class: 'hint' }, hint) : null);
}

/** A select of [value, text] pairs (or plain strings). */
export function select(options, props = {}, selected = undefined) {
  return h('select', props, options.map((option) => {
    const [value, text] = Array.isArray(option) ? option : [option, option];
    return h('option', { value, selected: value === selected }, text);
  }));
}

/**
 * A table: columns are {title, cell: row => node|string, class?}; rows any values. `rowProps(row)` adds attributes to a row.
 * An empty list shows `empty` in one cell.
 */
export function table(columns, rows, { empty = 'Nothing yet.', rowProps = () => ({}), ...props } = {}) {
  return h('table', { class: 'grid', ...props },
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.class }, c.title)))),
    h('tbody', {}, rows.length === 0
      ? h('tr', {}, h('td', { colspan: columns.length, class: 'muted' }, empty))
      : rows.map((row) => h('tr', rowProps(row), columns.map((c) => h('td', { class: c.class }, c.cell(row)))))));
}

/** A message line: kind is 'ok', 'error' or 'info'. */
export function message(text, kind = 'info', props = {}) {
  return h('p', { class: ['msg', `msg-${kind}`], role: kind === 'error' ? 'alert' : 'status', ...props }, text);
}

/** A timestamp of the API (RFC 3339) for people, in the browser's time zone; '' for none. */
export function formatDate(value) {
  if (!value) {
    return '';
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString();
}

/** A datetime-local input's value as an RFC 3339 UTC time, or undefined when empty. */
export function toRfc3339(localValue) {
  if (!localValue) {
    return undefined;
  }
  const date = new Date(localValue);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
