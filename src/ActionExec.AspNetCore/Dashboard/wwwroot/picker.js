// A searchable picker (an ARIA combobox): a text box whose list of options narrows as one types. Options are
// {value, label, hint}; label and hint are shown as text only. With freeText, whatever is typed is a value too (a condition
// may name something the catalog does not list, and without a catalog the lists are empty).

import { h } from './dom.js';

let pickerCount = 0;

/**
 * Creates a picker. options: {label, placeholder, items: [{value, label, hint}] or () => items (read on every opening),
 * freeText, onPick(value, item), name, id}. Returns {element, input, value(), clear()}.
 */
export function picker(options) {
  const id = options.id ?? `picker-${++pickerCount}`;
  const input = h('input', {
    type: 'text',
    id,
    name: options.name,
    placeholder: options.placeholder,
    autocomplete: 'off',
    spellcheck: 'false',
    role: 'combobox',
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': `${id}-list`,
  });
  const list = h('ul', { id: `${id}-list`, class: 'picker-list', role: 'listbox', 'aria-label': options.label ?? 'Options', hidden: true });
  const element = h('div', { class: 'picker field' },
    h('label', { class: 'field-label', for: id, text: options.label ?? '' }),
    input,
    list);

  const itemsNow = () => {
    const items = typeof options.items === 'function' ? options.items() : options.items;
    return Array.isArray(items) ? items : [];
  };
  let shown = [];
  let active = -1;

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };

  const highlight = (index) => {
    active = index;
    [...list.children].forEach((child, i) => child.setAttribute('aria-selected', i === index ? 'true' : 'false'));
    const option = index >= 0 ? list.children[index] : null;
    if (option) {
      input.setAttribute('aria-activedescendant', option.id);
      option.scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  };

  const pick = (item) => {
    input.value = item.value;
    close();
    options.onPick?.(item.value, item);
  };

  const open = () => {
    const items = itemsNow();
    const query = input.value.trim().toLowerCase();
    shown = items.filter((item) => `${item.label ?? ''} ${item.hint ?? ''} ${item.value}`.toLowerCase().includes(query)).slice(0, 50);
    list.replaceChildren(...shown.map((item, i) => h('li', {
      id: `${id}-option-${i}`,
      class: 'picker-option',
      role: 'option',
      'aria-selected': 'false',
      'data-value': item.value,
      // mousedown, not click: the input's blur would close the list before a click lands.
      on: {
        mousedown: (event) => {
          event.preventDefault();
          pick(item);
        },
      },
    },
    h('span', { class: 'picker-option-label', text: item.label ?? item.value }),
    item.hint ? h('span', { class: 'picker-option-hint', text: item.hint }) : null)));
    if (shown.length === 0) {
      list.replaceChildren(h('li', { class: 'picker-empty', role: 'presentation', text: items.length === 0 ? 'Nothing to choose from.' : 'Nothing matches.' }));
    }
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    // Typed text stays the value of a free-text picker until an option is chosen with the arrows or the pointer.
    highlight(!options.freeText && shown.length > 0 && query.length > 0 ? 0 : -1);
  };

  input.addEventListener('input', open);
  input.addEventListener('focus', open);
  input.addEventListener('blur', close);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      if (list.hidden) {
        open();
      }
      highlight(Math.min(shown.length - 1, active + 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      highlight(Math.max(0, active - 1));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (!list.hidden && active >= 0 && shown[active]) {
        pick(shown[active]);
      } else if (options.freeText) {
        close();
        input.form?.requestSubmit();
      } else if (shown.length === 1) {
        pick(shown[0]);
      }
    } else if (event.key === 'Escape') {
      close();
    }
  });

  return {
    element,
    input,
    value: () => input.value.trim(),
    clear: () => {
      input.value = '';
      close();
    },
  };
}
