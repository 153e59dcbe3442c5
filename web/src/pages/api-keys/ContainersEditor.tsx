import { useId, useRef } from 'react';

export interface ContainerRow {
  /** A stable key for React while rows come and go. */
  key: number;
  name: string;
  namespace: string;
}

let nextKey = 1;
export const containerRow = (name = '', namespace = 'default'): ContainerRow => ({ key: nextKey++, name, namespace });
export const toContainers = (rows: ContainerRow[]) => rows.map(({ name, namespace }) => ({ name: name.trim(), namespace: namespace.trim() }));

interface Props {
  rows: ContainerRow[];
  onChange: (rows: ContainerRow[]) => void;
  error?: string;
}

/** The containers a key opens: rows of name and namespace, added and removed with buttons. */
export function ContainersEditor({ rows, onChange, error }: Props) {
  const id = useId();
  const list = useRef<HTMLTableSectionElement>(null);
  const set = (key: number, patch: Partial<ContainerRow>) => onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const add = () => {
    onChange([...rows, containerRow()]);
    // Focus the new row's name, once it is there.
    requestAnimationFrame(() => list.current?.querySelector<HTMLInputElement>('tr:last-child input')?.focus());
  };
  const remove = (index: number) => {
    onChange(rows.filter((_, i) => i !== index));
    requestAnimationFrame(() => {
      const inputs = list.current?.querySelectorAll<HTMLInputElement>('tr input[data-kind="name"]');
      (inputs?.[Math.min(index, (inputs?.length ?? 1) - 1)] ?? document.getElementById(`${id}-add`))?.focus();
    });
  };
  return (
    <fieldset className={`containers${error ? ' has-error' : ''}`} aria-describedby={`${id}-hint ${id}-error`}>
      <legend>Containers</legend>
      <p className="hint" id={`${id}-hint`}>
        The containers this key opens. Names: lower-case letters, digits and “-”, 2 to 64. A key with no container opens none.
      </p>
      {rows.length > 0 && (
        <table className="containers-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Namespace</th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody ref={list}>
            {rows.map((r, i) => (
              <tr key={r.key}>
                <td>
                  <input
                    aria-label={`Container ${i + 1} name`}
                    data-kind="name"
                    value={r.name}
                    onChange={(e) => set(r.key, { name: e.target.value })}
                    spellCheck={false}
                    autoCapitalize="off"
                  />
                </td>
                <td>
                  <input
                    aria-label={`Container ${i + 1} namespace`}
                    value={r.namespace}
                    onChange={(e) => set(r.key, { namespace: e.target.value })}
                    spellCheck={false}
                    autoCapitalize="off"
                  />
                </td>
                <td>
                  <button
                    type="button"
                    className="button small"
                    onClick={() => remove(i)}
                    aria-label={`Remove container ${i + 1}${r.name ? ` (${r.name})` : ''}`}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" id={`${id}-add`} className="button small" onClick={add}>
        Add container
      </button>
      <div className="field-error" id={`${id}-error`} aria-live="polite">
        {error}
      </div>
    </fieldset>
  );
}
