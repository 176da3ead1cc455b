import { scenarioFacts } from './scenario-facts';
import { looksLikeAuditLog } from './field-roles';
import { allScenarios } from './grader.test-util';
it('specs', () => {
  const out: string[] = [];
  for (const s of allScenarios()) {
    const f = scenarioFacts(s);
    for (const spec of f.specs) if (spec.kind === 'append-only') {
      const c = f.conceptById.get(spec.concept)!;
      const byName = looksLikeAuditLog(c.entity); const byAlias = c.names.some((n) => n.tokens.includes('audit'));
      const byRule = s.rules.filter((r) => /append[- ]only/i.test(r.text) && r.concepts.includes(c.concept.id)).map((r) => r.id);
      out.push(`${s.id} ${spec.id} entity=${c.entity.entity.name} name=${byName} alias=${byAlias} rules=${byRule} parts=${spec.parts}`);
    }
    for (const e of f.reference.entities) if (/append-only/i.test(e.entity.description)) out.push(`   ${s.id} desc-append-only: ${e.entity.name} concept=${f.conceptByReferenceEntity.get(e.entity.id)?.concept.id}`);
  }
  console.log(out.join('\n'));
});
