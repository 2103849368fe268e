// A searchable picker (an ARIA combobox): a text box whose list of options narrows as one types. Options are
// {value, label, hint}; label and hint are shown as text only. With freeText, whatever is typed is a value too (a condition
// may name something the catalog does not list when the host registered no catalog).

let pickerCount = 0;

/**
 * Creates a picker. options: {label, placeholder, items: [{value, label, hint}] | () => items, freeText, onPick(value, item),
 * name}. Returns {element, input, setItems(items), value(), clear()}.
 */
export function picker(options) {
  const id = `picker-${++pickerCount}`;
  const wrapper = document.createElement('div');
  wrapper.className = 'picker';

  const label = document.createElement('label');
  label.className = 'picker-label';
  label.htmlFor = `${id}-input`;
  label.textContent = options.label ?? '';

  const input = document.createElement('input');
  input.type = 'text';
  input.id = `${id}-input`;
  input.autocomplete = 'off';
  input.spellcheck = false;
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', `${id}-list`);
  if (options.name) {
    input.name = options.name;
  }
  if (options.placeholder) {
    input.placeholder = options.placeholder;
  }

  const list = document.createElement('ul');
  list.id = `${id}-list`;
  list.className = 'picker-list';
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', options.label ?? 'Options');
  list.hidden = true;

  wrapper.append(label, input, list);

  let items = [];
  let shown = [];
  let active = -1;
  const setItems = (next) => {
    items = Array.isArray(next) ? next : [];
  };
  setItems(typeof options.items === 'function' ? options.items() : options.items);

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };

  const highlight = (index) => {
    active = index;
    [...list.children].forEach((child, i) => child.setAttribute('aria-selected', i === index ? 'true' : 'false'));
    if (index >= 0 && list.children[index]) {
      input.setAttribute('aria-activedescendant', list.children[index].id);
      list.children[index].scrollIntoView({ block: 'nearest' });
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
    if (typeof options.items === 'function') {
      setItems(options.items());
    }
    const query = input.value.trim().toLowerCase();
    shown = items.filter((item) => `${item.label ?? item.value} ${item.hint ?? ''} ${item.value}`.toLowerCase().includes(query)).slice(0, 50);
    list.replaceChildren(...shown.map((item, i) => {
      const option = document.createElement('li');
      option.id = `${id}-option-${i}`;
      option.className = 'picker-option';
      option.setAttribute('role', 'option');
      option.setAttribute('aria-selected', 'false');
      option.dataset.value = item.value;
      const main = document.createElement('span');
      main.className = 'picker-option-label';
      main.textContent = item.label ?? item.value;
      option.append(main);
      if (item.hint) {
        const hint = document.createElement('span');
        hint.className = 'picker-option-hint';
        hint.textContent = item.hint;
        option.append(hint);
      }
      // mousedown, not click: the input's blur would close the list before a click lands.
      option.addEventListener('mousedown', (event) => {
        event.preventDefault();
        pick(item);
      });
      return option;
    }));
    if (shown.length === 0) {
      const empty = document.createElement('li');
      empty.className = 'picker-empty';
      empty.setAttribute('role', 'presentation');
      empty.textContent = items.length === 0 ? 'Nothing to choose from.' : 'Nothing matches.';
      list.replaceChildren(empty);
    }
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    highlight(shown.length > 0 && query.length > 0 ? 0 : -1);
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
      } else if (options.freeText && input.value.trim().length > 0) {
        pick({ value: input.value.trim() });
      } else if (shown.length === 1) {
        pick(shown[0]);
      }
    } else if (event.key === 'Escape') {
      close();
    }
  });

  return {
    element: wrapper,
    input,
    setItems,
    value: () => input.value.trim(),
    clear: () => {
      input.value = '';
      close();
    },
  };
}
