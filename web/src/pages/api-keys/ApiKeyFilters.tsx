import { type FormEvent, useState } from 'react';
import { Field } from '../../components/Field';
import type { Schemas } from '../../lib/api';

export interface Filters {
  project_id?: number;
  region_id?: number;
  status?: 'Active' | 'Disabled' | 'Expired';
  q?: string;
}

interface Props {
  value: Filters;
  projects: Schemas['Project'][];
  regions: Schemas['Region'][];
  onApply: (f: Filters) => void;
}

const num = (s: string) => (s === '' ? undefined : Number(s));
const STATUSES = ['Active', 'Disabled', 'Expired'] as const;

/** The filters an address asks for (`?project_id=7&status=Active&q=shop`); what is not a filter is left out. */
export function filtersOf(query: URLSearchParams): Filters {
  const id = (k: string) => {
    const v = query.get(k);
    return v !== null && /^\d+$/.test(v) ? Number(v) : undefined;
  };
  const status = STATUSES.find((s) => s === query.get('status'));
  const q = query.get('q')?.trim() || undefined;
  const f: Filters = {};
  const project = id('project_id');
  const region = id('region_id');
  if (project !== undefined) f.project_id = project;
  if (region !== undefined) f.region_id = region;
  if (status) f.status = status;
  if (q) f.q = q;
  return f;
}

/** Project, region, status and text filters, applied together (the list starts again at its first page). */
export function ApiKeyFilters({ value, projects, regions, onApply }: Props) {
  const [project, setProject] = useState(value.project_id?.toString() ?? '');
  const [region, setRegion] = useState(value.region_id?.toString() ?? '');
  const [status, setStatus] = useState<string>(value.status ?? '');
  const [q, setQ] = useState(value.q ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply({
      project_id: num(project),
      region_id: num(region),
      status: (status || undefined) as Filters['status'],
      q: q.trim() || undefined,
    });
  };
  const clear = () => {
    setProject('');
    setRegion('');
    setStatus('');
    setQ('');
    onApply({});
  };
  return (
    <form className="filters" onSubmit={submit} role="search" aria-label="Filter API keys">
      <Field label="Project">
        {(ids) => (
          <select {...ids} value={project} onChange={(e) => setProject(e.target.value)}>
            <option value="">All</option>
            {projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.id} · {p.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Region">
        {(ids) => (
          <select {...ids} value={region} onChange={(e) => setRegion(e.target.value)}>
            <option value="">All</option>
            {regions.map((r) => (
              <option key={r.id} value={r.id}>
                {r.id} · {r.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Status">
        {(ids) => (
          <select {...ids} value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">All</option>
            <option value="Active">Active</option>
            <option value="Disabled">Disabled</option>
            <option value="Expired">Expired</option>
          </select>
        )}
      </Field>
      <Field label="Name or description">{(ids) => <input {...ids} type="search" value={q} onChange={(e) => setQ(e.target.value)} maxLength={200} />}</Field>
      <div className="filter-actions">
        <button type="submit" className="button">
          Filter
        </button>
        <button type="button" className="button" onClick={clear}>
          Clear
        </button>
      </div>
    </form>
  );
}
