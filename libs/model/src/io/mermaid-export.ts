import type { Entity, Field, Model, Relationship } from '../model.schema';
import { collectForeignKeys } from './model-facts';

/*
 * The model as a Mermaid `erDiagram`: entities with typed attributes and PK/FK/UK markers, and one
 * crow's-foot edge per relationship. Solid lines are identifying (the key is part of the child's
 * primary key), dashed ones are not; an N:M through a join table is drawn dashed with its name.
 */

/** Mermaid names allow letters, digits, `_` and `-`, and must not start with a digit. */
function sanitize(name: string, fallback: string): string {
  let out = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '');
  if (!out) out = fallback;
  if (/^[0-9-]/.test(out)) out = `_${out}`;
  return out;
}

/** Attribute types are one word: `numeric(12,2)` → `numeric(12_2)`, `double precision` → `double_precision`. */
function typeWord(type: string): string {
  const out = type.trim().replace(/\s+/g, '_').replace(/,\s*/g, '_').replace(/[^A-Za-z0-9_()[\]-]/g, '');
  return /^[A-Za-z_]/.test(out) ? out : `t_${out}`;
}

function label(text: string): string {
  return `"${text.replace(/"/g, "'").replace(/\s+/g, ' ').trim()}"`;
}

class UniqueNames {
  private readonly used = new Set<string>();
  take(name: string): string {
    let candidate = name;
    for (let n = 2; this.used.has(candidate.toLowerCase()); n++) candidate = `${name}_${n}`;
    this.used.add(candidate.toLowerCase());
    return candidate;
  }
}

function markers(entity: Entity, field: Field, fkFieldIds: Set<string>): string[] {
  const out: string[] = [];
  if (field.primaryKey) out.push('PK');
  if (fkFieldIds.has(field.id)) out.push('FK');
  const uniqueByConstraint = entity.constraints.some((c) => c.kind === 'unique' && c.fieldIds.length === 1 && c.fieldIds[0] === field.id);
  if ((field.unique || uniqueByConstraint) && !field.primaryKey) out.push('UK');
  return out;
}

function edge(r: Relationship, to: Entity): string {
  if (r.cardinality === 'N:M') return `}o${r.throughEntityId ? '..' : '--'}o{`;
  const toFields = r.toFieldIds.map((id) => to.fields.find((f) => f.id === id)).filter((f): f is Field => !!f);
  const required = toFields.length > 0 && toFields.every((f) => !f.nullable);
  const identifying = toFields.length > 0 && toFields.every((f) => f.primaryKey);
  const left = required ? '||' : '|o';
  const right = r.cardinality === '1:1' ? 'o|' : 'o{';
  return `${left}${identifying ? '--' : '..'}${right}`;
}

export function exportMermaid(model: Model): string {
  const names = new UniqueNames();
  const entityName = new Map(model.entities.map((e) => [e.id, names.take(sanitize(e.name, 'entity'))]));
  const { keys } = collectForeignKeys(model);
  const fkFieldIds = new Set(keys.flatMap((k) => k.fields.map((f) => f.id)));
  const lines = ['erDiagram'];

  for (const entity of model.entities) {
    if (!entity.fields.length) {
      lines.push(`    ${entityName.get(entity.id)}`);
      continue;
    }
    const attrNames = new UniqueNames();
    lines.push(`    ${entityName.get(entity.id)} {`);
    for (const field of entity.fields) {
      const keyMarks = markers(entity, field, fkFieldIds);
      const comment = field.description.trim() ? ` ${label(field.description)}` : '';
      lines.push(
        `        ${typeWord(field.type)} ${attrNames.take(sanitize(field.name, 'column'))}${keyMarks.length ? ` ${keyMarks.join(', ')}` : ''}${comment}`,
      );
    }
    lines.push('    }');
  }

  const entities = new Map(model.entities.map((e) => [e.id, e]));
  for (const r of model.relationships) {
    const from = entities.get(r.fromEntityId);
    const to = entities.get(r.toEntityId);
    if (!from || !to) continue;
    const through = r.throughEntityId ? entities.get(r.throughEntityId) : undefined;
    const toFields = r.toFieldIds.map((id) => to.fields.find((f) => f.id === id)?.name).filter(Boolean);
    const text = r.name || (through ? `through ${through.name}` : toFields.join(', ')) || r.cardinality;
    lines.push(`    ${entityName.get(from.id)} ${edge(r, to)} ${entityName.get(to.id)} : ${label(text)}`);
  }
  return lines.join('\n') + '\n';
}
