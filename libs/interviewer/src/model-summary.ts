import type { Entity, Model } from '@hatch/model';
import { clip } from './text';

/**
 * A compact text summary of a candidate's model for an LLM prompt: one line per table (columns with
 * type, `?` when nullable, `PK`, `→ table.column` for a foreign key; then keys, checks, indexes),
 * relationships that are not foreign keys, events, frame notes and win answers. Cut at `maxChars`.
 */
export function summarizeModel(model: Model | null, maxChars = 8000): string {
  if (!model) return '(no model yet)';
  const byId = new Map(model.entities.map((e) => [e.id, e]));
  const fieldName = (entity: Entity | undefined, id: string) => entity?.fields.find((f) => f.id === id)?.name ?? '?';
  const cols = (entity: Entity | undefined, ids: readonly string[]) => ids.map((id) => fieldName(entity, id)).join(', ');
  const lines: string[] = [];

  lines.push(model.entities.length ? `Tables (${model.entities.length}; "?" = nullable, → = foreign key):` : 'Tables: none yet.');
  for (const entity of model.entities) {
    const fields = entity.fields.map((f) => {
      const target = f.references ? byId.get(f.references.entityId) : undefined;
      const ref = f.references ? ` → ${target?.name ?? '?'}.${fieldName(target, f.references.fieldId)}${f.references.onDelete ? ` on delete ${f.references.onDelete}` : ''}` : '';
      return `${f.name} ${f.type}${f.nullable && !f.primaryKey ? '?' : ''}${f.primaryKey ? ' PK' : ''}${f.unique ? ' unique' : ''}${ref}`;
    });
    const extras: string[] = [];
    for (const c of entity.constraints) {
      if (c.kind === 'unique') extras.push(`unique (${cols(entity, c.fieldIds)})`);
      else if (c.kind === 'check') extras.push(`check (${clip(c.expression, 80)})`);
      else if (c.kind === 'exclusion') extras.push(`exclude ${clip(c.expression, 80)}`);
      else if (c.references) {
        const target = byId.get(c.references.entityId);
        extras.push(`fk (${cols(entity, c.fieldIds)}) → ${target?.name ?? '?'}(${cols(target, c.references.fieldIds)})`);
      }
    }
    for (const index of entity.indexes) extras.push(`${index.unique ? 'unique ' : ''}index (${cols(entity, index.fieldIds)})${index.method !== 'btree' ? ` using ${index.method}` : ''}${index.where ? ` where ${clip(index.where, 60)}` : ''}`);
    const kind = entity.kind === 'view' ? ' [view]' : '';
    lines.push(`- ${entity.name}${kind}: ${fields.join(', ') || 'no columns'}${extras.length ? `; ${extras.join('; ')}` : ''}`);
  }
  const explicit = model.relationships.filter((r) => r.cardinality === 'N:M' || r.toFieldIds.length === 0);
  if (explicit.length) {
    lines.push('Relationships (besides foreign keys):');
    for (const r of explicit) lines.push(`- ${byId.get(r.fromEntityId)?.name ?? '?'} ${r.cardinality} ${byId.get(r.toEntityId)?.name ?? '?'}${r.throughEntityId ? ` through ${byId.get(r.throughEntityId)?.name ?? '?'}` : ''}`);
  }
  if (model.events.length) {
    lines.push(`Events (${model.events.length}):`);
    for (const e of model.events) {
      const props = e.properties.map((p) => `${p.name} ${p.type}${p.required ? '' : '?'}`).join(', ');
      lines.push(`- ${e.name}${e.entityId ? ` on ${byId.get(e.entityId)?.name ?? '?'}` : ''}${props ? ` (${props})` : ''}`);
    }
  }
  const frame = model.frame;
  const frameLines = [
    frame.domain.trim() && `domain: ${clip(frame.domain, 400)}`,
    frame.actors.length > 0 && `actors: ${frame.actors.map((a) => a.name).join(', ')}`,
    ...frame.rules.map((r) => `${r.kind}: ${clip(r.text, 160)}`),
    ...frame.accessPatterns.map((p) => `access pattern (${p.frequency}): ${clip(p.description, 160)}`),
    (frame.tenancy.strategy || frame.tenancy.notes.trim()) && `tenancy: ${frame.tenancy.strategy ?? 'undecided'}${frame.tenancy.notes.trim() ? ` — ${clip(frame.tenancy.notes, 300)}` : ''}`,
  ].filter((line): line is string => typeof line === 'string' && line.length > 0);
  lines.push(frameLines.length ? 'Frame notes:' : 'Frame notes: none yet.');
  for (const line of frameLines) lines.push(`- ${line}`);
  if (model.win.answers.length) {
    lines.push('Win answers:');
    for (const a of model.win.answers) lines.push(`- ${clip(a.question || a.questionId || '?', 160)}: ${clip(a.answer, 300)}${a.sql.trim() ? ` SQL: ${clip(a.sql, 300)}` : ''}`);
  }
  return fit(lines, maxChars);
}

/** Whole lines up to `maxChars`, then how many were left out. */
function fit(lines: string[], maxChars: number): string {
  const out: string[] = [];
  let size = 0;
  for (let i = 0; i < lines.length; i++) {
    if (size + lines[i].length + 1 > maxChars) {
      out.push(`… (${lines.length - i} more lines left out)`);
      break;
    }
    out.push(lines[i]);
    size += lines[i].length + 1;
  }
  return out.join('\n');
}
